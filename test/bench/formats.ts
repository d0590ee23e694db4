/**
 * `npm run bench -- formats [--quick]`: CODA and UBL parsing throughput on corpora made by repeating the
 * fixtures (../shared/fixtures) to at least 50 MB each (5 MB with --quick).
 *
 * CODA: the readable fixtures concatenated into one large file, parsed from bytes (windows-1252 decoding
 *   included) → MB/s and statements/s, then validated. Target ≥ 50 MB/s on one core.
 * UBL: each fixture is one document; the corpus is the list of documents, each parsed from bytes →
 *   MB/s and invoices/s, and the ratio of full normalisation (decode + DTD check + parse + normalise) to
 *   fast-xml-parser's raw parse of the same bytes in the same run (decode + parse, same parser options).
 *   Target ≤ 1.3×. The ratio against fast-xml-parser with its default options is printed too.
 * Each figure is the median of several rounds after a warm-up round.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parseCoda, validateCoda } from '../../shared/coda';
import { parseUbl, validateUbl } from '../../shared/ubl';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../../../shared/fixtures');
const MB = 1024 * 1024;

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => void, rounds: number): number {
  fn(); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const t = performance.now();
    fn();
    ms.push(performance.now() - t);
  }
  return median(ms);
}

/** The readable CODA fixtures, repeated until the corpus reaches the target size. */
function codaCorpus(targetBytes: number): Uint8Array[] {
  const files: Uint8Array[] = [];
  for (const dir of ['coda/pycoda', 'coda/php-coda-parser']) {
    for (const f of fs.readdirSync(path.join(FIXTURES, dir)).sort()) {
      const b = new Uint8Array(fs.readFileSync(path.join(FIXTURES, dir, f)));
      if (parseCoda(b).ok) files.push(b); // the version-5 file is refused outright
    }
  }
  const out: Uint8Array[] = [];
  let total = 0;
  while (total < targetBytes) {
    for (const b of files) {
      out.push(b);
      total += b.length;
    }
  }
  return out;
}

/** The same corpus as one physical file (statements concatenated), as a bank download of many days would be. */
function concatenated(files: Uint8Array[]): Uint8Array {
  const withEol = files.map((b) => (b[b.length - 1] === 0x0a ? b : Uint8Array.from([...b, 0x0d, 0x0a])));
  const out = new Uint8Array(withEol.reduce((n, b) => n + b.length, 0));
  let at = 0;
  for (const b of withEol) {
    out.set(b, at);
    at += b.length;
  }
  return out;
}

function ublCorpus(targetBytes: number): Uint8Array[] {
  const dir = path.join(FIXTURES, 'ubl/peppol-bis3');
  const docs = fs
    .readdirSync(dir)
    .sort()
    .map((f) => new Uint8Array(fs.readFileSync(path.join(dir, f))));
  const out: Uint8Array[] = [];
  let total = 0;
  while (total < targetBytes) {
    for (const d of docs) {
      out.push(d);
      total += d.length;
    }
  }
  return out;
}

export default async function formats(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const target = (quick ? 5 : 50) * MB;
  const rounds = quick ? 3 : 5;

  // --- CODA
  const codaFiles = codaCorpus(target);
  const codaMB = codaFiles.reduce((n, b) => n + b.length, 0) / MB;
  let statements = 0;
  let movements = 0;
  const codaMs = time(() => {
    statements = 0;
    movements = 0;
    for (const b of codaFiles) {
      const r = parseCoda(b);
      if (!r.ok) throw new Error(r.error.message);
      statements += r.value.statements.length;
      for (const st of r.value.statements) movements += st.movements.length;
    }
  }, rounds);
  const bothMs = time(() => {
    for (const b of codaFiles) {
      const r = parseCoda(b);
      if (r.ok) validateCoda(r.value);
    }
  }, rounds);
  const big = concatenated(codaFiles);
  const bigMs = time(() => {
    if (!parseCoda(big).ok) throw new Error('corpus refused');
  }, Math.min(rounds, 3));
  const bigString = new TextDecoder('latin1').decode(big);
  const bigStringMs = time(() => {
    if (!parseCoda(bigString).ok) throw new Error('corpus refused');
  }, Math.min(rounds, 3));
  console.log(`CODA  corpus ${codaMB.toFixed(1)} MB: ${codaFiles.length} files (the fixtures repeated), ${statements} statements, ${movements} movement records`);
  console.log(`      parseCoda, file by file from bytes   ${(codaMB / (codaMs / 1000)).toFixed(1)} MB/s, ${Math.round(statements / (codaMs / 1000)).toLocaleString('en')} statements/s (${codaMs.toFixed(0)} ms) — target ≥ 50 MB/s`);
  console.log(`      parseCoda + validateCoda, file by file ${(codaMB / (bothMs / 1000)).toFixed(1)} MB/s (${bothMs.toFixed(0)} ms)`);
  console.log(`      parseCoda, one ${codaMB.toFixed(0)} MB file from bytes    ${(codaMB / (bigMs / 1000)).toFixed(1)} MB/s (${bigMs.toFixed(0)} ms; the whole model stays in memory)`);
  console.log(`      parseCoda, one ${codaMB.toFixed(0)} MB file from a string ${(codaMB / (bigStringMs / 1000)).toFixed(1)} MB/s (${bigStringMs.toFixed(0)} ms)`);

  // --- UBL
  const docs = ublCorpus(target);
  const ublBytes = docs.reduce((n, d) => n + d.length, 0);
  const ublMB = ublBytes / MB;
  const decoder = new TextDecoder('utf-8');
  const sameOptions = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@', parseTagValue: false, processEntities: false, ignoreDeclaration: true, ignorePiTags: true, jPath: false });
  const defaults = new XMLParser();
  let sink = 0;
  const rawMs = time(() => {
    for (const d of docs) sink += Object.keys(sameOptions.parse(decoder.decode(d))).length;
  }, rounds);
  const defaultMs = time(() => {
    for (const d of docs) sink += Object.keys(defaults.parse(decoder.decode(d))).length;
  }, rounds);
  const normMs = time(() => {
    for (const d of docs) {
      const r = parseUbl(d);
      if (!r.ok) throw new Error(r.error.message);
      sink += r.value.lines.length;
    }
  }, rounds);
  const models = docs.map((d) => parseUbl(d)).flatMap((r) => (r.ok ? [r.value] : []));
  const ublValidateMs = time(() => {
    for (const m of models) sink += validateUbl(m).length;
  }, rounds);
  console.log(`UBL   corpus ${ublMB.toFixed(1)} MB (${docs.length} documents)`);
  console.log(`      fast-xml-parser raw parse (same options)  ${(ublMB / (rawMs / 1000)).toFixed(1)} MB/s, ${Math.round(docs.length / (rawMs / 1000)).toLocaleString('en')} docs/s (${rawMs.toFixed(0)} ms)`);
  console.log(`      fast-xml-parser raw parse (default options) ${(ublMB / (defaultMs / 1000)).toFixed(1)} MB/s (${defaultMs.toFixed(0)} ms)`);
  console.log(`      parseUbl (full normalisation)             ${(ublMB / (normMs / 1000)).toFixed(1)} MB/s, ${Math.round(docs.length / (normMs / 1000)).toLocaleString('en')} invoices/s (${normMs.toFixed(0)} ms)`);
  console.log(`      ratio normalisation / raw parse: ${(normMs / rawMs).toFixed(2)}× (same options), ${(normMs / defaultMs).toFixed(2)}× (default options) — target ≤ 1.3×`);
  console.log(`      validateUbl ${Math.round(models.length / (ublValidateMs / 1000)).toLocaleString('en')} invoices/s (${ublValidateMs.toFixed(0)} ms)`);
  if (sink === -1) console.log(sink);
}
