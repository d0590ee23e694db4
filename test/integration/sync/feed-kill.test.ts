/**
 * A sync killed during the feed step and restarted at once — within the minute Billit allows between two
 * polls of the accountant feed — delivers the bank statements that poll brought in the restarted run,
 * without polling again, and its summary says the poll was skipped. Both runs are real processes; the kill
 * is SIGKILL.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startDemoOffice, type DemoOffice } from '../../../electron/demo/office';
import { FEED_NAME } from '../../../electron/core/sync';
import type { SyncRunSummary } from '../../../shared/api';
import { tempDir } from '../../support/repo';

const child = path.join(path.dirname(new URL(import.meta.url).pathname), 'sync-child.ts');
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

/** Run the sync child with Billit's real minute between polls; kill it as soon as it reaches `killAtStep`. */
function runChild(office: DemoOffice, data: string, exports: string, killAtStep: string | null): Promise<{ killed: boolean; summary: SyncRunSummary | null }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child], {
      env: {
        ...process.env,
        BVL_OFFICE: JSON.stringify({ billitUrl: office.billitUrl, veniceUrl: office.veniceUrl, credentials: office.credentials }),
        BVL_DATA: data,
        BVL_EXPORTS: exports,
        BVL_FEED_INTERVAL_MS: '60000',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let killed = false;
    let out = '';
    let err = '';
    p.stderr.on('data', (d: Buffer) => (err += d.toString()));
    p.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (killAtStep && !killed && out.split('\n').includes(`step ${killAtStep}`)) killed = p.kill('SIGKILL');
    });
    p.on('error', reject);
    p.on('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('summary '));
      const summary = line ? (JSON.parse(line.slice('summary '.length)) as SyncRunSummary) : null;
      if (killed || code === 0) resolve({ killed, summary });
      else reject(new Error(`child failed (${code}): ${err.slice(-2000)}`));
    });
  });
}

function statementFiles(dbFile: string): number {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(`SELECT count(DISTINCT coda_sha256) FROM statements WHERE status = 'exported'`).pluck().get() as number;
  } finally {
    db.close();
  }
}

describe('a sync killed during the feed step', () => {
  it('delivers the statements of that poll in the run restarted at once, without polling again', async () => {
    const office = await startDemoOffice({
      seed: 23,
      dossiers: 4,
      invoicesPerDossier: 3,
      feeds: [FEED_NAME],
      // Each statement takes a moment to download: the kill lands while they are on their way.
      faults: { billit: [{ kind: 'latency', route: 'GET /v1/accountant/feeds/{feedName}/{feedItemID}', latencyMs: 200 }] },
    });
    cleanups.push(() => office.close());
    const dir = tempDir('bvl-feed-kill-');
    cleanups.push(dir.cleanup);
    const data = path.join(dir.dir, 'data');
    const exports = path.join(dir.dir, 'exports');
    const feed = office.billit.state.feeds.get(FEED_NAME)!;
    const openCodas = () => feed.items.filter((i) => i.entityType === 'CODA' && !i.confirmed);
    const codas = openCodas().length;
    expect(codas).toBeGreaterThan(0);

    const first = await runChild(office, data, exports, 'statements');
    expect(first.killed).toBe(true);
    // The kill came before any statement was delivered: all of them are still open in the feed.
    expect(openCodas().length).toBe(codas);

    office.billit.server.clearLog();
    const second = await runChild(office, data, exports, null);
    expect(second.summary).toMatchObject({ status: 'done' });
    // The statements arrive in this run …
    expect(second.summary!.statements).toBeGreaterThan(0);
    expect(openCodas()).toEqual([]);
    expect(statementFiles(path.join(data, 'cache.sqlite'))).toBe(codas);
    // … without a new poll, which Billit would not allow yet, and the summary says so.
    const polls = office.billit.server.requestLog().filter((e) => e.route === 'GET /v1/accountant/feeds/{feedName}');
    expect(polls).toEqual([]);
    expect(second.summary!.notes).toEqual([expect.objectContaining({ code: 'feed.poll-skipped' })]);
  }, 120_000);
});
