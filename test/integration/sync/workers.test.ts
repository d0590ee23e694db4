/**
 * The sync's worker threads against a swagger-checked Billit simulator: what a worker reads is what the
 * main thread would read, errors keep their class and code across the thread boundary, credentials are
 * renewed once on the main thread, backoff waits are the main thread's clock's, and a cancelled job ends
 * at once without spoiling the next.
 */
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { BillitError, createBillitClient, type OAuthTokens } from '../../../electron/core/billit';
import type { Clock } from '../../../electron/core/sync';
import { FEED_NAME, orderDownloads, readDocument } from '../../../electron/core/sync/reads';
import { statementsFromCoda } from '../../../electron/core/sync/convert';
import { createSyncWorkers } from '../../../electron/core/sync/workers';
import type { SyncWorkers } from '../../../electron/core/sync/ports';
import { addCodaFile, addFeed } from '../../../electron/demo/billit';
import type { FaultRule } from '../../../electron/demo/sim-server';
import { API_KEY, OAUTH_CLIENT, buildWorld, fastTiming, memoryLogger, startChecked, type CheckedSimulator, type World } from '../billit/world';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A clock that records what it was asked to wait, and waits a millisecond. */
function recordingClock(): Clock & { waits: number[] } {
  const waits: number[] = [];
  return {
    waits,
    now: () => Date.now(),
    sleep: (ms) => {
      waits.push(ms);
      return new Promise((resolve) => setTimeout(resolve, 1));
    },
  };
}

async function setUp(options: { faults?: FaultRule[]; oauth?: boolean } = {}) {
  const world = buildWorld();
  addFeed(world.state, FEED_NAME);
  const sim: CheckedSimulator = await startChecked(world.state, { faults: options.faults });
  cleanups.push(async () => {
    expect(sim.violations).toEqual([]);
    await sim.close();
  });
  const saved: OAuthTokens[] = [];
  const auth = options.oauth ? oauthOf(world, saved) : ({ kind: 'api-key', apiKey: API_KEY } as const);
  const log = memoryLogger();
  const main = createBillitClient({ baseUrl: sim.url, auth, accountantPartyId: world.state.office.partyId, logger: log, timing: fastTiming().timing });
  const clock = recordingClock();
  const workers: SyncWorkers = createSyncWorkers({
    baseUrl: sim.url,
    accountantPartyId: world.state.office.partyId,
    timing: { timeoutMs: 2_000, retries: 4, baseDelayMs: 1, maxDelayMs: 4 },
    auth: main.auth,
    clock,
    log,
    workers: 2,
  });
  cleanups.push(() => workers.close());
  const jobs = [...world.state.orders.values()]
    .filter((o) => o.companyId === world.linked.partyId)
    .map((o) => ({ dossier: { id: 7, enterpriseNumber: world.linked.enterpriseNumber }, companyId: o.companyId, orderId: o.orderId }));
  return { world, sim, main, workers, clock, log, saved, jobs };
}

/** OAuth credentials the simulator knows, whose access token Billit already considers expired. */
function oauthOf(world: World, saved: OAuthTokens[]) {
  const userId = [...world.state.users.values()].find((u) => u.kind === 'office')!.userId;
  const clientId = OAUTH_CLIENT.clientId;
  world.state.accessTokens.set('access-expired-early', { token: 'access-expired-early', clientId, userId, expiresAt: world.state.now().getTime() - 1, revoked: false });
  world.state.refreshTokens.set('refresh-1', { token: 'refresh-1', clientId, userId, used: false, revoked: false });
  return {
    kind: 'oauth' as const,
    clientId,
    clientSecret: OAUTH_CLIENT.clientSecret,
    // The app believes the token is good for an hour: only Billit's 401 says otherwise.
    tokens: { accessToken: 'access-expired-early', refreshToken: 'refresh-1', expiresAt: Date.now() + 3_600_000 },
    saveTokens: async (next: OAuthTokens) => {
      saved.push(next);
    },
  };
}

describe('the sync worker threads', () => {
  it('read every order exactly as the main thread would', async () => {
    const { main, workers, jobs } = await setUp();
    expect(jobs.length).toBeGreaterThan(5);
    const downloads = orderDownloads(main);
    const here = await Promise.all(jobs.map((job) => readDocument(downloads, job)));
    const there = await Promise.all(jobs.map((job) => workers.readDocument(job)));
    expect(there).toEqual(here);
    expect(there.every((d) => d.ubl instanceof Uint8Array && d.ubl.length > 0 && d.pdf instanceof Uint8Array)).toBe(true);
  });

  it('read a CODA feed item with its SHA-256 checked, and confirm items once delivered, each with its own outcome', async () => {
    const { world, main, workers } = await setUp({
      faults: [{ kind: 'server-error', status: 400, route: 'POST /v1/accountant/feeds/{feedName}/{feedItemID}/confirm', schedule: { nth: [2] } }],
    });
    const bytes = new Uint8Array(world.codaBytes);
    addCodaFile(world.state, world.linked.partyId, { fileName: 'BE68539007547034_2026-05-02.cod', bytes, iban: 'BE68539007547034' });
    const items = await main.pollFeed(FEED_NAME);
    const item = items.find((i) => i.EntityType === 'CODA')!;
    const view = { feedItemId: item.FeedItemID, entityType: item.EntityType, entityId: item.EntityID, partyId: item.PartyID };
    const read = await workers.readCoda(view);
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    expect(read.sha256).toBe(sha256);
    expect(read.converted).toEqual(statementsFromCoda(bytes, { sourceId: sha256, sourceIds: { feedItem: String(item.FeedItemID), companyId: String(item.PartyID) } }));
    await expect(workers.confirm([view], 'exported')).resolves.toEqual({ confirmed: [item.FeedItemID], failed: [] });
    expect(world.state.feeds.get(FEED_NAME)!.items.find((i) => i.feedItemId === item.FeedItemID)?.confirmed).toBeTruthy();
    // Refused once (a 400): that item's failure, with Billit's error; the call itself does not fail.
    const refused = await workers.confirm([view], 'exported');
    expect(refused.confirmed).toEqual([]);
    expect(refused.failed.map((f) => f.feedItemId)).toEqual([item.FeedItemID]);
    expect(refused.failed[0]!.error).toBeInstanceOf(BillitError);
    expect((refused.failed[0]!.error as BillitError).status).toBe(400);
    // Confirmed again (an answer lost on the way): not an error.
    await expect(workers.confirm([view], 'exported')).resolves.toEqual({ confirmed: [item.FeedItemID], failed: [] });
  });

  it('give a refused call back with its class, code and status', async () => {
    const { world, workers, jobs } = await setUp();
    const error = await workers.readDocument({ ...jobs[0]!, companyId: world.notLinked.partyId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillitError);
    expect((error as BillitError).code).toBe('auth');
    expect((error as BillitError).status).toBe(401);
  });

  it('have OAuth tokens renewed once, by the main thread, when Billit refuses them', async () => {
    const { world, workers, jobs, saved, log } = await setUp({ oauth: true });
    const docs = await Promise.all(jobs.map((job) => workers.readDocument(job)));
    expect(docs).toHaveLength(jobs.length);
    // One refresh for every worker and every request that met the 401: single-use refresh tokens.
    expect(saved).toHaveLength(1);
    expect([...world.state.refreshTokens.values()].filter((t) => t.used).map((t) => t.token)).toEqual(['refresh-1']);
    // The workers' log lines reach the main log, with no token in them.
    const lines = log.lines.join('\n');
    expect(lines).toMatch(/GET \/v1\/orders\/\d+ → 200/);
    for (const secret of ['access-expired-early', 'refresh-1', saved[0]!.accessToken, saved[0]!.refreshToken]) expect(lines).not.toContain(secret);
  });

  it('wait out a 429 on the main thread clock, as long as Billit asks', async () => {
    const { workers, jobs, clock } = await setUp({
      faults: [{ kind: 'rate-limit', route: 'GET /v1/orders/{orderID}', retryAfterSeconds: 3, schedule: { first: 1 } }],
    });
    await expect(workers.readDocument(jobs[0]!)).resolves.toMatchObject({ sourceId: String(jobs[0]!.orderId) });
    expect(clock.waits).toEqual([3_000]);
  });

  it('end a cancelled job at once and go on with the next', async () => {
    const { workers, jobs } = await setUp({ faults: [{ kind: 'latency', route: 'GET /v1/orders/{orderID}', latencyMs: 5_000, schedule: { first: 1 } }] });
    const abort = new AbortController();
    const started = Date.now();
    const slow = workers.readDocument(jobs[0]!, abort.signal);
    setTimeout(() => abort.abort(new AppError('cancelled', 'stopped by the test')), 50);
    await expect(slow).rejects.toMatchObject({ code: 'cancelled' });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect(workers.readDocument(jobs[1]!)).resolves.toMatchObject({ sourceId: String(jobs[1]!.orderId) });
  });
});
