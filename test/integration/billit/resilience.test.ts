import { describe, expect, it } from 'vitest';
import { BillitError, BillitIntegrityError } from '../../../electron/core/billit';
import type { FaultRule } from '../../../electron/demo/sim-server';
import {
  API_KEY,
  FEED,
  apiKeyClient,
  buildWorld,
  checkedSimulatorPerTest,
  fastTiming,
  memoryLogger,
  type World,
} from './world';

const simulators = checkedSimulatorPerTest();

async function start(faults: FaultRule[], timingExtra = {}) {
  const world = buildWorld();
  const running = await simulators.start(world.state, { faults });
  const { timing, waits } = fastTiming(timingExtra);
  const logger = memoryLogger();
  const client = apiKeyClient(running.url, world, { timing, logger });
  return { world, client, waits, logger, sim: running.sim };
}

const partiesNamed = (world: World, name: string) => [...world.state.parties.values()].filter((p) => p.name === name);

const supplier = (name: string, vat?: string) => ({ PartyType: 'Supplier' as const, Name: name, ...(vat ? { VATNumber: vat } : {}) });

describe('Billit client resilience under injected faults', () => {
  it('waits as long as Retry-After says on 429, then succeeds', async () => {
    const { world, client, waits, sim } = await start([
      { kind: 'rate-limit', route: 'GET /v1/orders', retryAfterSeconds: 3, schedule: { first: 2 } },
    ]);
    const orders = await client.listOrders(world.linked.partyId);
    expect(orders).toHaveLength(12);
    expect(waits).toEqual([3000, 3000]);
    expect(sim.requestLog().map((e) => e.status)).toEqual([429, 429, 200]);
  });

  it('retries 5xx with exponential backoff and jitter, and a POST creates once', async () => {
    const waitsRef: number[] = [];
    const { world, client, waits, sim } = await start(
      [
        { kind: 'server-error', route: 'POST /v1/parties', status: 503, schedule: { first: 1 } },
        { kind: 'server-error', route: 'POST /v1/parties', status: 500, schedule: { nth: [2] } },
        { kind: 'server-error', route: 'POST /v1/parties', status: 502, schedule: { nth: [3] } },
      ],
      { baseDelayMs: 100, maxDelayMs: 10_000, sleep: async (ms: number) => void waitsRef.push(ms) },
    );
    const id = await client.createOrUpdateParty(world.linked.partyId, supplier('Drukkerij Verbeke', 'BE0202239951'));
    expect(partiesNamed(world, 'Drukkerij Verbeke').map((p) => p.partyId)).toEqual([id]);
    expect(sim.requestLog().map((e) => e.status)).toEqual([503, 500, 502, 200]);
    // One idempotency key for the whole call, sent on every attempt.
    const keys = sim.requestLog().map((e) => e.headers['idempotency-key']);
    expect(new Set(keys).size).toBe(1);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(sim.requestLog()[0]!.headers['idempotent-key']).toBe(keys[0]);
    // Backoff: 50..100, 100..200, 200..400 ms.
    expect(waitsRef).toHaveLength(3);
    waitsRef.forEach((w, i) => {
      expect(w).toBeGreaterThanOrEqual(50 * 2 ** i);
      expect(w).toBeLessThanOrEqual(100 * 2 ** i);
    });
    expect(waits).toEqual([]);
  });

  it('survives a dropped connection after the server made the change: no duplicate party', async () => {
    const { world, client, sim } = await start([{ kind: 'drop-connection', route: 'POST /v1/parties', when: 'after', schedule: { first: 1 } }]);
    const id = await client.createOrUpdateParty(world.linked.partyId, supplier('Drukkerij Verbeke', 'BE0202239951'));
    expect(partiesNamed(world, 'Drukkerij Verbeke').map((p) => p.partyId)).toEqual([id]);
    // The retry was refused as a repeat of a key that had succeeded; the upsert then found the same party.
    expect(sim.requestLog().map((e) => e.status)).toEqual([0, 409, 200]);
  });

  it('never makes two even when a created party cannot be matched again', async () => {
    const { world, client } = await start([{ kind: 'drop-connection', route: 'POST /v1/parties', schedule: { first: 1 } }]);
    const error = await client.createOrUpdateParty(world.linked.partyId, supplier('Naamloze Leverancier')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillitError);
    expect((error as BillitError).alreadyApplied).toBe(true);
    expect((error as BillitError).code).toBe('conflict');
    expect(partiesNamed(world, 'Naamloze Leverancier')).toHaveLength(1);
  });

  it('recovers a registered company whose reply was lost, without registering it twice', async () => {
    const { world, client } = await start([
      { kind: 'drop-connection', route: 'POST /v1/account/registercompany', schedule: { first: 1 } },
    ]);
    const result = await client.registerCompany({
      Company: { Name: 'Kapsalon Nora', Email: 'nora@kapsalon-nora.be', Phone: '+32 3 555 12 12', VATNumber: 'BE0456789014' },
    });
    expect(result.recovered).toBe(true);
    const matching = [...world.state.companies.values()].filter((c) => c.enterpriseNumber === '0456789014');
    expect(matching.map((c) => c.partyId)).toEqual([result.companyId]);
  });

  it('truncated bodies are retried (GET and POST), with no duplicate create', async () => {
    const { world, client } = await start([
      { kind: 'truncate-body', route: 'GET /v1/orders/{orderID}', schedule: { first: 1 } },
      { kind: 'truncate-body', route: 'POST /v1/parties', schedule: { first: 1 } },
    ]);
    const orderId = [...world.state.orders.keys()][0]!;
    const order = await client.getOrder(world.linked.partyId, orderId);
    expect(order.OrderID).toBe(orderId);
    const id = await client.createOrUpdateParty(world.linked.partyId, supplier('Drukkerij Verbeke', 'BE0202239951'));
    expect(partiesNamed(world, 'Drukkerij Verbeke').map((p) => p.partyId)).toEqual([id]);
  });

  it('times out a slow reply and retries it; the slow first attempt does not create a second party', async () => {
    const { world, client } = await start(
      [{ kind: 'latency', route: 'POST /v1/parties', latencyMs: 400, schedule: { first: 1 } }],
      { timeoutMs: 150 },
    );
    const id = await client.createOrUpdateParty(world.linked.partyId, supplier('Trage Leverancier'));
    // Let the slow first attempt reach the handler too.
    await new Promise((r) => setTimeout(r, 450));
    expect(partiesNamed(world, 'Trage Leverancier').map((p) => p.partyId)).toEqual([id]);
  });

  it('confirms a feed item once even when the confirmation reply is lost', async () => {
    const { world, client } = await start([
      { kind: 'drop-connection', route: 'POST /v1/accountant/feeds/{feedName}/{feedItemID}/confirm', schedule: { first: 1 } },
      { kind: 'drop-connection', route: 'POST /v1/accountant/feeds', schedule: { first: 1 } },
    ]);
    const [item] = await client.pollFeed(FEED);
    await client.confirmFeedItem(FEED, item!.FeedItemID, { remotePath: '/venice/import/a.xml' });
    expect(world.state.feeds.get(FEED)!.items.find((i) => i.feedItemId === item!.FeedItemID)!.confirmed?.remotePath).toBe('/venice/import/a.xml');
    await client.createFeed('another');
    expect([...world.state.feeds.keys()].sort()).toEqual(['another', FEED]);
  });

  it('refuses a CODA file whose SHA-256 does not match, and accepts it when a retry brings the right one', async () => {
    const { world, client } = await start([{ kind: 'wrong-sha256', route: 'GET /v1/accountant/feeds/{feedName}/{feedItemID}', schedule: { first: 1 } }]);
    const items = await client.pollFeed(FEED);
    const coda = items.find((i) => i.EntityType === 'CODA')!;
    const file = await client.downloadFeedItem(FEED, coda.FeedItemID);
    expect(Buffer.from(file.bytes).equals(Buffer.from(world.codaBytes))).toBe(true);

    simulators.current!.sim.setFaults([{ kind: 'wrong-sha256', route: 'GET /v1/accountant/feeds/{feedName}/{feedItemID}' }]);
    const error = await client.downloadFeedItem(FEED, coda.FeedItemID).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillitIntegrityError);
    expect((error as BillitIntegrityError).code).toBe('remote');
    expect((error as BillitIntegrityError).message).toContain('does not match');
    expect((error as BillitIntegrityError).attempts).toBe(5);
    // Refused means never confirmed: the item is still in the feed.
    expect(world.state.feeds.get(FEED)!.items.find((i) => i.feedItemId === coda.FeedItemID)!.confirmed).toBeUndefined();
  });

  it('gives typed errors when retries run out', async () => {
    const { world, client } = await start([
      { kind: 'server-error', route: 'GET /v1/orders', status: 503 },
      { kind: 'drop-connection', route: 'GET /v1/parties', when: 'before' },
      { kind: 'latency', route: 'GET /v1/account/accountInformation', latencyMs: 300 },
      { kind: 'rate-limit', route: 'GET /v1/orders/deleted', retryAfterSeconds: 0 },
      { kind: 'rate-limit', route: 'GET /v1/orders/{orderID}', retryAfterSeconds: 3600 },
    ], { timeoutMs: 100 });
    const p = world.linked.partyId;
    const remote = (await client.listOrders(p).catch((e: unknown) => e)) as BillitError;
    expect([remote.code, remote.status, remote.attempts]).toEqual(['remote', 503, 5]);
    const network = (await client.listParties(p).catch((e: unknown) => e)) as BillitError;
    expect([network.code, network.attempts]).toEqual(['network', 5]);
    const timeout = (await client.accountInformation().catch((e: unknown) => e)) as BillitError;
    expect([timeout.code, timeout.attempts]).toEqual(['timeout', 5]);
    const limited = (await client.listDeletedOrders(p).catch((e: unknown) => e)) as BillitError;
    expect([limited.code, limited.status, limited.attempts]).toEqual(['rate-limited', 429, 5]);
    // A Retry-After beyond what the client will wait: fail at once, saying how long.
    const tooLong = (await client.getOrder(p, [...world.state.orders.keys()][0]!).catch((e: unknown) => e)) as BillitError;
    expect([tooLong.code, tooLong.attempts, tooLong.retryAfterMs]).toEqual(['rate-limited', 1, 3_600_000]);
  });

  it('keeps every create single under a seeded mix of faults, and never logs the key', async () => {
    const { world, client, logger, sim } = await start([
      { kind: 'server-error', route: 'POST /v1/parties', schedule: { probability: 0.25, seed: 7 } },
      { kind: 'drop-connection', route: 'POST /v1/parties', schedule: { probability: 0.2, seed: 11 } },
      { kind: 'truncate-body', route: 'POST /v1/parties', schedule: { probability: 0.1, seed: 13 } },
      { kind: 'rate-limit', route: 'POST /v1/parties', retryAfterSeconds: 0, schedule: { probability: 0.1, seed: 17 } },
    ], { retries: 8 });
    const ids: number[] = [];
    for (let i = 0; i < 30; i++) {
      const vat = `BE0${String(200_000_000 + i * 7919).padStart(9, '0')}`;
      ids.push(await client.createOrUpdateParty(world.linked.partyId, supplier(`Leverancier ${i}`, vat)));
    }
    expect(new Set(ids).size).toBe(30);
    for (let i = 0; i < 30; i++) expect(partiesNamed(world, `Leverancier ${i}`)).toHaveLength(1);
    expect(sim.requestLog().some((e) => e.faults.length > 0)).toBe(true);
    expect(logger.lines.some((l) => l.includes('retry'))).toBe(true);
    expect(logger.lines.join('\n')).not.toContain(API_KEY);
  });
});

