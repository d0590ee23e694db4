import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { BillitError, createBillitClient, odata } from '../../../electron/core/billit';
import { deleteOrder, exportOrder } from '../../../electron/demo/billit';
import {
  API_KEY,
  FEED,
  apiKeyClient,
  buildWorld,
  checkedSimulatorPerTest,
  fastTiming,
  memoryLogger,
  sha256,
} from './world';

const simulators = checkedSimulatorPerTest();

async function start(world = buildWorld()) {
  const running = await simulators.start(world.state);
  return { world, url: running.url, sim: running.sim };
}

describe('Billit client against the simulator', () => {
  it('reads the account: the office and the companies linked to it, with PartyID/ContextPartyID headers', async () => {
    const { world, url, sim } = await start();
    const client = apiKeyClient(url, world);
    const info = await client.accountInformation();
    const ids = info.Companies?.map((c) => c.PartyID);
    expect(ids).toContain(world.state.office.partyId);
    expect(ids).toContain(world.linked.partyId);
    expect(ids).toContain(world.notActivated.partyId);
    expect(ids).not.toContain(world.notLinked.partyId);

    await client.getOrder(world.linked.partyId, [...world.state.orders.keys()][0]!);
    const entry = sim.requestLog().at(-1)!;
    expect(entry.headers.partyid).toBe(String(world.linked.partyId));
    expect(entry.headers.contextpartyid).toBe(String(world.state.office.partyId));
    expect(entry.headers.apikey).toBe('[redacted]');
  });

  it('pages through every order following NextPageLink, in LastModified order, each exactly once', async () => {
    const { world, url, sim } = await start(buildWorld({ orders: 503 }));
    const client = apiKeyClient(url, world);
    const pages: number[] = [];
    for await (const p of client.orderPages(world.linked.partyId)) pages.push(p.Items!.length);
    expect(pages).toEqual([120, 120, 120, 120, 23]);

    const orders = await client.listOrders(world.linked.partyId, { pageSize: 37 });
    expect(orders).toHaveLength(503);
    expect(new Set(orders.map((o) => o.OrderID)).size).toBe(503);
    const modified = orders.map((o) => o.LastModified!);
    expect([...modified].sort()).toEqual(modified);
    const log = sim.requestLog().filter((e) => e.path === '/v1/orders');
    expect(log).toHaveLength(5 + 14);
    // The later pages came from NextPageLink ($skip) with the same filter, order and page size.
    expect(decodeURIComponent(log.at(-1)!.query)).toContain('$skip=481');
    expect(decodeURIComponent(log.at(-1)!.query)).toContain('$top=37');
  });

  it('lists orders modified since a LastModified, by direction, and the deleted ones', async () => {
    const { world, url } = await start(buildWorld({ orders: 30 }));
    const client = apiKeyClient(url, world);
    const all = await client.listOrders(world.linked.partyId);
    const since = all[19]!.LastModified!;
    const recent = await client.listOrders(world.linked.partyId, { modifiedSince: since });
    expect(recent.map((o) => o.OrderID)).toEqual(all.slice(19).map((o) => o.OrderID));
    const costs = await client.listOrders(world.linked.partyId, { direction: 'Cost' });
    expect(costs.length).toBe(10);
    expect(costs.every((o) => o.OrderDirection === 'Cost')).toBe(true);

    deleteOrder(world.state, all[4]!.OrderID!);
    const deleted = await client.listDeletedOrders(world.linked.partyId, { since });
    expect(deleted.map((o) => o.OrderID)).toEqual([all[4]!.OrderID]);
    expect((await client.listOrders(world.linked.partyId)).map((o) => o.OrderID)).not.toContain(all[4]!.OrderID);
  });

  it('reads an order in detail and downloads its UBL and PDF as bytes', async () => {
    const { world, url } = await start();
    const client = apiKeyClient(url, world);
    const [first] = await client.listOrders(world.linked.partyId, { pageSize: 1 });
    expect(first!.OrderLines).toBeUndefined();
    const order = await client.getOrder(world.linked.partyId, first!.OrderID!);
    expect((order.OrderLines as unknown[] | undefined)?.length).toBe(1);
    const files = await client.getOrderFiles(world.linked.partyId, order);
    const sim = world.state.orders.get(first!.OrderID!)!;
    expect(Buffer.from(files.ubl!.bytes).equals(Buffer.from(sim.attachments[0]!.bytes))).toBe(true);
    expect(Buffer.from(files.pdf!.bytes).toString()).toContain('%PDF-1.4');
    expect(files.pdf!.mimeType).toBe('application/pdf');
  });

  it('lists parties and creates-or-updates them without duplicates', async () => {
    const { world, url } = await start();
    const client = apiKeyClient(url, world);
    const customers = await client.listParties(world.linked.partyId, { partyType: 'Customer' });
    expect(customers.map((p) => p.Name)).toEqual(['Restaurant De Kaai']);
    const id = await client.createOrUpdateParty(world.linked.partyId, {
      PartyType: 'Supplier',
      Name: 'Drukkerij Verbeke',
      VATNumber: 'BE0202239951',
      Email: 'info@verbeke.be',
    });
    const again = await client.createOrUpdateParty(world.linked.partyId, {
      PartyType: 'Supplier',
      Name: 'Drukkerij Verbeke BV',
      VATNumber: 'BE0202.239.951',
    });
    expect(again).toBe(id);
    const party = await client.getParty(world.linked.partyId, id);
    expect(party.Name).toBe('Drukkerij Verbeke BV');
    const recent = await client.listParties(world.linked.partyId, {
      filter: odata.eq('Name', 'Drukkerij Verbeke BV'),
    });
    expect(recent).toHaveLength(1);
  });

  it('registers a new company, and refuses one whose enterprise number exists (the link path)', async () => {
    const { world, url } = await start();
    const logger = memoryLogger();
    const client = apiKeyClient(url, world, { logger });
    const created = await client.registerCompany({
      Company: {
        Name: 'Kapsalon Nora',
        Email: 'nora@kapsalon-nora.be',
        Phone: '+32 3 555 12 12',
        VATNumber: 'BE0456789014',
        Addresses: [{ AddressType: 'InvoiceAddress', Street: 'Meir', StreetNumber: '5', Zipcode: '2000', City: 'Antwerpen', CountryCode: 'BE' }],
      },
    });
    expect(created.recovered).toBe(false);
    expect(world.state.companies.get(created.companyId)?.linkedToOffice).toBe(true);
    expect(world.state.companies.get(created.companyId)?.loginActivated).toBe(false);
    // The new company's API key is a credential: never in a log line.
    expect(created.apiKey).toBeTruthy();
    expect(logger.lines.join('\n')).not.toContain(created.apiKey!);

    const existing = await client
      .registerCompany({
        Company: { Name: 'Peeters', Email: 'other@peeters.be', Phone: '+32 1', VATNumber: world.notLinked.vatNumber },
      })
      .catch((e: unknown) => e);
    expect(existing).toBeInstanceOf(BillitError);
    expect((existing as BillitError).hasCode('CompanyAlreadyExists')).toBe(true);
    expect((existing as BillitError).status).toBe(400);
  });

  it('creates a feed, polls it at most once a minute, fetches entities, downloads CODA with SHA-256 and confirms', async () => {
    const { world, url, sim } = await start();
    let now = Date.parse('2026-05-01T10:00:00Z');
    const polled: string[] = [];
    const client = apiKeyClient(url, world, {
      timing: { now: () => now },
      onFeedPolled: (name) => polled.push(name),
    });
    await client.ensureFeed('second-feed');
    await client.ensureFeed('second-feed');
    expect((await client.listFeeds()).map((f) => f.Name).sort()).toEqual(['second-feed', FEED]);

    const items = await client.pollFeed(FEED);
    expect(items.filter((i) => i.EntityType === 'Order')).toHaveLength(3);
    const coda = items.find((i) => i.EntityType === 'CODA')!;
    expect(coda.PartyID).toBe(world.linked.partyId);

    // A second poll within the minute never reaches Billit.
    const before = sim.requestLog().length;
    const early = await client.pollFeed(FEED).catch((e: unknown) => e);
    expect(early).toBeInstanceOf(AppError);
    expect((early as AppError).code).toBe('rate-limited');
    expect(((early as AppError).details as { retryAfterMs: number }).retryAfterMs).toBe(60_000);
    expect(sim.requestLog().length).toBe(before);
    expect(client.nextFeedPollAt(FEED)).toBe(now + 60_000);

    const orderItem = items.find((i) => i.EntityType === 'Order')!;
    const entity = await client.fetchFeedEntity(orderItem);
    expect(entity.kind).toBe('order');
    if (entity.kind === 'order') expect(entity.order.OrderID).toBe(orderItem.EntityID);

    const file = await client.downloadFeedItem(FEED, coda.FeedItemID);
    expect(Buffer.from(file.bytes).equals(Buffer.from(world.codaBytes))).toBe(true);
    expect(file.sha256).toBe(sha256(world.codaBytes));
    await client.confirmFeedItem(FEED, coda.FeedItemID, { remotePath: 'C:/Venice/Import/CODA/BE68539007547034_2026-05-01.cod' });
    const confirmed = world.state.feeds.get(FEED)!.items.find((i) => i.feedItemId === coda.FeedItemID)!;
    expect(confirmed.confirmed?.remotePath).toBe('C:/Venice/Import/CODA/BE68539007547034_2026-05-01.cod');

    // Newly exported documents show up at the next poll, a minute later; confirmed ones are gone.
    exportOrder(world.state, [...world.state.orders.keys()].at(-1)!);
    now += 60_000;
    const next = await client.pollFeed(FEED);
    expect(next.map((i) => i.FeedItemID)).not.toContain(coda.FeedItemID);
    expect(next.filter((i) => i.EntityType === 'Order')).toHaveLength(4);
    expect(polled).toEqual([FEED, FEED]);
  });

  it('remembers feed polls across a restart', async () => {
    const { world, url } = await start();
    const now = Date.parse('2026-05-01T10:00:00Z');
    const client = apiKeyClient(url, world, { timing: { now: () => now }, lastFeedPolls: { [FEED]: now - 30_000 } });
    const early = await client.pollFeed(FEED).catch((e: unknown) => e);
    expect((early as AppError).code).toBe('rate-limited');
  });

  it('searches companies by enterprise number and reads Peppol participant information without sending credentials', async () => {
    const { world, url, sim } = await start();
    const client = apiKeyClient(url, world);
    const hit = await client.searchCompanyByEnterpriseNumber(world.linked.enterpriseNumber.replace(/(\d{4})(\d{3})(\d{3})/, '$1.$2.$3'));
    expect(hit?.Name).toBe('Bakkerij Janssens BV');
    expect(await client.searchCompanyByEnterpriseNumber('0999999972')).toBeNull();

    const info = await client.peppolParticipant(world.linked.vatNumber);
    expect(info.Registered).toBe(true);
    expect(info.Identifier).toBe(`0208:${world.linked.enterpriseNumber}`);
    const entry = sim.requestLog().at(-1)!;
    expect(entry.path).toContain('/v1/peppol/participantInformation/');
    expect(entry.headers.apikey).toBeUndefined();
    expect(entry.headers.authorization).toBeUndefined();
  });

  it('gives a clear auth error on 401, never showing the key', async () => {
    const { world, url } = await start();
    const logger = memoryLogger();
    const wrongKey = 'wrong-key-that-is-secret-123';
    const client = createBillitClient({ baseUrl: url, auth: { kind: 'api-key', apiKey: wrongKey }, logger });
    const error = await client.accountInformation().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BillitError);
    const e = error as BillitError;
    expect(e.code).toBe('auth');
    expect(e.status).toBe(401);
    expect(e.message).toContain('check your API key / environment');
    expect(e.errors[0]?.Code).toBe('ApiKeyNotValid');
    expect(e.attempts).toBe(1);
    const everything = JSON.stringify(e.toData()) + e.message + logger.lines.join('\n');
    expect(everything).not.toContain(wrongKey);
    expect(everything).not.toContain(API_KEY);

    // A company the credentials do not reach: also 401 'auth', with Billit's reason.
    const office = apiKeyClient(url, world);
    const wrongParty = await office.listOrders(world.notLinked.partyId).catch((x: unknown) => x);
    expect((wrongParty as BillitError).code).toBe('auth');
    expect((wrongParty as BillitError).hasCode('WrongPartyID')).toBe(true);
  });

  it('keeps $top within 120 and refuses a filter on a field Billit does not allow', async () => {
    const { world, url } = await start();
    const client = apiKeyClient(url, world, fastTiming());
    await expect(client.listOrders(world.linked.partyId, { pageSize: 500 })).resolves.toHaveLength(12);
    const error = await client.listOrders(world.linked.partyId, { filter: odata.eq('VATNumber', 'BE0') }).catch((e: unknown) => e);
    expect((error as BillitError).status).toBe(400);
    expect((error as BillitError).hasCode('GenericError')).toBe(true);
    expect((error as BillitError).attempts).toBe(1);
  });
});
