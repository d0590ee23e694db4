/**
 * `npm run bench -- formats [--quick]`: CODA and UBL parsing throughput on corpora made by repeating the
 * fixtures (../shared/fixtures) to at least 50 MB each (5 MB with --quick).
 *
 * CODA side by side with the peers (../shared/peers: pycoda, php-coda-parser), run on the same bytes in the
 * same run when python3 / php are installed: one 20 MB file (the two pycoda fixtures concatenated with CRLF,
 * 669 times: 2,007 statements) parsed whole, and each of those three statements as a file of its own.
 * This app's figures include validation (trailer totals, balances, check digits); the peers do not validate.
 * Ratios (this app's speed / the peer's) — targets ≥ 5× pycoda whole-file, ≥ 8× per statement.
 *
 * CODA: the readable fixtures concatenated into one large file, parsed from bytes (windows-1252 decoding
 *   included) → MB/s and statements/s, then validated. Target ≥ 50 MB/s on one core.
 * UBL: each fixture is one document; the corpus is the list of documents, each parsed from bytes →
 *   MB/s and invoices/s, and the ratio of full normalization (decode + DTD check + parse + normalize) to
 *   fast-xml-parser's raw parse of the same bytes in the same run (decode + parse, same parser options).
 *   Target ≤ 1.3×. The ratio against fast-xml-parser with its default options is printed too.
 * Each figure is the median of several rounds after a warm-up round.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { XMLParser } from 'fast-xml-parser';
import { parseCoda, validateCoda } from '../../shared/coda';
import { parseUbl, validateUbl } from '../../shared/ubl';

const here = path.dirname(fileURLToPath(import.meta.url));
const FIXTURES = path.resolve(here, '../../../shared/fixtures');
const PEERS = path.resolve(here, '../../../shared/peers');
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

/** The peers, timed inside their own interpreter (start-up excluded): best of 3, whole file and per statement. */
const PYCODA = `import json, sys, time
sys.path.insert(0, sys.argv[1])
from coda.parser import Parser
whole = open(sys.argv[2], 'rb').read()
rounds = int(sys.argv[3])
parts = [open(p, 'rb').read() for p in sys.argv[4:]]
p = Parser()
def best(fn):
    ts = []
    for _ in range(3):
        t = time.perf_counter(); r = fn(); ts.append(time.perf_counter() - t)
    return min(ts), r
w, st = best(lambda: p.parse(whole))
def each():
    n = 0
    for _ in range(rounds):
        for b in parts: n += len(p.parse(b))
    return n
e, n = best(each)
print(json.dumps({"wholeSeconds": w, "wholeStatements": len(st), "eachSeconds": e, "eachStatements": n}))
`;
const PHP_CODA = String.raw`<?php
spl_autoload_register(function ($c) { $p = 'Codelicious\\Coda\\'; if (strncmp($c, $p, strlen($p)) === 0) require $GLOBALS['argv'][1] . '/src/' . str_replace('\\', '/', substr($c, strlen($p))) . '.php'; });
require $argv[1] . '/src/Helpers.php';
$parser = new Codelicious\Coda\Parser();
function best($fn) { $b = INF; $r = null; for ($i = 0; $i < 3; $i++) { $t = hrtime(true); $r = $fn(); $b = min($b, (hrtime(true) - $t) / 1e9); } return [$b, $r]; }
[$w, $st] = best(fn() => $parser->parseFile($argv[2]));
$rounds = (int) $argv[3];
$parts = array_slice($argv, 4);
[$e, $n] = best(function () use ($parser, $parts, $rounds) { $n = 0; for ($r = 0; $r < $rounds; $r++) foreach ($parts as $p) $n += count($parser->parseFile($p)); return $n; });
echo json_encode(['wholeSeconds' => $w, 'wholeStatements' => count($st), 'eachSeconds' => $e, 'eachStatements' => $n]), "\n";
`;

interface PeerFigures {
  wholeSeconds: number;
  wholeStatements: number;
  eachSeconds: number;
  eachStatements: number;
}

function has(command: string): boolean {
  return spawnSync(command, ['--version'], { stdio: 'ignore' }).status === 0;
}

function runPeer(command: string, args: string[]): PeerFigures | string {
  const r = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 1 << 20, timeout: 600_000 });
  if (r.status !== 0) return (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-1)[0]!;
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as PeerFigures;
}

/** The pycoda fixtures' statements, each as a file of its own (a bank delivers one per account and day). */
function statementFiles(files: Uint8Array[]): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (const b of files) {
    const text = new TextDecoder('latin1').decode(b);
    let current: string[] = [];
    for (const line of text.split(/(?<=\n)/)) {
      if (line.startsWith('0') && current.length) {
        out.push(Uint8Array.from(current.join(''), (c) => c.charCodeAt(0)));
        current = [];
      }
      if (line.trim()) current.push(line.endsWith('\n') ? line : `${line}\r\n`);
    }
    if (current.length) out.push(Uint8Array.from(current.join(''), (c) => c.charCodeAt(0)));
  }
  return out;
}

function codaSideBySide(quick: boolean): void {
  const withEol = (b: Uint8Array) => (b[b.length - 1] === 0x0a ? b : Uint8Array.from([...b, 0x0d, 0x0a]));
  const pair = ['Coda_v2_3_single_statement.txt', 'Coda_v2_3_multi_statements.txt'].map((f) => withEol(new Uint8Array(fs.readFileSync(path.join(FIXTURES, 'coda/pycoda', f)))));
  const one = concatenated(pair);
  const whole = new Uint8Array(one.length * 669);
  for (let i = 0; i < 669; i++) whole.set(one, i * one.length);
  const parts = statementFiles(pair);
  const rounds = quick ? 100 : 300;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-bench-coda-'));
  try {
    const wholeFile = path.join(dir, 'corpus.cod');
    fs.writeFileSync(wholeFile, whole);
    const partFiles = parts.map((b, i) => {
      const f = path.join(dir, `statement-${i + 1}.cod`);
      fs.writeFileSync(f, b);
      return f;
    });
    const best = (fn: () => void) => {
      let b = Infinity;
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        fn();
        b = Math.min(b, performance.now() - t);
      }
      return b / 1000;
    };
    let wholeStatements = 0;
    best(() => parseCoda(whole)); // warm-up
    const ours: PeerFigures = {
      wholeSeconds: best(() => {
        const r = parseCoda(whole);
        if (!r.ok) throw new Error(r.error.message);
        wholeStatements = r.value.statements.length;
        validateCoda(r.value);
      }),
      wholeStatements: 0,
      // Ten times the peers' rounds: a round takes this app a fraction of a millisecond, too short to time alone.
      eachSeconds: best(() => {
        for (let k = 0; k < rounds * 10; k++) {
          for (const p of parts) {
            const r = parseCoda(p);
            if (r.ok) validateCoda(r.value);
          }
        }
      }),
      eachStatements: rounds * 10 * parts.length,
    };
    ours.wholeStatements = wholeStatements;
    const mb = whole.length / MB;
    const line = (name: string, f: PeerFigures) =>
      `      ${name.padEnd(16)} whole ${(mb / f.wholeSeconds).toFixed(1).padStart(6)} MB/s (${(f.wholeSeconds * 1000).toFixed(0)} ms, ${f.wholeStatements} statements); per statement ${Math.round(f.eachStatements / f.eachSeconds).toLocaleString('en').padStart(7)} statements/s`;
    console.log(`CODA  side by side: one ${mb.toFixed(1)} MB file (pycoda fixtures ×669, CRLF) and its ${parts.length} statements as files of their own (${rounds} rounds)`);
    console.log(line('this app (+ validation)', ours));
    const peers: Array<[string, string, string[]]> = [];
    if (has('python3')) {
      const script = path.join(dir, 'pycoda.py');
      fs.writeFileSync(script, PYCODA);
      peers.push(['pycoda', 'python3', [script, path.join(PEERS, 'pycoda'), wholeFile, String(rounds), ...partFiles]]);
    } else console.log('      pycoda           skipped: python3 is not installed');
    if (has('php')) {
      const script = path.join(dir, 'coda.php');
      fs.writeFileSync(script, PHP_CODA);
      peers.push(['php-coda-parser', 'php', ['-d', 'memory_limit=4G', script, path.join(PEERS, 'php-coda-parser'), wholeFile, String(rounds), ...partFiles]]);
    } else console.log('      php-coda-parser  skipped: php is not installed');
    for (const [name, command, args] of peers) {
      const f = runPeer(command, args);
      if (typeof f === 'string') {
        console.log(`      ${name.padEnd(16)} failed: ${f}`);
        continue;
      }
      console.log(line(name, f));
      console.log(
        `      ratio this app / ${name}: whole file ${(f.wholeSeconds / ours.wholeSeconds).toFixed(1)}×, per statement ${(f.eachSeconds / f.eachStatements / (ours.eachSeconds / ours.eachStatements)).toFixed(1)}×${name === 'pycoda' ? ' (targets ≥ 5× and ≥ 8×)' : ''}`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export default async function formats(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  codaSideBySide(quick);
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
  console.log(`      parseUbl (full normalization)             ${(ublMB / (normMs / 1000)).toFixed(1)} MB/s, ${Math.round(docs.length / (normMs / 1000)).toLocaleString('en')} invoices/s (${normMs.toFixed(0)} ms)`);
  console.log(`      ratio normalization / raw parse: ${(normMs / rawMs).toFixed(2)}× (same options), ${(normMs / defaultMs).toFixed(2)}× (default options) — target ≤ 1.3×`);
  console.log(`      validateUbl ${Math.round(models.length / (ublValidateMs / 1000)).toLocaleString('en')} invoices/s (${ublValidateMs.toFixed(0)} ms)`);
  if (sink === -1) console.log(sink);
}
