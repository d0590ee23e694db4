/**
 * The chaos run: a sync of a demo office with faults injected at random on every route of both simulators,
 * and the app's process killed with SIGKILL at random points, many times, each time restarted. At the end
 * the cache and the export folders must equal those of a clean run (same world, no faults, no kills):
 * every document and statement there once, no partial file, no file twice, no manifest line twice, every
 * delivered feed item confirmed, a sound database.
 *
 * Billit's feed may be polled once a minute and the app keeps to it across restarts. A restart lands, at
 * random, either "at once" (a feed polled by the killed run is then left for later) or "a minute later"
 * (the child's clock moves on 61 s): both paths are taken. The final runs move the clock past the minute,
 * so what a kill during the feed step held back is delivered before the comparison.
 *
 * Used by `npm run test:chaos` (`run.ts`, large office) and, small, by the test suite.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { FEED_NAME } from '../../electron/core/sync';
import { startDemoOffice, type DemoOffice } from '../../electron/demo/office';
import { type FaultKind, type FaultRule } from '../../electron/demo/sim-server';
import { seededRandom } from '../../electron/demo/seed/prng';
import { manifestFileName } from '../../electron/core/export/manifest';
import { canonicalDump } from '../integration/sync/support';
import { tempDir } from '../support/repo';

export interface ChaosOptions {
  world: { seed: number; dossiers: number; invoicesPerDossier: number };
  kills: number;
  /** Probability of each fault kind on each request. */
  faultRate: number;
  seed: number;
  /** A line per run (progress of the chaos run itself). */
  log?: (line: string) => void;
}

export interface ChaosReport {
  world: { dossiers: number; documents: number; statements: number };
  clean: { ms: number };
  runs: number;
  /**
   * inWork: killed while its run reported work in a step; keptWork: of those, runs that had already stored,
   * exported or confirmed part of their work (proof the kill landed inside real work, not after it).
   */
  kills: { total: number; beforeWork: number; inWork: number; byStep: Record<string, number>; keptWork: number };
  restarts: { atOnce: number; aMinuteLater: number };
  faults: Record<string, number>;
  finalRuns: number;
  comparison: {
    documents: [number, number];
    statements: [number, number];
    files: [number, number];
    equal: { documents: boolean; statements: boolean; files: boolean };
    partial: string[];
    duplicateManifestLines: number;
    unconfirmedFeedItems: number;
    integrity: string;
  };
  ms: number;
}

const child = path.join(path.dirname(new URL(import.meta.url).pathname), 'chaos-child.ts');

function faultRules(rate: number, seed: number): FaultRule[] {
  const p = (k: number) => ({ probability: rate, seed: seed + k });
  return [
    { kind: 'latency', latencyMs: 2_000, schedule: p(1) },
    { kind: 'rate-limit', retryAfterSeconds: 0, schedule: p(2) },
    { kind: 'server-error', status: 503, schedule: p(3) },
    { kind: 'server-error', status: 500, schedule: p(4) },
    { kind: 'drop-connection', when: 'before', schedule: p(5) },
    { kind: 'drop-connection', when: 'after', schedule: p(6) },
    { kind: 'truncate-body', schedule: p(7) },
    { kind: 'wrong-sha256', schedule: { probability: Math.min(0.5, rate * 3), seed: seed + 8 } },
  ];
}

interface ChildRun {
  outcome: 'killed' | 'finished' | 'crashed';
  ms: number;
  /** The last step the child reported before it ended. */
  step: string | null;
  /** It reported work (progress) before it was killed. */
  worked: boolean;
  summary?: { status: string; errors: number };
}

/** When to kill: a time after the run started, or a time after the run reaches one of some steps. */
type Kill = { afterMs: number; inSteps?: string[] } | null;

function runChild(office: DemoOffice, data: string, exports: string, offsetMs: number, kill: Kill): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      env: {
        ...process.env,
        BVL_OFFICE: JSON.stringify({ billitUrl: office.billitUrl, veniceUrl: office.veniceUrl, credentials: office.credentials }),
        BVL_DATA: data,
        BVL_EXPORTS: exports,
        BVL_CLOCK_OFFSET_MS: String(offsetMs),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let started = 0;
    let killed = false;
    let step: string | null = null;
    let worked = false;
    let summary: ChildRun['summary'];
    let err = '';
    let buffer = '';
    p.stderr.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-4000)));
    p.stdout.on('data', (d: Buffer) => {
      buffer += d.toString();
      for (let nl = buffer.indexOf('\n'); nl >= 0; nl = buffer.indexOf('\n')) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        let m: { t?: string; step?: string; status?: string; errors?: number };
        try {
          m = JSON.parse(line) as typeof m;
        } catch {
          continue;
        }
        const arm = () => setTimeout(() => (killed = p.kill('SIGKILL')), kill!.afterMs);
        if (m.t === 'started') {
          started = performance.now();
          if (kill && !kill.inSteps) arm();
        } else if (m.t === 'progress') {
          if (kill?.inSteps && m.step !== step && kill.inSteps.includes(m.step!)) arm();
          step = m.step ?? step;
          worked = true;
        } else if (m.t === 'finished') summary = { status: m.status!, errors: m.errors! };
      }
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      const ms = started ? performance.now() - started : 0;
      if (killed && !summary) resolve({ outcome: 'killed', ms, step, worked });
      else if (code === 0 && summary) resolve({ outcome: 'finished', ms, step, worked, summary });
      else if (kill !== null) resolve({ outcome: 'crashed', ms, step, worked });
      else reject(new Error(`the app process failed (${code}): ${err}`));
    });
  });
}

/** Documents, statements and exported rows in a cache (what a killed run may have kept of its work). */
function progressOf(dbFile: string): string {
  if (!fs.existsSync(dbFile)) return '';
  const db = new Database(dbFile, { readonly: true });
  try {
    const count = (sql: string) => (db.prepare(sql).get() as { n: number }).n;
    return [
      count('SELECT count(*) AS n FROM documents'),
      count("SELECT count(*) AS n FROM documents WHERE status = 'exported'"),
      count('SELECT count(*) AS n FROM statements'),
      count("SELECT count(*) AS n FROM statements WHERE status = 'exported'"),
    ].join('/');
  } catch {
    return ''; // before the first migration
  } finally {
    db.close();
  }
}

function duplicateManifestLines(exportRoot: string): number {
  const file = path.join(exportRoot, manifestFileName);
  if (!fs.existsSync(file)) return 0;
  const seen = new Set<string>();
  let duplicates = 0;
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    try {
      const r = JSON.parse(line) as { path: string; sha256: string };
      const key = `${r.path}\0${r.sha256}`;
      if (seen.has(key)) duplicates++;
      seen.add(key);
    } catch {
      // a torn line is skipped by readers too
    }
  }
  return duplicates;
}

export async function runChaos(options: ChaosOptions): Promise<ChaosReport> {
  const log = options.log ?? (() => undefined);
  const began = performance.now();
  const cleanups: Array<() => Promise<void> | void> = [];
  try {
    // The clean run: same world, no faults, no kills.
    const cleanDir = tempDir('bvl-chaos-clean-');
    cleanups.push(cleanDir.cleanup);
    const cleanOffice = await startDemoOffice({ ...options.world, feeds: [FEED_NAME] });
    const linked = cleanOffice.world.dossiers.filter((d) => d.billit === 'linked');
    const world = {
      dossiers: cleanOffice.world.dossiers.length,
      documents: linked.reduce((n, d) => n + d.invoices().length, 0),
      statements: linked.reduce((n, d) => n + d.statements().length, 0),
    };
    const cleanData = path.join(cleanDir.dir, 'data');
    const cleanExports = path.join(cleanDir.dir, 'exports');
    const clean = await runChild(cleanOffice, cleanData, cleanExports, 0, null);
    await cleanOffice.close();
    log(`clean run: ${Math.round(clean.ms)} ms (${world.documents} documents, ${world.statements} statements in ${world.dossiers} dossiers)`);

    // The chaos run.
    const dir = tempDir('bvl-chaos-');
    cleanups.push(dir.cleanup);
    const office = await startDemoOffice({
      ...options.world,
      feeds: [FEED_NAME],
      faults: { billit: faultRules(options.faultRate, options.seed), venice: faultRules(options.faultRate, options.seed + 100) },
    });
    cleanups.push(() => office.close());
    const faults: Record<string, number> = {};
    const count = ({ entry }: { entry: { faults: FaultKind[] } }) => {
      for (const f of entry.faults) faults[f] = (faults[f] ?? 0) + 1;
    };
    office.billit.server.observe(count);
    office.venice.server.observe(count);

    const data = path.join(dir.dir, 'data');
    const exports = path.join(dir.dir, 'exports');
    const cache = path.join(data, 'cache.sqlite');
    const random = seededRandom(options.seed);
    const kills: ChaosReport['kills'] = { total: 0, beforeWork: 0, inWork: 0, byStep: {}, keptWork: 0 };
    const restarts = { atOnce: 0, aMinuteLater: 0 };
    let offset = 0;
    let runs = 0;
    // Kills take turns: at a random point after the run started; at a random point of the feed's orders; at
    // a random point of its statements (feed and statements come last in a run, where a kill by time alone
    // rarely lands). The window is sized so the work is spread over about the number of kills asked for, and
    // halved whenever a run gets through the work left (less is left than it allowed for). A restart comes "at
    // once" or "a minute later" at random; one meant to die in the statements comes a minute later, or the
    // feed rule would skip them. Once three runs in a row finish with nothing left to do, the office is
    // synced and no more kills can land in work.
    let span = Math.max(300, (clean.ms * 3) / options.kills);
    // The feed's pages under faults take long before their first commit: kills there get a wider window.
    const stepSpan = Math.max(span, clean.ms / 4);
    let idle = 0;
    const confirmed = () => office.billit.state.feeds.get(FEED_NAME)!.items.filter((i) => i.confirmed).length;
    while (kills.total < options.kills && runs < options.kills * 4 && idle < 3) {
      runs++;
      const mode = runs % 3;
      const later = runs > 1 && (mode === 0 || random() < 0.5);
      if (later) {
        offset += 61_000;
        restarts.aMinuteLater++;
      } else if (runs > 1) restarts.atOnce++;
      const kill: Kill =
        mode === 1
          ? { afterMs: Math.floor(random() * span) }
          : { afterMs: Math.floor(random() * stepSpan), inSteps: [mode === 2 ? 'feed' : 'statements'] };
      const before = `${progressOf(cache)} ${confirmed()}`;
      const run = await runChild(office, data, exports, offset, kill);
      if (run.outcome === 'finished') {
        const worked = `${progressOf(cache)} ${confirmed()}` !== before;
        if (worked) span = Math.max(100, span / 2);
        idle = run.summary!.status === 'done' && run.summary!.errors === 0 && !worked ? idle + 1 : 0;
        log(`run ${runs}: finished (${run.summary!.status}, ${run.summary!.errors} errors) in ${Math.round(run.ms)} ms`);
        continue;
      }
      kills.total++;
      if (run.worked && run.step) {
        kills.inWork++;
        kills.byStep[run.step] = (kills.byStep[run.step] ?? 0) + 1;
      } else kills.beforeWork++;
      const after = `${progressOf(cache)} ${confirmed()}`;
      if (after !== before) kills.keptWork++;
      log(`run ${runs}: killed after ${Math.round(run.ms)} ms in step ${run.step ?? '(start)'}; documents/exported/statements/exported and confirmed ${before} → ${after}`);
    }

    // Let the clock pass Billit's once-a-minute rule, then run until a run ends clean (faults still on).
    let finalRuns = 0;
    for (; finalRuns < 10; ) {
      finalRuns++;
      offset += 61_000;
      const run = await runChild(office, data, exports, offset, null);
      log(`final run ${finalRuns}: ${run.summary!.status}, ${run.summary!.errors} errors`);
      if (run.summary!.status === 'done' && run.summary!.errors === 0) break;
    }

    const expected = canonicalDump(path.join(cleanData, 'cache.sqlite'), cleanExports);
    const got = canonicalDump(cache, exports);
    const db = new Database(cache, { readonly: true });
    const integrity = String(db.pragma('integrity_check', { simple: true }));
    db.close();
    const feed = office.billit.state.feeds.get(FEED_NAME)!;
    const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
    return {
      world,
      clean: { ms: clean.ms },
      runs,
      kills,
      restarts,
      faults,
      finalRuns,
      comparison: {
        documents: [got.documents.length, expected.documents.length],
        statements: [got.statements.length, expected.statements.length],
        files: [Object.keys(got.files).length, Object.keys(expected.files).length],
        equal: { documents: same(got.documents, expected.documents), statements: same(got.statements, expected.statements), files: same(got.files, expected.files) },
        partial: got.partial,
        duplicateManifestLines: duplicateManifestLines(exports),
        unconfirmedFeedItems: feed.items.filter((i) => !i.confirmed && i.entityType !== 'Document').length,
        integrity,
      },
      ms: performance.now() - began,
    };
  } finally {
    for (const c of cleanups.reverse()) await c();
  }
}

/** The report as a few lines for people. */
export function describeChaos(r: ChaosReport): string[] {
  const c = r.comparison;
  const faults = Object.entries(r.faults)
    .sort()
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  const steps = Object.entries(r.kills.byStep)
    .map(([k, n]) => `${k} ${n}`)
    .join(', ');
  return [
    `world: ${r.world.dossiers} dossiers, ${r.world.documents} documents and ${r.world.statements} statements to sync; clean run ${(r.clean.ms / 1000).toFixed(1)} s`,
    `kills survived: ${r.kills.total} in ${r.runs} runs — ${r.kills.inWork} while the run reported work (${steps}), ${r.kills.beforeWork} before; ${r.kills.keptWork} of them had already stored, exported or confirmed part of their run's work`,
    `restarts: ${r.restarts.atOnce} at once, ${r.restarts.aMinuteLater} a minute later (clock moved 61 s); ${r.finalRuns} final runs past the once-a-minute rule`,
    `faults survived: ${Object.values(r.faults).reduce((a, b) => a + b, 0)} (${faults})`,
    `end state vs the clean run: documents ${c.documents[0]}/${c.documents[1]} ${c.equal.documents ? 'equal' : 'DIFFERENT'}, statements ${c.statements[0]}/${c.statements[1]} ${c.equal.statements ? 'equal' : 'DIFFERENT'}, files ${c.files[0]}/${c.files[1]} ${c.equal.files ? 'equal' : 'DIFFERENT'}`,
    `partial files ${c.partial.length}, manifest lines twice ${c.duplicateManifestLines}, feed items left unconfirmed ${c.unconfirmedFeedItems}, integrity_check ${c.integrity}; ${(r.ms / 1000).toFixed(0)} s in all`,
  ];
}

export function chaosHeld(r: ChaosReport): boolean {
  const c = r.comparison;
  return c.equal.documents && c.equal.statements && c.equal.files && c.partial.length === 0 && c.duplicateManifestLines === 0 && c.unconfirmedFeedItems === 0 && c.integrity === 'ok' && c.documents[1] > 0;
}
