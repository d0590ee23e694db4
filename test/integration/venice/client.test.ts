/**
 * The Venice Cloud client against the Venice simulator over real HTTP on loopback: listing dossiers, paging
 * through customers and suppliers, reading and creating by key, and recovering from every injected fault.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createFileLogger } from '../../../electron/core/log';
import { VeniceClient, VeniceError, listDossiers, type VeniceClientOptions } from '../../../electron/core/venice';
import { createWorld, type DemoDossier } from '../../../electron/demo/seed/world';
import { createVeniceSimulator, type VeniceSimulator } from '../../../electron/demo/venice/simulator';

const world = createWorld({ seed: 11, dossiers: 40 });
let sim: VeniceSimulator;
let logDir: string;

/** Fast retries for tests: tiny backoff, short per-attempt timeout. */
const fast = { baseDelayMs: 5, maxDelayMs: 20, timeoutMs: 2_000 };

function client(extra: Partial<VeniceClientOptions> = {}): VeniceClient {
  return new VeniceClient({
    baseUrl: sim.url,
    ...world.office.venice,
    retry: fast,
    log: createFileLogger(logDir),
    ...extra,
  });
}

/** The readable dossier with the most relations of a kind. */
function richest(kind: 'customer' | 'supplier'): DemoDossier {
  return [...world.dossiers]
    .filter((d) => d.header.webConnect)
    .sort((a, b) => (kind === 'customer' ? b.customers().length - a.customers().length : b.suppliers().length - a.suppliers().length))[0]!;
}

beforeAll(async () => {
  logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'venice-client-'));
  sim = createVeniceSimulator({ world, maxPageSize: 4 });
  await sim.start();
});

afterAll(async () => {
  await sim.close();
  fs.rmSync(logDir, { recursive: true, force: true });
});

afterEach(() => {
  sim.clearFaults();
  sim.clearLog();
});

describe('Venice Cloud client — reading', () => {
  it('lists every dossier of the office with the fields a Billit company needs', async () => {
    const dossiers = await listDossiers(client());
    expect(dossiers).toHaveLength(world.dossiers.length);
    for (const d of world.dossiers) {
      const got = dossiers.find((x) => x.veniceId === d.veniceId)!;
      expect(got).toMatchObject({
        name: d.name,
        enterpriseNumber: d.header.enterpriseNumber,
        vatNumber: d.header.vatNumber,
        email: d.header.email,
        language: d.header.language,
        webConnect: d.header.webConnect,
        address: {
          street: d.header.address.street,
          streetNumber: d.header.address.number,
          box: d.header.address.box,
          zipcode: d.header.address.zip,
          city: d.header.address.city,
          countryCode: 'BE',
        },
      });
    }
    // Some dossiers have no e-mail: the accountant completes them before adding them to Billit.
    expect(dossiers.some((d) => d.email === null)).toBe(true);
  });

  it('reads all customers and suppliers across many pages', async () => {
    const dossier = richest('customer');
    const c = client({ pageSize: 1000 });
    const progress: number[] = [];
    const customers = await c.listCustomers(dossier.veniceId, { onProgress: (n) => progress.push(n) });
    const expected = dossier.customers();
    expect(customers.map((r) => r.systemNumber)).toEqual(expected.map((r) => r.systemNumber));
    // The server sends at most 4 per page, whatever the client prefers.
    const pages = sim.requestLog().filter((e) => e.route?.endsWith('/{dossierId}/{table}'));
    expect(pages.length).toBe(Math.ceil(expected.length / 4));
    expect(expected.length).toBeGreaterThan(8);
    expect(progress.at(-1)).toBe(expected.length);

    for (const [i, r] of customers.entries()) {
      const w = expected[i]!;
      expect(r).toMatchObject({
        kind: 'customer',
        number: w.number,
        name: w.name,
        vatNumber: w.vatNumber,
        enterpriseNumber: w.enterpriseNumber,
        email: w.email,
        iban: w.iban,
        language: w.language,
        address: { street: w.address.street, streetNumber: w.address.number, box: w.address.box, zipcode: w.address.zip, city: w.address.city },
      });
    }

    const suppliers = await c.listSuppliers(dossier.veniceId);
    expect(suppliers.map((s) => s.name)).toEqual(dossier.suppliers().map((s) => s.name));
    expect(suppliers.every((s) => s.iban !== null && s.vatNumber !== null)).toBe(true);
  });

  it('asks for smaller pages when configured and still reads everything', async () => {
    const dossier = richest('supplier');
    const suppliers = await client({ pageSize: 2 }).listSuppliers(dossier.veniceId);
    expect(suppliers).toHaveLength(dossier.suppliers().length);
    expect(sim.requestLog().length).toBe(Math.ceil(dossier.suppliers().length / 2));
  });

  it('reads one relation by SystemNumber or Number, and null when there is none', async () => {
    const dossier = richest('customer');
    const w = dossier.customers()[2]!;
    const c = client();
    expect((await c.getRelation(dossier.veniceId, 'customer', { systemNumber: w.systemNumber }))?.name).toBe(w.name);
    expect((await c.getRelation(dossier.veniceId, 'customer', { number: w.number, subNumber: 0 }))?.name).toBe(w.name);
    expect(await c.getRelation(dossier.veniceId, 'customer', { systemNumber: 99_999 })).toBeNull();
    const props = await c.getDossierProperties(dossier.veniceId);
    expect(props).toMatchObject({ name: dossier.name, cabinetName: world.office.name, currency: 'EUR' });
  });

  it('says when WebConnect is not activated for a dossier', async () => {
    const off = world.dossiers.find((d) => !d.header.webConnect) ?? world.dossiers[1]!;
    sim.state.setWebConnect(off.veniceId, false);
    const error = await client().listCustomers(off.veniceId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VeniceError);
    expect(error).toMatchObject({ code: 'remote', details: { status: 403, veniceCode: 'errWebConnectNotActivated' } });
    expect((error as Error).message).toMatch(/WebConnect is not activated/);
    sim.state.setWebConnect(off.veniceId, off.header.webConnect);
  });

  it('reports an unknown dossier as not found', async () => {
    await expect(client().listSuppliers('NO-SUCH-DOSSIER')).rejects.toMatchObject({ code: 'not-found', details: { status: 404 } });
  });
});

describe('Venice Cloud client — faults', () => {
  const route = 'GET /webconnect.OData/odata/{dossierId}/{table}';

  it('waits for Retry-After on 429 and then reads everything', async () => {
    const dossier = richest('customer');
    sim.setFaults([{ kind: 'rate-limit', route, retryAfterSeconds: 1, schedule: { nth: [2] } }]);
    const started = Date.now();
    const customers = await client().listCustomers(dossier.veniceId);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    expect(customers).toHaveLength(dossier.customers().length);
    const log = sim.requestLog();
    expect(log.filter((e) => e.status === 429)).toHaveLength(1);
  });

  it.each([
    ['a 5xx', { kind: 'server-error' as const, status: 503 }],
    ['a 500', { kind: 'server-error' as const, status: 500 }],
    ['a connection dropped before the server answers', { kind: 'drop-connection' as const, when: 'before' as const }],
    ['a connection dropped after the server worked', { kind: 'drop-connection' as const, when: 'after' as const }],
    ['a truncated body', { kind: 'truncate-body' as const }],
  ])('recovers from %s on every other page', async (_name, fault) => {
    const dossier = richest('customer');
    sim.setFaults([{ ...fault, route, schedule: { every: 2 } }]);
    const customers = await client().listCustomers(dossier.veniceId);
    expect(customers.map((c) => c.systemNumber)).toEqual(dossier.customers().map((c) => c.systemNumber));
    expect(sim.requestLog().some((e) => e.faults.length > 0)).toBe(true);
  });

  it('recovers from a server slower than the timeout', async () => {
    sim.setFaults([{ kind: 'latency', route: 'GET /webconnect/api/Venice/Dossiers', latencyMs: 1_500, schedule: { first: 1 } }]);
    const dossiers = await listDossiers(client({ retry: { ...fast, timeoutMs: 300 } }));
    expect(dossiers).toHaveLength(world.dossiers.length);
    await new Promise((r) => setTimeout(r, 1_300)); // let the slow handler finish before the log is read
    expect(sim.requestLog().filter((e) => e.route === 'GET /webconnect/api/Venice/Dossiers').length).toBeGreaterThanOrEqual(2);
  });

  it('gives up after its retries with a typed error', async () => {
    sim.setFaults([{ kind: 'server-error', status: 502, route: '*' }]);
    const error = await client({ retry: { ...fast, retries: 2 } })
      .listCustomers(world.dossiers[0]!.veniceId)
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'remote', details: { status: 502, attempts: 3, service: 'venice' } });
    expect(sim.requestLog()).toHaveLength(3);
  });

  it('reports a rate limit it will not wait for', async () => {
    sim.setFaults([{ kind: 'rate-limit', route: '*', retryAfterSeconds: 3600 }]);
    const error = await client().listCustomers(world.dossiers[0]!.veniceId).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate-limited', details: { status: 429, retryAfterMs: 3_600_000 } });
    expect(sim.requestLog()).toHaveLength(1);
  });

  it('creates a relation once even when the answer is lost (SyncReference)', async () => {
    const dossier = richest('supplier');
    sim.setFaults([{ kind: 'drop-connection', when: 'after', route: 'POST /webconnect/api/{dossierId}/Supplier', schedule: { first: 1 } }]);
    const c = client();
    const before = (await c.listSuppliers(dossier.veniceId)).length;
    const keys = await c.createRelation(dossier.veniceId, 'supplier', {
      name: 'Nieuwe Leverancier BV',
      vatNumber: 'BE0427604308',
      address: { street: 'Kerkstraat', streetNumber: '5', zipcode: '9000', city: 'Gent', countryCode: 'BE' },
      language: 'nl',
      syncReference: 'billit:party:42',
    });
    const after = await c.listSuppliers(dossier.veniceId);
    expect(after).toHaveLength(before + 1);
    expect(after.find((s) => s.syncReference === 'billit:party:42')).toMatchObject({
      systemNumber: keys.systemNumber,
      name: 'Nieuwe Leverancier BV',
      enterpriseNumber: '0427604308',
      address: { street: 'Kerkstraat', streetNumber: '5', zipcode: '9000', city: 'Gent' },
    });
    expect(sim.requestLog().filter((e) => e.method === 'POST')).toHaveLength(1);
  });

  it('does not retry a create without SyncReference whose answer was lost', async () => {
    const dossier = richest('customer');
    sim.setFaults([{ kind: 'drop-connection', when: 'after', route: 'POST /webconnect/api/{dossierId}/Customer', schedule: { first: 1 } }]);
    const error = await client()
      .createRelation(dossier.veniceId, 'customer', { name: 'Eenmalig BV' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'network' });
    expect(sim.requestLog().filter((e) => e.method === 'POST')).toHaveLength(1);
    expect(sim.state.relations(dossier.veniceId, 'customer').filter((r) => r.Name === 'Eenmalig BV')).toHaveLength(1);
  });
});

describe('Venice Cloud client — credentials', () => {
  it('answers a wrong login with a clear error, without retrying', async () => {
    const error = await client({ password: 'not-the-password-123' })
      .listCustomers(world.dossiers[0]!.veniceId)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VeniceError);
    expect(error).toMatchObject({ code: 'auth', details: { status: 401 } });
    expect((error as Error).message).toMatch(/check the Venice login/);
    expect(sim.requestLog()).toHaveLength(1);
  });

  it('never puts the password or the Basic token in a log line, an error or the server log', async () => {
    const password = 'S3cret-venice-pass!';
    const token = Buffer.from(`${world.office.venice.username}:${password}`).toString('base64');
    const texts: string[] = [];
    const attempts: Array<() => Promise<unknown>> = [
      () => client({ password }).listCustomers(world.dossiers[0]!.veniceId),
      () => listDossiers(client({ password })),
      () => {
        sim.setFaults([{ kind: 'server-error', route: '*', status: 500 }]);
        return client({ retry: { ...fast, retries: 1 } }).listSuppliers(world.dossiers[0]!.veniceId);
      },
    ];
    for (const attempt of attempts) {
      const e = await attempt().then(
        () => null,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(VeniceError);
      texts.push(String(e), (e as Error).stack ?? '', JSON.stringify(e), JSON.stringify((e as VeniceError).toData()));
    }
    texts.push(fs.readFileSync(path.join(logDir, 'main.log'), 'utf8'));
    texts.push(JSON.stringify(sim.requestLog()));
    const all = texts.join('\n');
    expect(all).toContain('Venice');
    for (const secret of [password, token, world.office.venice.password, Buffer.from(`${world.office.venice.username}:${world.office.venice.password}`).toString('base64')])
      expect(all).not.toContain(secret);
  });

  it('never follows a next-page link to another host with the login', async () => {
    // A server that answers the first page with a nextLink elsewhere, and counts what reaches it.
    let authorised = 0;
    const evil = http.createServer((req, res) => {
      if (req.headers.authorization) authorised++;
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ value: [{ SystemNumber: 1, Name: 'A' }], '@odata.nextLink': 'http://127.0.0.2:9/steal' }));
    });
    await new Promise<void>((r) => evil.listen(0, '127.0.0.1', () => r()));
    try {
      const port = (evil.address() as AddressInfo).port;
      const c = new VeniceClient({ baseUrl: `http://127.0.0.1:${port}`, username: 'u', password: 'p-secret', retry: fast });
      await expect(c.listCustomers('X')).rejects.toMatchObject({ code: 'remote', message: expect.stringMatching(/another host/) });
      expect(authorised).toBe(1);
    } finally {
      evil.close();
    }
  });
});
