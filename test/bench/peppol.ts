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
 *
 * `--sync`: the sync of a demo office (40 dossiers, ~5,000 documents; the `sync` bench's quick size) with the
 * background checks on, beside the same sync with them off, alternated A B A B on fresh offices and caches:
 * the ratio of the times, and what Venice's import rules (checked on the sync's path, before export) cost.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import type SaxonJsModule from 'saxon-js';
import { renderUbl } from '../../electron/demo/seed/documents';
import { DemoWorld } from '../../electron/demo/seed/world';
import { readableLocation } from '../../electron/core/checks/location';
import { createCheckPool } from '../../electron/core/checks/pool';
import { findRules } from '../../electron/core/checks/rules';
import { CHECK_BATCH } from '../../electron/core/checks/queue';
import { createCore } from '../../electron/core';
import type { SyncRunSummary } from '../../shared/api';
import type { BenchOfficeInfo } from './_sync-office';

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

/** One full sync of a fresh demo office (in its own process) into a fresh cache; seconds, documents, and Venice's rules' cost. */
async function syncOnce(background: boolean): Promise<{ seconds: number; documents: number; veniceMs: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '_sync-office.ts'), '--seed', '5', '--dossiers', '40', '--invoices', '120', '--sample', '1'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const info = await new Promise<BenchOfficeInfo>((resolve) => lines.once('line', (l) => resolve(JSON.parse(l) as BenchOfficeInfo)));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-bench-checks-sync-'));
  try {
    const core = await createCore({
      dataDir: path.join(dir, 'data'),
      version: 'bench',
      host: 'browser',
      demo: { office: info },
      exportRoot: path.join(dir, 'exports'),
      sync: { feedIntervalMs: 0 },
      syncOnStartup: false,
      checks: { background },
    });
    await core.call('dossiers.refresh', undefined);
    const finished = new Promise<SyncRunSummary>((resolve) => {
      const off = core.subscribe((event, payload) => {
        if (event === 'sync.finished') {
          off();
          resolve(payload as SyncRunSummary);
        }
      });
    });
    const started = performance.now();
    await core.call('sync.start', undefined);
    const summary = await finished;
    const seconds = (performance.now() - started) / 1000;
    // Venice's rules again over every document, as the export path ran them: their share of the sync.
    const cache = (await import('../../electron/core/cache')).openCache(path.join(dir, 'data', 'cache.sqlite'));
    let veniceMs = 0;
    for (const d of cache.dossiers.all()) {
      const ids = cache.documents.page({ dossierId: d.id, limit: 1000 }).items.map((i) => i.id);
      const t = performance.now();
      core.checks.toHold(d, ids);
      veniceMs += performance.now() - t;
    }
    await cache.close();
    await core.close();
    return { seconds, documents: summary.documents, veniceMs };
  } finally {
    child.stdin.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function syncBeside(): Promise<void> {
  const runs: Array<{ background: boolean; seconds: number; documents: number; veniceMs: number }> = [];
  for (const background of [true, false, true, false, true, false]) runs.push({ background, ...(await syncOnce(background)) });
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const off = runs.filter((r) => !r.background);
  const on = runs.filter((r) => r.background);
  console.log(`sync of a demo office (${runs[0]!.documents} documents), alternated off/on, fresh office and cache each: checks off ${off.map((r) => r.seconds.toFixed(1)).join(' / ')} s, checks on ${on.map((r) => r.seconds.toFixed(1)).join(' / ')} s`);
  const best = (xs: number[]) => Math.min(...xs);
  console.log(`  ratio on / off: medians ${(median(on.map((r) => r.seconds)) / median(off.map((r) => r.seconds))).toFixed(3)}, best runs ${(best(on.map((r) => r.seconds)) / best(off.map((r) => r.seconds))).toFixed(3)} (goal ≤ 1.10; load average ${os.loadavg()[0]!.toFixed(1)}); Venice's rules on the export path: ${median(runs.map((r) => r.veniceMs)).toFixed(0)} ms for all documents (${((100 * median(runs.map((r) => r.veniceMs))) / 1000 / median(off.map((r) => r.seconds))).toFixed(1)} % of the sync)`);
}

export default async function bench(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  if (args.includes('--sync')) {
    await syncBeside();
    return;
  }
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
  const rounds = quick ? 1 : 4;
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
  let t = performance.now();
  baseResults.set(big.name, baseline(big));
  const baseBig = performance.now() - t;
  // The fixed cost of a call: an empty invoice, where nothing but the stylesheet's own work is left.
  const empty: Doc = { name: 'empty', bytes: new TextEncoder().encode('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>') };
  const emptyTimes: number[] = [];
  for (let i = 0; i < 12; i++) {
    t = performance.now();
    baseline(empty);
    emptyTimes.push(performance.now() - t);
  }

  // At the same OS priority as the baseline (the app's workers run lower, to yield to the sync and the UI).
  const pool = createCheckPool({ rules, size: 2, lowPriority: false });
  started = performance.now();
  await pool.warm();
  const warmMs = performance.now() - started;
  // One worker too: what the pool does per core, whatever else shares the machine's cores.
  const single = createCheckPool({ rules, size: 1, lowPriority: false });
  await single.warm();
  await single.check(typical.slice(0, 4).map((d) => ({ key: d.name, bytes: d.bytes })));
  const poolResults = new Map<string, string[]>();
  const ruleFindings = (r: Awaited<ReturnType<typeof pool.check>>[number]) =>
    r.findings.filter((f) => f.source !== 'schema').map((f) => `${f.code} ${f.severity} ${f.location ?? ''}`).sort();
  await pool.check(typical.slice(0, 4).map((d) => ({ key: d.name, bytes: d.bytes })));

  // Rounds alternate baseline and pool, so that load from other work falls on both alike.
  let baseSeconds = 0;
  let poolSeconds = 0;
  let singleSeconds = 0;
  const inBatches = async (p: typeof pool) => {
    const batches: Promise<void>[] = [];
    for (let i = 0; i < typical.length; i += CHECK_BATCH) {
      const batch = typical.slice(i, i + CHECK_BATCH);
      batches.push(p.check(batch.map((d) => ({ key: d.name, bytes: d.bytes }))).then((rs) => rs.forEach((x) => poolResults.set(x.key, ruleFindings(x)))));
    }
    await Promise.all(batches);
  };
  for (let r = 0; r < rounds; r++) {
    started = performance.now();
    for (const d of typical) {
      t = performance.now();
      baseResults.set(d.name, baseline(d));
      baseTimes.push(performance.now() - t);
    }
    baseSeconds += (performance.now() - started) / 1000;
    // The pool: everything queued at once, in the background queue's batches.
    started = performance.now();
    await inBatches(pool);
    poolSeconds += (performance.now() - started) / 1000;
    started = performance.now();
    await inBatches(single);
    singleSeconds += (performance.now() - started) / 1000;
  }
  await single.close();
  const singleRate = (typical.length * rounds) / singleSeconds;
  const baseRate = (typical.length * rounds) / baseSeconds;
  const poolRate = (typical.length * rounds) / poolSeconds;
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
  // The same fixed cost in the pool: 32 empty invoices in one job (schema included), per document.
  await pool.check(Array.from({ length: 32 }, (_, i) => ({ key: String(i), bytes: empty.bytes })), { priority: true });
  t = performance.now();
  await pool.check(Array.from({ length: 32 }, (_, i) => ({ key: String(i), bytes: empty.bytes })), { priority: true });
  const poolEmpty = (performance.now() - t) / 32;
  const stats = pool.stats();
  await pool.close();

  const differ = [...baseResults].filter(([name, r]) => JSON.stringify(r) !== JSON.stringify(poolResults.get(name)));
  console.log(`baseline (1 thread, 1 transform per rule set and document): SEF load ${loadMs.toFixed(0)} ms, first document ${primeMs.toFixed(0)} ms`);
  console.log(`  typical invoices  ${baseRate.toFixed(1)} documents/s, ${summary(baseTimes)}; 100-line invoice ${baseBig.toFixed(0)} ms`);
  console.log(`check pool (${pool.size} workers, warm; schema + rules):`);
  console.log(`  typical invoices  ${poolRate.toFixed(1)} documents/s in batches of ${CHECK_BATCH} — ${(poolRate / baseRate).toFixed(2)}× the baseline — goal ≥ 20/s`);
  console.log(`  one worker alone  ${singleRate.toFixed(1)} documents/s — ${(singleRate / baseRate).toFixed(2)}× the baseline per core (two workers on two free cores: ~${(2 * singleRate).toFixed(0)}/s)`);
  console.log(`  one document alone ${summary(alone)}; 100-line invoice ${poolBig.toFixed(0)} ms (${(baseBig / poolBig).toFixed(2)}× faster than the baseline)`);
  console.log(`  fixed cost of an empty invoice: ${[...emptyTimes].sort((a, b) => a - b)[6]!.toFixed(0)} ms per document in the baseline, ${poolEmpty.toFixed(1)} ms in the pool (stylesheet preparation paid once per batch for CEN, the parse once for both rule sets)`);
  console.log(`  workers: cold start ${stats.map((s) => `${(s.loadMs + s.primeMs).toFixed(0)} ms (load ${s.loadMs.toFixed(0)} + prime ${s.primeMs.toFixed(0)})`).join(', ')}; pool ready in ${warmMs.toFixed(0)} ms`);
  console.log(`  peak heap per worker ${stats.map((s) => `${(s.peakHeap / 1048576).toFixed(0)} MB`).join(', ')}; process peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB (this thread holds the baseline's rules too)`);
  console.log(`  rule findings identical to the baseline: ${baseResults.size - differ.length}/${baseResults.size} documents`);
  if (differ.length) {
    for (const [name, r] of differ.slice(0, 5)) console.log(`    DIFFER ${name}: baseline ${r.join('; ')} | pool ${poolResults.get(name)?.join('; ')}`);
    throw new Error('the check pool and the baseline disagree');
  }
}
