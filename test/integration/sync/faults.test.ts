/**
 * Faults on every route of both simulators — timeouts, 429 with Retry-After, 5xx, dropped connections
 * (before and after the server acted), truncated bodies, wrong SHA-256 on feed files — and the cache and
 * export folders end exactly as after a run without faults.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import type { FaultRule } from '../../../electron/demo/sim-server';
import { tempDir } from '../../support/repo';
import { call, canonicalDump, syncNow, testClock } from './support';
import { demoOffice, type DemoOffice } from '../../../electron/demo/office';

const world = { seed: 23, dossiers: 6, invoicesPerDossier: 10 };
const cleanups: Array<() => Promise<void> | void> = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

function faults(seed: number): FaultRule[] {
  const p = (k: number) => ({ probability: 0.06, seed: seed + k });
  return [
    { kind: 'latency', latencyMs: 400, schedule: p(1) },
    { kind: 'rate-limit', retryAfterSeconds: 0, schedule: p(2) },
    { kind: 'server-error', status: 503, schedule: p(3) },
    { kind: 'server-error', status: 500, schedule: p(4) },
    { kind: 'drop-connection', when: 'before', schedule: p(5) },
    { kind: 'drop-connection', when: 'after', schedule: p(6) },
    { kind: 'truncate-body', schedule: p(7) },
    { kind: 'wrong-sha256', schedule: { probability: 0.3, seed: seed + 8 } },
  ];
}

async function syncedWorld(withFaults: boolean): Promise<{ dump: ReturnType<typeof canonicalDump>; core: Core<DemoOffice> }> {
  const dir = tempDir('bvl-sync-faults-');
  const clock = testClock();
  const exportRoot = path.join(dir.dir, 'exports');
  const core = await createCore({
    dataDir: path.join(dir.dir, 'data'),
    version: '0.0.0-test',
    host: 'browser',
    demo: demoOffice({ ...world, ...(withFaults ? { faults: { billit: faults(100), venice: faults(200) } } : {}) }),
    exportRoot,
    clock,
    timing: { baseDelayMs: 1, maxDelayMs: 4, timeoutMs: 200, retries: 4 },
    sync: { offlineProbeMs: 10 },
    syncOnStartup: false,
  });
  cleanups.push(() => dir.cleanup(), () => core.close());
  // Whatever the faults, a refresh and a couple of runs converge (a run that met a fault it could not
  // get past says so and leaves the rest for the next one).
  for (let attempt = 0; attempt < 5; attempt++) {
    const ok = await core.call('dossiers.refresh', undefined);
    if (ok.ok) break;
  }
  for (let run = 0; run < 6; run++) {
    clock.advance(61_000);
    const summary = await syncNow(core);
    if (summary.status === 'done' && summary.errors === 0 && run > 0) break;
  }
  return { dump: canonicalDump(path.join(dir.dir, 'data', 'cache.sqlite'), exportRoot), core };
}

describe('sync under injected faults', () => {
  it('ends with the same cache and export folders as a run without faults', async () => {
    const clean = await syncedWorld(false);
    const faulty = await syncedWorld(true);
    expect(clean.dump.documents.length).toBeGreaterThan(0);
    expect(clean.dump.statements.length).toBeGreaterThan(0);
    const log = faulty.core.demoOffice!.billit.server.requestLog();
    // The faults really happened, on the routes the sync uses.
    const faulted = new Set(log.filter((e) => e.faults.length).flatMap((e) => e.faults));
    expect([...faulted]).toEqual(expect.arrayContaining(['latency', 'rate-limit', 'server-error', 'drop-connection', 'truncate-body', 'wrong-sha256']));
    expect(faulty.dump.partial).toEqual([]);
    expect(faulty.dump.documents).toEqual(clean.dump.documents);
    expect(faulty.dump.statements).toEqual(clean.dump.statements);
    expect(faulty.dump.files).toEqual(clean.dump.files);
    const status = await call<{ lastRun: { status: string } }>(faulty.core, 'sync.status');
    expect(status.lastRun.status).toBe('done');
  }, 120_000);
});
