/**
 * Exactly once across kills: a sync in a child process is killed with SIGKILL at random points, restarted
 * each time, and in the end the cache and the export folders equal those of a clean run; the database
 * passes integrity_check and no export folder holds a partial file.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoOffice, type DemoOffice } from '../../../electron/demo/office';
import { FEED_NAME } from '../../../electron/core/sync';
import { tempDir } from '../../support/repo';
import { seededRandom } from '../../../electron/demo/seed/prng';
import { canonicalDump } from './support';

const world = { seed: 31, dossiers: 5, invoicesPerDossier: 24 };
const child = path.join(path.dirname(new URL(import.meta.url).pathname), 'sync-child.ts');
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function officeJson(office: DemoOffice): string {
  return JSON.stringify({ billitUrl: office.billitUrl, veniceUrl: office.veniceUrl, credentials: office.credentials });
}

/**
 * Run the child; kill it `killAfterMs` after it says the sync started (null: let it finish). Resolves with
 * how it ended and how long its run lasted (from `started` to its exit).
 */
function runChild(office: DemoOffice, data: string, exports: string, killAfterMs: number | null): Promise<{ outcome: 'killed' | 'done' | 'failed'; ms: number }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      env: { ...process.env, BVL_OFFICE: officeJson(office), BVL_DATA: data, BVL_EXPORTS: exports },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let killed = false;
    let started = 0;
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      if (!started && d.toString().includes('started')) {
        started = performance.now();
        if (killAfterMs !== null)
          setTimeout(() => {
            killed = p.kill('SIGKILL');
          }, killAfterMs);
      }
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      const ms = started ? performance.now() - started : 0;
      if (killed) resolve({ outcome: 'killed', ms });
      else if (code === 0) resolve({ outcome: 'done', ms });
      else if (killAfterMs !== null) resolve({ outcome: 'failed', ms });
      else reject(new Error(`child failed (${code}): ${err.slice(-2000)}`));
    });
  });
}

async function office(): Promise<DemoOffice> {
  const o = await startDemoOffice({ ...world, feeds: [FEED_NAME] });
  cleanups.push(() => o.close());
  return o;
}

describe('a sync killed at random points', () => {
  it('ends equal to a clean run, with a sound database and no partial file', async () => {
    const cleanDir = tempDir('bvl-sync-clean-');
    const killDir = tempDir('bvl-sync-kill-');
    cleanups.push(cleanDir.cleanup, killDir.cleanup);
    const cleanOffice = await office();
    const cleanData = path.join(cleanDir.dir, 'data');
    const cleanExports = path.join(cleanDir.dir, 'exports');
    const cleanRun = await runChild(cleanOffice, cleanData, cleanExports, null);
    expect(cleanRun.outcome).toBe('done');

    const killOffice = await office();
    const data = path.join(killDir.dir, 'data');
    const exports = path.join(killDir.dir, 'exports');
    const random = seededRandom(2026);
    let kills = 0;
    let runs = 0;
    // A kill lands at a random point of a run as long as the last complete one: the first runs have the
    // whole office to sync (the clean run's length), later ones less and less.
    let span = cleanRun.ms;
    while (kills < 20 && runs < 60) {
      runs++;
      const run = await runChild(killOffice, data, exports, Math.floor(random() * span));
      if (process.env.BVL_TEST_VERBOSE) console.log(`run ${runs}: ${run.outcome} after ${Math.round(run.ms)} ms`);
      if (run.outcome === 'killed') kills++;
      else if (run.outcome === 'done') span = run.ms;
    }
    expect(kills).toBeGreaterThanOrEqual(20);
    // The kills landed inside real work: killed runs had already stored documents before the last run.
    expect(canonicalDump(path.join(data, 'cache.sqlite'), exports).documents.length).toBeGreaterThan(0);
    expect((await runChild(killOffice, data, exports, null)).outcome).toBe('done');

    const clean = canonicalDump(path.join(cleanData, 'cache.sqlite'), cleanExports);
    const after = canonicalDump(path.join(data, 'cache.sqlite'), exports);
    expect(clean.documents.length).toBeGreaterThan(0);
    expect(after.partial).toEqual([]);
    expect(after.documents).toEqual(clean.documents);
    expect(after.statements).toEqual(clean.statements);
    expect(after.files).toEqual(clean.files);
    const db = new Database(path.join(data, 'cache.sqlite'), { readonly: true });
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.close();
    // Every feed item was confirmed once delivered, none lost.
    const feed = killOffice.billit.state.feeds.get(FEED_NAME)!;
    expect(feed.items.filter((i) => !i.confirmed && i.entityType !== 'Document')).toEqual([]);
  }, 170_000);
});
