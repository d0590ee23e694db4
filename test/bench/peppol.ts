/**
 * `npm run bench -- peppol [--quick]`: the official checks (UBL 2.1 schema, EN 16931 and Peppol BIS 3.0 rules)
 * on the Peppol examples, the demo office's invoices and a 100-line invoice.
 *
 * Baseline, as the rules' README measured it: one SaxonJS transform per rule set per document, from the
 * document's text, on this thread (the SEFs loaded once). Beside it, the app's check pool on two worker
 * threads, warm: documents/s for the typical invoices (examples + demo office) handed over as the background
 * queue does (batches), p50/p95 of one document checked alone (what the user waits for after opening one),
 * the 100-line invoice, each worker's cold start and peak heap. The rule findings of both must be identical
 * (id, flag, location) for every document; the bench fails otherwise. Figures taken while other work shares
 * the cores: compare the ratios, taken in the same run.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type SaxonJsModule from 'saxon-js';
import { renderUbl } from '../../electron/demo/seed/documents';
import { DemoWorld } from '../../electron/demo/seed/world';
import { readableLocation } from '../../electron/core/checks/location';
import { createCheckPool } from '../../electron/core/checks/pool';
import { findRules } from '../../electron/core/checks/rules';
import { CHECK_BATCH } from '../../electron/core/checks/queue';

const here = path.dirname(fileURLToPath(import.meta.url));
const PEPPOL = path.resolve(here, '../../../shared/peppol/tests');
const RULES = path.resolve(here, '../../resources/rules');
const SaxonJS = createRequire(import.meta.url)('saxon-js') as typeof SaxonJsModule;

interface Doc {
  name: string;
  bytes: Uint8Array;
}

function pct(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
}

function summary(ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `p50 ${pct(s, 0.5).toFixed(0)} ms, p95 ${pct(s, 0.95).toFixed(0)} ms`;
}

export default async function bench(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const rules = findRules(RULES);
  if (!rules) throw new Error(`no rules release in ${RULES}`);

  const examples: Doc[] = fs
    .readdirSync(path.join(PEPPOL, 'peppol-3.0.19/examples'))
    .sort()
    .map((f) => ({ name: f, bytes: new Uint8Array(fs.readFileSync(path.join(PEPPOL, 'peppol-3.0.19/examples', f))) }));
  const world = new DemoWorld();
  const demo: Doc[] = [];
  const wanted = quick ? 23 : 111;
  for (const d of world.dossiers) {
    for (const inv of d.invoices()) {
      if (demo.length >= wanted) break;
      demo.push({ name: `demo ${d.veniceId} ${inv.number}`, bytes: renderUbl(d, inv) });
    }
  }
  const big: Doc = { name: 'invoice-100-lines.xml', bytes: new Uint8Array(fs.readFileSync(path.join(PEPPOL, 'generated/invoice-100-lines.xml'))) };
  const typical = [...examples, ...demo];
  const rounds = quick ? 1 : 3;
  console.log(`rules: ${rules.release.name}; ${examples.length} Peppol examples + ${demo.length} demo invoices (typical), and a 100-line invoice (${(big.bytes.length / 1024).toFixed(0)} KB)`);

  // ---- baseline: one transform per rule set and document, on this thread
  let started = performance.now();
  const sefs = rules.release.ruleSets.map((r) => ({ id: r.id, sef: JSON.parse(zlib.gunzipSync(fs.readFileSync(r.path)).toString('utf8')) as object }));
  const loadMs = performance.now() - started;
  const decoder = new TextDecoder();
  const baseline = (doc: Doc): string[] => {
    const text = decoder.decode(doc.bytes);
    const out: string[] = [];
    for (const { sef } of sefs) {
      const res = SaxonJS.transform({ stylesheetInternal: sef, sourceText: text, destination: 'document' }, 'sync');
      const asserts = SaxonJS.XPath.evaluate(
        "//svrl:failed-assert ! string-join((string(@id), string(@flag), string(@location)), '\u0001')",
        res.principalResult as object,
        { namespaceContext: { svrl: 'http://purl.oclc.org/dsdl/svrl' }, resultForm: 'array' },
      ) as string[];
      for (const a of asserts) {
        const [id, flag, location] = a.split('\u0001') as [string, string, string];
        out.push(`${id} ${flag === 'fatal' ? 'error' : 'warning'} ${readableLocation(location)}`);
      }
    }
    return out.sort();
  };
  started = performance.now();
  baseline(examples[0]!);
  const primeMs = performance.now() - started;
  for (const d of typical.slice(0, 5)) baseline(d); // warm-up
  const baseResults = new Map<string, string[]>();
  const baseTimes: number[] = [];
  started = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (const d of typical) {
      const t = performance.now();
      baseResults.set(d.name, baseline(d));
      baseTimes.push(performance.now() - t);
    }
  }
  const baseRate = (typical.length * rounds) / ((performance.now() - started) / 1000);
  let t = performance.now();
  baseResults.set(big.name, baseline(big));
  const baseBig = performance.now() - t;

  // ---- the check pool: two warm workers
  const pool = createCheckPool({ rules, size: 2 });
  started = performance.now();
  await pool.warm();
  const warmMs = performance.now() - started;
  const poolResults = new Map<string, string[]>();
  const ruleFindings = (r: Awaited<ReturnType<typeof pool.check>>[number]) =>
    r.findings.filter((f) => f.source !== 'schema').map((f) => `${f.code} ${f.severity} ${f.location ?? ''}`).sort();
  // Throughput: everything queued at once, in the background queue's batches.
  await pool.check(typical.slice(0, 4).map((d) => ({ key: d.name, bytes: d.bytes })));
  started = performance.now();
  for (let r = 0; r < rounds; r++) {
    const batches: Promise<void>[] = [];
    for (let i = 0; i < typical.length; i += CHECK_BATCH) {
      const batch = typical.slice(i, i + CHECK_BATCH);
      batches.push(pool.check(batch.map((d) => ({ key: d.name, bytes: d.bytes }))).then((rs) => rs.forEach((x) => poolResults.set(x.key, ruleFindings(x)))));
    }
    await Promise.all(batches);
  }
  const poolRate = (typical.length * rounds) / ((performance.now() - started) / 1000);
  // One document at a time, as when the user opens one.
  const alone: number[] = [];
  for (const d of typical.slice(0, quick ? 12 : 40)) {
    t = performance.now();
    await pool.check([{ key: d.name, bytes: d.bytes }], { priority: true });
    alone.push(performance.now() - t);
  }
  t = performance.now();
  const [bigResult] = await pool.check([{ key: big.name, bytes: big.bytes }], { priority: true });
  const poolBig = performance.now() - t;
  poolResults.set(big.name, ruleFindings(bigResult!));
  const stats = pool.stats();
  await pool.close();

  const differ = [...baseResults].filter(([name, r]) => JSON.stringify(r) !== JSON.stringify(poolResults.get(name)));
  console.log(`baseline (1 thread, 1 transform per rule set and document): SEF load ${loadMs.toFixed(0)} ms, first document ${primeMs.toFixed(0)} ms`);
  console.log(`  typical invoices  ${baseRate.toFixed(1)} documents/s, ${summary(baseTimes)}; 100-line invoice ${baseBig.toFixed(0)} ms`);
  console.log(`check pool (${pool.size} workers, warm; schema + rules):`);
  console.log(`  typical invoices  ${poolRate.toFixed(1)} documents/s in batches of ${CHECK_BATCH} — ${(poolRate / baseRate).toFixed(2)}× the baseline — goal ≥ 20/s`);
  console.log(`  one document alone ${summary(alone)}; 100-line invoice ${poolBig.toFixed(0)} ms (${(baseBig / poolBig).toFixed(2)}× faster than the baseline)`);
  console.log(`  workers: cold start ${stats.map((s) => `${(s.loadMs + s.primeMs).toFixed(0)} ms (load ${s.loadMs.toFixed(0)} + prime ${s.primeMs.toFixed(0)})`).join(', ')}; pool ready in ${warmMs.toFixed(0)} ms`);
  console.log(`  peak heap per worker ${stats.map((s) => `${(s.peakHeap / 1048576).toFixed(0)} MB`).join(', ')}; process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (this thread holds the baseline's rules too)`);
  console.log(`  rule findings identical to the baseline: ${baseResults.size - differ.length}/${baseResults.size} documents`);
  if (differ.length) {
    for (const [name, r] of differ.slice(0, 5)) console.log(`    DIFFER ${name}: baseline ${r.join('; ')} | pool ${poolResults.get(name)?.join('; ')}`);
    throw new Error('the check pool and the baseline disagree');
  }
}
