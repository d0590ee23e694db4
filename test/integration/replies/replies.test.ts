/**
 * Every Billit and Venice Cloud route the app reads, answered with a reply that breaks its schema — a field
 * the app needs missing, a field of the wrong type, the reply nested one level deeper — is refused with a
 * typed error (`invalid-reply`) naming the field, by the real clients over HTTP against the simulators.
 * Then, through the core as the UI drives it: nothing of such a reply reaches the cache.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  billitAuthorizeUrl,
  createBillitClient,
  createBillitPortalUnverified,
  exchangeAuthorizationCode,
  parseAuthorizeRedirect,
  type BillitClient,
} from '../../../electron/core/billit';
import { createCore, type Core } from '../../../electron/core';
import { FEED_NAME } from '../../../electron/core/sync';
import { createVeniceClient, listDossiers, type VeniceClient } from '../../../electron/core/venice';
import { addDocument } from '../../../electron/demo/billit/state';
import { startDemoOffice, type DemoOffice } from '../../../electron/demo/office';
import type { FaultRule } from '../../../electron/demo/sim-server';
import { AppError, type AddResult, type DossierRow, type Page, type SyncRunSummary } from '../../../shared/api';
import { tempDir } from '../../support/repo';
import { call, syncNow, testClock } from '../sync/support';

type Key = string | number;
type Json = unknown;

/** A copy of `json` with the value at `at` changed by `change` (undefined: removed). */
function edit(json: Json, at: Key[], change: (value: Json) => Json): Json {
  if (at.length === 0) return change(json);
  const copy: Record<Key, Json> | Json[] = Array.isArray(json) ? [...json] : { ...(json as Record<Key, Json>) };
  const [head, ...rest] = at;
  const next = edit((copy as Record<Key, Json>)[head!], rest, change);
  if (next === undefined && rest.length === 0) delete (copy as Record<Key, Json>)[head!];
  else (copy as Record<Key, Json>)[head!] = next;
  return copy;
}

/** The same value, of another JSON type (Venice's fields are scalars of any type: there, a list). */
function retyped(value: Json, service: 'billit' | 'venice'): Json {
  if (service === 'venice') return [value];
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return 42;
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (Array.isArray(value)) return { Items: value };
  return 'not an object';
}

const breakages = {
  'a missing field': (at: Key[]) => (json: Json) => edit(json, at, () => undefined),
  'a field of the wrong type': (at: Key[], service: 'billit' | 'venice') => (json: Json) => edit(json, at, (v) => retyped(v, service)),
  'extra nesting': (at: Key[]) => (json: Json) => edit(json, at, (v) => ({ Value: v })),
};
type Breakage = keyof typeof breakages;

interface RouteCase {
  service: 'billit' | 'venice';
  /** The simulator's route id. */
  route: string;
  /** The call the app makes. */
  call: () => Promise<unknown>;
  /** Where each breakage is made, and the field the error must name. */
  missing: [Key[], string];
  wrongType: [Key[], string];
  nested: [Key[], string];
}

/** A valid Belgian enterprise number (mod 97) from seven digits. */
function enterpriseNumber(seven: number): string {
  const base = Number(`0${String(seven).padStart(7, '0')}`);
  const check = 97 - (base % 97);
  return `0${String(seven).padStart(7, '0')}${String(check).padStart(2, '0')}`;
}

let office: DemoOffice;
let billit: BillitClient;
let venice: VeniceClient;
let linkedCompany: number;
let linkedDossier: string;
let orderId: number;
let fileId: string;
let documentId: number;
let feedItemId: number;
let newCompany: number;
let linkRequestId: number;
let nextEnterprise = 4_100_000;

beforeAll(async () => {
  office = await startDemoOffice({ seed: 41, dossiers: 8, invoicesPerDossier: 3, feeds: [FEED_NAME] });
  const { credentials } = office;
  billit = createBillitClient({
    baseUrl: office.billitUrl,
    auth: { kind: 'api-key', apiKey: credentials.billit.apiKey },
    accountantPartyId: credentials.billit.officePartyId,
    feedPollIntervalMs: 0,
    timing: { retries: 0, baseDelayMs: 1, maxDelayMs: 2 },
  });
  venice = createVeniceClient({ baseUrl: office.veniceUrl, ...credentials.venice, retry: { retries: 0, baseDelayMs: 1, maxDelayMs: 2 } });
  const state = office.billit.state;
  const linked = office.world.dossiers.find((d) => d.billit === 'linked' && d.invoices().length > 0)!;
  linkedDossier = linked.veniceId;
  const company = [...state.companies.values()].find((c) => c.enterpriseNumber === linked.header.enterpriseNumber)!;
  linkedCompany = company.partyId;
  const order = [...state.orders.values()].find((o) => o.companyId === linkedCompany && o.attachments.length > 0)!;
  orderId = order.orderId;
  fileId = order.attachments[0]!.fileId;
  documentId = addDocument(state, linkedCompany, { name: 'Huurcontract', file: { fileName: 'huur.pdf', mimeType: 'application/pdf', bytes: new TextEncoder().encode('%PDF-1.4') } }).documentId;
  feedItemId = state.feeds.get(FEED_NAME)!.items.find((i) => i.entityType === 'CODA')!.feedItemId;
  const pending = office.world.dossiers.find((d) => d.billit === 'unlinked')!;
  linkRequestId = (await createBillitPortalUnverified(billit).sendLinkRequest(pending.header.enterpriseNumber!)).linkRequestId;
  // Created by the office: linked, its login not activated yet (login data may be sent).
  const nr = enterpriseNumber(nextEnterprise++);
  newCompany = (await billit.registerCompany({ Company: { Name: 'Nieuw BV', Email: 'eigenaar@nieuw.example.be', Phone: '-', VATNumber: `BE${nr}` } })).companyId;
});

afterAll(async () => {
  await office?.close();
});

/** A code from the demo's sign-in page, as the browser part of OAuth gives it. */
async function authorizationCode(): Promise<string> {
  const { clientId, redirectUris } = office.credentials.billit.oauth;
  const redirectUri = redirectUris[0]!;
  await fetch(billitAuthorizeUrl({ webBaseUrl: office.billitUrl, clientId, redirectUri, state: 's1' }));
  const form = new URLSearchParams({ client_id: clientId, redirect_uri: redirectUri, state: 's1', decision: 'allow' });
  const res = await fetch(`${office.billitUrl}/Account/Logon`, { method: 'POST', body: form, redirect: 'manual' });
  return parseAuthorizeRedirect(res.headers.get('location')!, 's1').code;
}

const portal = () => createBillitPortalUnverified(billit);

const routes: Array<[string, RouteCase]> = [
  ['Billit: account information', {
    service: 'billit', route: 'GET /v1/account/accountInformation', call: () => billit.accountInformation(),
    missing: [['Companies'], 'Companies'], wrongType: [['Companies', 0, 'PartyID'], 'Companies[0].PartyID'], nested: [['Companies'], 'Companies'],
  }],
  ['Billit: register a company', {
    service: 'billit', route: 'POST /v1/account/registercompany',
    call: () => {
      const nr = enterpriseNumber(nextEnterprise++);
      return billit.registerCompany({ Company: { Name: `Nieuw ${nr}`, Email: `nieuw-${nr}@example.be`, Phone: '-', VATNumber: `BE${nr}` } });
    },
    missing: [['CompanyID'], 'CompanyID'], wrongType: [['CompanyID'], 'CompanyID'], nested: [[], 'CompanyID'],
  }],
  ['Billit: a company’s parties', {
    service: 'billit', route: 'GET /v1/parties', call: () => billit.listParties(linkedCompany),
    missing: [['Items', 0, 'PartyID'], 'Items[0].PartyID'], wrongType: [['Items', 0, 'Name'], 'Items[0].Name'], nested: [['Items'], 'Items'],
  }],
  ['Billit: one party', {
    service: 'billit', route: 'GET /v1/parties/{partyID}',
    call: async () => billit.getParty(linkedCompany, (await billit.listParties(linkedCompany))[0]!.PartyID!),
    missing: [['PartyID'], 'PartyID'], wrongType: [['PartyType'], 'PartyType'], nested: [[], 'PartyID'],
  }],
  ['Billit: create a party', {
    service: 'billit', route: 'POST /v1/parties',
    call: () => billit.createOrUpdateParty(linkedCompany, { PartyType: 'Customer', Name: 'Schema BV', Nr: 'C-SCHEMA' }),
    missing: [[], '(reply)'], wrongType: [[], '(reply)'], nested: [[], '(reply)'],
  }],
  ['Billit: a page of orders', {
    service: 'billit', route: 'GET /v1/orders', call: () => billit.listOrders(linkedCompany, { pageSize: 5 }),
    missing: [['Items', 0, 'OrderID'], 'Items[0].OrderID'], wrongType: [['Items', 0, 'TotalIncl'], 'Items[0].TotalIncl'], nested: [['Items'], 'Items'],
  }],
  ['Billit: one order', {
    service: 'billit', route: 'GET /v1/orders/{orderID}', call: () => billit.getOrder(linkedCompany, orderId),
    missing: [['OrderID'], 'OrderID'], wrongType: [['Attachments', 0, 'FileID'], 'Attachments[0].FileID'], nested: [['OrderPDF', 'FileID'], 'OrderPDF.FileID'],
  }],
  ['Billit: deleted orders', {
    service: 'billit', route: 'GET /v1/orders/deleted', call: () => billit.listDeletedOrders(linkedCompany),
    missing: [['Items'], 'Items'], wrongType: [['Items'], 'Items'], nested: [['Items'], 'Items'],
  }],
  ['Billit: a file', {
    service: 'billit', route: 'GET /v1/files/{fileID}', call: () => billit.getFile(linkedCompany, fileId),
    missing: [['FileContent'], 'FileContent'], wrongType: [['FileContent'], 'FileContent'], nested: [['FileContent'], 'FileContent'],
  }],
  ['Billit: a document', {
    service: 'billit', route: 'GET /v1/documents/{documentID}',
    call: () => billit.getDocument(office.billit.state.documents.get(documentId)!.companyId, documentId),
    missing: [['DocumentID'], 'DocumentID'], wrongType: [['Name'], 'Name'], nested: [[], 'DocumentID'],
  }],
  ['Billit: the office’s feeds', {
    service: 'billit', route: 'GET /v1/accountant/feeds', call: () => billit.listFeeds(),
    missing: [[], '(reply)'], wrongType: [[0, 'Name'], '[0].Name'], nested: [[], '(reply)'],
  }],
  ['Billit: a feed poll', {
    service: 'billit', route: 'GET /v1/accountant/feeds/{feedName}', call: () => billit.pollFeed(FEED_NAME),
    missing: [[0, 'PartyID'], '[0].PartyID'], wrongType: [[0, 'FeedItemID'], '[0].FeedItemID'], nested: [[0, 'EntityID'], '[0].EntityID'],
  }],
  ['Billit: a feed item’s file', {
    service: 'billit', route: 'GET /v1/accountant/feeds/{feedName}/{feedItemID}', call: () => billit.downloadFeedItem(FEED_NAME, feedItemId),
    missing: [['FileContent'], 'FileContent'], wrongType: [['FileContentSHA256Hash'], 'FileContentSHA256Hash'], nested: [[], 'FileContent'],
  }],
  ['Billit: company search', {
    service: 'billit', route: 'GET /v1/misc/companysearch/{Keywords}', call: () => billit.searchCompanies('bakkerij'),
    missing: [['Items'], 'Items'], wrongType: [['Items'], 'Items'], nested: [[], 'Items'],
  }],
  ['Billit: Peppol participant', {
    service: 'billit', route: 'GET /v1/peppol/participantInformation/{VATorCBE}', call: () => billit.peppolParticipant('BE0437295202'),
    missing: [['Registered'], 'Registered'], wrongType: [['Registered'], 'Registered'], nested: [[], 'Registered'],
  }],
  ['Billit: OAuth token', {
    service: 'billit', route: 'POST /OAuth2/token',
    call: async () => {
      const { clientId, clientSecret, redirectUris } = office.credentials.billit.oauth;
      return exchangeAuthorizationCode({ baseUrl: office.billitUrl, clientId, clientSecret, code: await authorizationCode(), redirectUri: redirectUris[0]!, timing: { retries: 0 } });
    },
    missing: [['refresh_token'], 'refresh_token'], wrongType: [['access_token'], 'access_token'], nested: [[], 'access_token'],
  }],
  ['Billit portal (modelled): is this a Billit company', {
    service: 'billit', route: 'GET /portal-modelled/v1/companies/{enterpriseNumber}',
    call: () => portal().findBillitCompany(office.world.dossiers.find((d) => d.billit === 'linked')!.header.enterpriseNumber!),
    missing: [['IsBillitCompany'], 'IsBillitCompany'], wrongType: [['PartyID'], 'PartyID'], nested: [[], 'IsBillitCompany'],
  }],
  ['Billit portal (modelled): send a link request', {
    service: 'billit', route: 'POST /portal-modelled/v1/link-requests',
    call: () => portal().sendLinkRequest(office.world.dossiers.find((d) => d.billit === 'unlinked')!.header.enterpriseNumber!),
    missing: [['State'], 'State'], wrongType: [['LinkRequestID'], 'LinkRequestID'], nested: [[], 'LinkRequestID'],
  }],
  ['Billit portal (modelled): read a link request', {
    service: 'billit', route: 'GET /portal-modelled/v1/link-requests/{linkRequestID}', call: () => portal().getLinkRequest(linkRequestId),
    missing: [['PartyID'], 'PartyID'], wrongType: [['State'], 'State'], nested: [[], 'LinkRequestID'],
  }],
  ['Billit portal (modelled): send login data', {
    service: 'billit', route: 'POST /portal-modelled/v1/companies/{partyID}/send-login-data',
    call: () => portal().sendLoginData(newCompany, 'eigenaar@nieuw.example.be'),
    missing: [['PartyID'], 'PartyID'], wrongType: [['SentAt'], 'SentAt'], nested: [[], 'PartyID'],
  }],
  ['Venice: the office’s dossiers', {
    service: 'venice', route: 'GET /webconnect/api/Venice/Dossiers', call: () => listDossiers(venice),
    missing: [['Response', 'Dossiers', 'Dossier', 0, 'Fields', 'DossierId'], 'Response.Dossiers.Dossier[0].Fields.DossierId'],
    wrongType: [['Response', 'Dossiers', 'Dossier', 0, 'Fields'], 'Response.Dossiers.Dossier[0].Fields'],
    nested: [['Response', 'Dossiers', 'Dossier', 0, 'Fields', 'Name'], 'Response.Dossiers.Dossier[0].Fields.Name'],
  }],
  ['Venice: a dossier’s properties', {
    service: 'venice', route: 'GET /webconnect/api/{dossierId}/Dossier', call: () => venice.getDossierProperties(linkedDossier),
    missing: [['Response'], 'Response'], wrongType: [['Response'], 'Response'],
    nested: [['Response', 'Dossiers', 'Dossier', 0, 'Fields', 'Name'], 'Response.Dossiers.Dossier[0].Fields.Name'],
  }],
  ['Venice: a dossier’s customers (OData)', {
    service: 'venice', route: 'GET /webconnect.OData/odata/{dossierId}/{table}', call: () => venice.listRelations(linkedDossier, 'customer'),
    missing: [['value', 0, 'SystemNumber'], 'value[0].SystemNumber'], wrongType: [['value', 0, 'Name'], 'value[0].Name'], nested: [['value'], 'value'],
  }],
  ['Venice: one customer', {
    service: 'venice', route: 'GET /webconnect/api/{dossierId}/Customer', call: () => venice.getRelation(linkedDossier, 'customer', { systemNumber: 1 }),
    missing: [['Response', 'Customers', 'Customer', 0, 'Fields', 'SystemNumber'], 'Response.Customers.Customer[0].Fields.SystemNumber'],
    wrongType: [['Response', 'Customers', 'Customer', 0, 'Fields', 'Email'], 'Response.Customers.Customer[0].Fields.Email'],
    nested: [['Response', 'Customers'], 'Response.Customers.Customer'],
  }],
  ['Venice: create a supplier', {
    service: 'venice', route: 'POST /webconnect/api/{dossierId}/Supplier',
    call: () => venice.createRelation(linkedDossier, 'supplier', { name: 'Schema NV' }),
    missing: [['Response', 'Suppliers', 'Supplier', 0, 'Fields', 'SystemNumber'], 'Response.Suppliers.Supplier[0].Fields.SystemNumber'],
    wrongType: [['Response', 'Suppliers', 'Supplier', 0, 'Fields', 'SystemNumber'], 'Response.Suppliers.Supplier[0].Fields.SystemNumber'],
    nested: [['Response', 'Suppliers', 'Supplier', 0], 'Response.Suppliers.Supplier[0].Fields'],
  }],
];

describe('a reply that breaks its schema', () => {
  const cases = routes.flatMap(([label, c]) =>
    (Object.keys(breakages) as Breakage[]).map((b) => [label, b, c] as const),
  );
  it.each(cases)('%s, with %s: a typed error naming the field', async (_label, breakage, c) => {
    // The route works as it is: the refusal below is the reshaped reply's.
    await expect(c.call()).resolves.toBeDefined();
    const server = c.service === 'billit' ? office.billit.server : office.venice.server;
    const [at, field] = breakage === 'a missing field' ? c.missing : breakage === 'a field of the wrong type' ? c.wrongType : c.nested;
    const rule: FaultRule = { kind: 'reshape-reply', route: c.route, reshape: breakages[breakage](at, c.service) };
    server.setFaults([rule]);
    try {
      server.clearLog();
      const error = await c.call().then(
        () => null,
        (e: unknown) => e,
      );
      expect(server.requestLog().some((e) => e.route === c.route && e.faults.includes('reshape-reply')), 'the broken reply was sent').toBe(true);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code, (error as Error).message).toBe('invalid-reply');
      expect((error as AppError).details).toMatchObject({ service: c.service, field });
      expect((error as Error).message).toContain(field);
    } finally {
      server.setFaults([]);
    }
  });
});

describe('nothing of a broken reply is stored', () => {
  let core: Core | undefined;
  let own: DemoOffice | undefined;
  let dir: { dir: string; cleanup: () => void } | undefined;

  async function start(faults: { billit?: readonly FaultRule[]; venice?: readonly FaultRule[] }, withFeed = true) {
    own = await startDemoOffice({ seed: 43, dossiers: 6, invoicesPerDossier: 3, feeds: withFeed ? [FEED_NAME] : [] });
    dir = tempDir('bvl-replies-');
    core = await createCore({
      dataDir: path.join(dir.dir, 'data'),
      version: '0.0.0-test',
      host: 'browser',
      demo: { office: own },
      exportRoot: path.join(dir.dir, 'exports'),
      clock: testClock(),
      timing: { retries: 0, baseDelayMs: 1, maxDelayMs: 2, timeoutMs: 5_000 },
      syncOnStartup: false,
    });
    // Dossiers learnt first (unless that is the route under test).
    if (!faults.venice?.some((f) => f.route === 'GET /webconnect/api/Venice/Dossiers')) await call(core, 'dossiers.refresh');
    own.billit.server.setFaults([...(faults.billit ?? [])]);
    own.venice.server.setFaults([...(faults.venice ?? [])]);
    return { core, office: own };
  }

  afterEach(async () => {
    await core?.close();
    await own?.close();
    dir?.cleanup();
    core = undefined;
    own = undefined;
  });

  function count(table: string): number {
    const db = new Database(path.join(dir!.dir, 'data', 'cache.sqlite'), { readonly: true });
    try {
      return db.prepare(`SELECT count(*) FROM ${table}`).pluck().get() as number;
    } finally {
      db.close();
    }
  }

  const reshape = (route: string, at: Key[], service: 'billit' | 'venice' = 'billit'): FaultRule => ({
    kind: 'reshape-reply',
    route,
    reshape: breakages['a field of the wrong type'](at, service),
  });

  it('Venice’s dossier list: no dossier', async () => {
    const { core } = await start({ venice: [reshape('GET /webconnect/api/Venice/Dossiers', ['Response', 'Dossiers', 'Dossier', 1, 'Fields', 'DossierId'], 'venice')] });
    const refreshed = await core.call('dossiers.refresh', undefined);
    expect(refreshed).toMatchObject({ ok: false, error: { code: 'invalid-reply', details: { field: 'Response.Dossiers.Dossier[1].Fields.DossierId' } } });
    expect(count('dossiers')).toBe(0);
  });

  it.each([
    ['Venice’s relations', { venice: [reshape('GET /webconnect.OData/odata/{dossierId}/{table}', ['value', 0, 'SystemNumber'], 'venice')] }],
    ['Billit’s parties', { billit: [reshape('GET /v1/parties', ['Items', 0, 'PartyID'])] }],
  ] as const)('a resync given %s out of shape: no party, in Billit or in the cache', async (_label, faults) => {
    const { core, office } = await start(faults);
    const row = (await call<Page<DossierRow>>(core, 'dossiers.list', { status: 'linked' })).items[0]!;
    const partiesBefore = office.billit.state.parties.size;
    office.billit.server.clearLog();
    const out = await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: row.id }] });
    expect(out.results[0]).toMatchObject({ outcome: 'failed', reason: { code: 'invalid-reply' } });
    expect(office.billit.state.parties.size).toBe(partiesBefore);
    expect(office.billit.server.requestLog().filter((e) => e.route === 'POST /v1/parties' || e.route === 'PATCH /v1/parties/{partyID}')).toEqual([]);
    expect(count('parties')).toBe(0);
  });

  it.each([
    ['a page of orders', 'GET /v1/orders', ['Items', 0, 'OrderID'], 'documents'],
    ['an order', 'GET /v1/orders/{orderID}', ['OrderID'], 'documents'],
    ['an order’s file', 'GET /v1/files/{fileID}', ['FileContent'], 'documents'],
    ['the feed poll', 'GET /v1/accountant/feeds/{feedName}', [0, 'PartyID'], 'statements'],
    ['a statement’s file', 'GET /v1/accountant/feeds/{feedName}/{feedItemID}', ['FileContent'], 'statements'],
  ] as const)('a sync given %s out of shape: nothing of it in the cache', async (_label, route, at, table) => {
    // Documents come from the dossiers' order pages here (the feed would bring them too).
    const { core, office } = await start({ billit: [reshape(route, [...at])] }, table === 'statements');
    const summary: SyncRunSummary = await syncNow(core);
    const refused = office.billit.server.requestLog().filter((e) => e.route === route && e.faults.includes('reshape-reply'));
    expect(refused.length).toBeGreaterThan(0);
    expect(summary.status === 'failed' || summary.errors > 0, JSON.stringify(summary)).toBe(true);
    expect(count(table)).toBe(0);
    // A poll out of shape leaves nothing to finish later either.
    if (route === 'GET /v1/accountant/feeds/{feedName}') expect(count('feed_pending')).toBe(0);
  });
});
