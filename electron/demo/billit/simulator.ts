import { randomUUID } from 'node:crypto';
import { enterpriseDigits } from '../../../shared/belgian';
import {
  createSimServer,
  type FaultRule,
  type HandlerContext,
  type SimRequest,
  type SimResponse,
  type SimRoute,
  type SimServer,
} from '../sim-server';
import { ODataError, readODataQuery, sortBy, evaluate } from './odata';
import {
  addCompany,
  addFeed,
  addUser,
  confirmFeedItem,
  deleteFeed,
  findCompanyByEmail,
  findCompanyByEnterpriseNumber,
  findFeedItem,
  matchParty,
  openFeedItems,
  type BillitSimState,
  type SimCompany,
  type SimOrder,
  type SimParty,
  type PartyType,
} from './state';
import {
  ORDER_FILTERABLE,
  accountInformationJson,
  base64,
  deletedOrderJson,
  documentJson,
  fileJson,
  orderJson,
  partyJson,
} from './views';
import { oauthWebRoutes, oauthTokenRoutes } from './oauth';
import { billitError, callContext, idempotent, type CallContext } from './auth';
import { portalModelledRoutes } from './portal-modelled';

/**
 * The Billit simulator: Billit's public API as its swagger (`../shared/contracts/billit-swagger-v1.json`) and
 * reference describe it, on a loopback sim server.
 *
 * Route tags say what each route is:
 * - 'swagger': a path + method the public swagger defines (checked by the contract test);
 * - 'oauth-web': the documented browser authorisation page (`/Account/Logon`, on my.billit.be in reality);
 * - 'portal-modelled': the accountant-portal steps that have no public endpoint, modelled here (and used only by
 *   `electron/core/billit/portal-unverified.ts`).
 */

export interface BillitSimulatorOptions {
  state: BillitSimState;
  faults?: FaultRule[];
  port?: number;
  /** Lifetime of access tokens (Billit: 3600). */
  accessTokenTtlSeconds?: number;
  /** When > 0, polling one feed more often than this answers 429 with Retry-After. Default 0 (not enforced). */
  feedPollIntervalMs?: number;
}

export interface BillitSimulator extends SimServer {
  readonly state: BillitSimState;
}

export const SWAGGER = 'swagger';

const isResponse = (v: unknown): v is SimResponse => typeof v === 'object' && v !== null && 'status' in v && !('user' in v);

/** One page of a list, with an absolute NextPageLink when more items remain. */
export function page(
  req: SimRequest,
  ctx: HandlerContext,
  items: unknown[],
  options: { allowed?: ReadonlySet<string>; typeName?: string } = {},
): SimResponse {
  let q;
  try {
    q = readODataQuery(req.query, options.allowed, options.typeName);
  } catch (error) {
    if (error instanceof ODataError) return billitError(400, 'GenericError', error.message);
    throw error;
  }
  let selected: unknown[];
  try {
    selected = q.filter ? items.filter((i) => evaluate(q.filter!, i)) : items;
  } catch (error) {
    if (error instanceof ODataError) return billitError(400, 'GenericError', error.message);
    throw error;
  }
  selected = sortBy(selected, q.orderBy);
  const slice = selected.slice(q.skip, q.skip + q.top);
  const json: Record<string, unknown> = { Items: slice, Count: selected.length };
  if (q.top > 0 && q.skip + q.top < selected.length) {
    const next = new URL(req.path, ctx.baseUrl);
    for (const [k, v] of req.query) if (k.toLowerCase() !== '$skip') next.searchParams.append(k, v);
    next.searchParams.set('$skip', String(q.skip + q.top));
    if (![...req.query.keys()].some((k) => k.toLowerCase() === '$top')) next.searchParams.set('$top', String(q.top));
    json.NextPageLink = next.toString();
  }
  return { json };
}

const ok = (json?: unknown): SimResponse => (json === undefined ? { status: 200 } : { status: 200, json });

function requireOffice(c: CallContext): SimResponse | null {
  return c.user.kind === 'office' ? null : billitError(401, 'Unauthorized', 'Only an accountant can use accountant feeds');
}

function bodyObject(req: SimRequest): Record<string, unknown> | null {
  return req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : null;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

export function createBillitSimulator(options: BillitSimulatorOptions): BillitSimulator {
  const { state } = options;
  const ttl = options.accessTokenTtlSeconds ?? 3600;
  const feedPolls = new Map<string, number>();

  /** A swagger route whose handler runs with an authenticated call context. */
  const api = (
    method: SimRoute['method'],
    pattern: string,
    handler: (req: SimRequest, c: CallContext, ctx: HandlerContext) => SimResponse | Promise<SimResponse>,
  ): SimRoute => ({
    method,
    pattern,
    tag: SWAGGER,
    handler: async (req, ctx) => {
      const c = callContext(state, req);
      if (isResponse(c)) return c;
      if (method === 'POST') return idempotent(state, req, c.subject, () => handler(req, c, ctx));
      return handler(req, c, ctx);
    },
  });

  // Orders per company, rebuilt only when orders are added: a page request then looks at its company's
  // orders, not at every order of the office (hundreds of thousands in the benchmark's world).
  let byCompany = new Map<number, SimOrder[]>();
  let indexedSize = -1;
  const ordersOf = (companyId: number, deleted: boolean) => {
    if (indexedSize !== state.orders.size) {
      byCompany = new Map();
      for (const o of state.orders.values()) {
        const list = byCompany.get(o.companyId);
        if (list) list.push(o);
        else byCompany.set(o.companyId, [o]);
      }
      indexedSize = state.orders.size;
    }
    return (byCompany.get(companyId) ?? []).filter((o) => o.deleted === deleted);
  };

  const routes: SimRoute[] = [
    // ---- Account
    api('GET', '/v1/account/accountInformation', (_req, c) => ok(accountInformationJson(state, c.user.userId))),

    api('POST', '/v1/account/registercompany', (req, c) => {
      if (c.user.kind !== 'office' || !c.company.isOffice)
        return billitError(401, 'Unauthorized', 'Register companies from the accountant company (PartyID)');
      const body = bodyObject(req);
      const company = body?.Company as Record<string, unknown> | undefined;
      if (!company || typeof company !== 'object') return billitError(400, 'CompanyRequired', 'Company is required');
      const name = str(company.Name);
      const email = str(company.Email);
      const phone = str(company.Phone) ?? str(company.Mobile);
      const vat = str(company.VATNumber);
      if (!name) return billitError(400, 'NameRequired', 'Company.Name is required');
      if (!email) return billitError(400, 'EmailRequired', 'Company.Email is required');
      if (!phone) return billitError(400, 'PhoneRequired', 'Company.Phone is required');
      if (!vat) return billitError(400, 'VATNumberRequired', 'Company.VATNumber is required');
      const enterpriseNumber = enterpriseDigits(vat);
      if (!/^\d{10}$/.test(enterpriseNumber)) return billitError(400, 'InvalidVATNumber', `Invalid VAT number '${vat}'`);
      // Modelled: the portal's "this enterprise number already exists → link" path.
      const existing = findCompanyByEnterpriseNumber(state, enterpriseNumber);
      if (existing)
        return billitError(
          400,
          'CompanyAlreadyExists',
          `A company with VAT number BE${enterpriseNumber} already exists in Billit; send a link request instead`,
        );
      if (findCompanyByEmail(state, email)) return billitError(400, 'EmailAlreadyExists', `The e-mail ${email} is already in use`);
      const addresses = Array.isArray(company.Addresses) ? (company.Addresses as Record<string, unknown>[]) : [];
      const a = addresses[0] ?? company;
      const banks = (Array.isArray(company.BankAccounts) ? company.BankAccounts : Array.isArray(body?.BankAccounts) ? body.BankAccounts : []) as Record<
        string,
        unknown
      >[];
      const created = addCompany(state, {
        name,
        commercialName: str(company.CommercialName),
        enterpriseNumber,
        email,
        phone,
        language: (str(company.Language)?.toUpperCase() as SimCompany['language']) ?? 'NL',
        address: {
          street: str(a.Street) ?? '',
          streetNumber: str(a.StreetNumber) ?? '',
          box: str(a.Box),
          zipcode: str(a.Zipcode) ?? '',
          city: str(a.City) ?? '',
          countryCode: str(a.CountryCode) ?? 'BE',
        },
        iban: str(banks[0]?.IBAN),
        bic: str(banks[0]?.BIC),
        linkedToOffice: true,
        loginActivated: false,
      });
      const apiKey = randomUUID();
      const user = addUser(state, {
        email,
        firstName: str(company.ContactFirstName) ?? '',
        lastName: str(company.ContactLastName) ?? '',
        kind: 'company',
        companyIds: [created.partyId],
      });
      state.apiKeys.set(apiKey, user.userId);
      return ok({
        CompanyID: created.partyId,
        APIKey: apiKey,
        Users: [{ UserID: user.userId }],
        BankAccounts: banks
          .filter((b) => str(b.IBAN))
          .map((b, i) => ({ BankAccountID: created.partyId * 10 + i + 1, IBAN: str(b.IBAN), Active: true })),
      });
    }),

    // ---- Accountant feeds
    api('GET', '/v1/accountant/feeds', (_req, c) => requireOffice(c) ?? ok([...state.feeds.values()].map((f) => ({ Name: f.name })))),

    api('POST', '/v1/accountant/feeds', (req, c) => {
      const denied = requireOffice(c);
      if (denied) return denied;
      const name = str(bodyObject(req)?.Name);
      if (!name) return billitError(400, 'NameRequired', 'Name is required');
      if (state.feeds.has(name.toLowerCase())) return billitError(400, 'FeedAlreadyExists', `A feed named '${name}' already exists`);
      addFeed(state, name);
      return ok();
    }),

    api('GET', '/v1/accountant/feeds/{feedName}', (req, c) => {
      const denied = requireOffice(c);
      if (denied) return denied;
      const feed = state.feeds.get(req.params.feedName!.toLowerCase());
      if (!feed) return billitError(400, 'FeedNotFound', `No feed named '${req.params.feedName}'`);
      const interval = options.feedPollIntervalMs ?? 0;
      if (interval > 0) {
        const last = feedPolls.get(feed.name);
        const now = Date.now();
        if (last !== undefined && now - last < interval) {
          const wait = Math.ceil((interval - (now - last)) / 1000);
          return { ...billitError(429, 'TooManyRequests', 'Only query this once per minute'), headers: { 'Retry-After': String(wait) } };
        }
        feedPolls.set(feed.name, now);
      }
      return ok(openFeedItems(feed).map((i) => ({ FeedItemID: i.feedItemId, EntityID: i.entityId, EntityType: i.entityType, PartyID: i.partyId })));
    }),

    api('DELETE', '/v1/accountant/feeds/{feedName}', (req, c) => {
      const denied = requireOffice(c);
      if (denied) return denied;
      if (!deleteFeed(state, req.params.feedName!)) return billitError(400, 'FeedNotFound', `No feed named '${req.params.feedName}'`);
      return ok();
    }),

    api('GET', '/v1/accountant/feeds/{feedName}/{feedItemID}', (req, c, ctx) => {
      const denied = requireOffice(c);
      if (denied) return denied;
      const item = findFeedItem(state, req.params.feedName!, Number(req.params.feedItemID));
      if (!item) return billitError(400, 'FeedItemNotFound', `No open feed item ${req.params.feedItemID}`);
      let file: { fileName: string; bytes: Uint8Array } | undefined;
      if (item.entityType === 'CODA') file = state.codaFiles.get(item.entityId);
      else if (item.entityType === 'Document') {
        const d = state.documents.get(item.entityId);
        file = d && { fileName: d.file.fileName, bytes: d.file.bytes };
      } else {
        // Modelled: for an order item, the UBL attachment.
        const ubl = state.orders.get(item.entityId)?.attachments.find((a) => a.mimeType === 'text/xml');
        file = ubl && { fileName: ubl.fileName, bytes: ubl.bytes };
      }
      if (!file) return billitError(400, 'NoFile', `Feed item ${item.feedItemId} has no file`);
      // Read once: the seeded world renders a file's bytes on every read.
      const bytes = file.bytes;
      return ok({ FileName: file.fileName, FileContent: base64(bytes), FileContentSHA256Hash: ctx.sha256(bytes) });
    }),

    api('POST', '/v1/accountant/feeds/{feedName}/{feedItemID}/confirm', (req, c) => {
      const denied = requireOffice(c);
      if (denied) return denied;
      const body = bodyObject(req) ?? {};
      const item = confirmFeedItem(state, req.params.feedName!, Number(req.params.feedItemID), {
        remotePath: str(body.RemotePath),
        remoteServerName: str(body.RemoteServerName),
      });
      if (!item) return billitError(400, 'FeedItemNotFound', `No open feed item ${req.params.feedItemID}`);
      return ok();
    }),

    // ---- Parties
    api('GET', '/v1/parties', (req, c, ctx) =>
      page(
        req,
        ctx,
        [...state.parties.values()].filter((p) => p.companyId === c.company.partyId).sort((a, b) => a.partyId - b.partyId).map(partyJson),
        { typeName: 'Domain.Party' },
      ),
    ),

    api('POST', '/v1/parties', (req, c) => {
      const body = bodyObject(req);
      if (!body) return billitError(400, 'InvalidBody', 'A Party object is required');
      const partyType = body.PartyType;
      if (partyType !== 'Customer' && partyType !== 'Supplier')
        return billitError(400, 'InvalidPartyType', "PartyType must be 'Customer' or 'Supplier'");
      const name = str(body.Name);
      if (!name) return billitError(400, 'NameRequired', 'Name is required');
      const now = state.now();
      const existing = matchParty(state, c.company.partyId, partyType as PartyType, {
        partyId: typeof body.PartyID === 'number' && body.PartyID > 0 ? body.PartyID : undefined,
        vatNumber: str(body.VATNumber),
        nr: str(body.Nr),
        email: str(body.Email),
      });
      if (typeof body.PartyID === 'number' && body.PartyID > 0 && !existing)
        return billitError(404, 'NotFound', `No party ${body.PartyID}`);
      const party: SimParty = existing ?? {
        partyId: ++state.counters.party,
        companyId: c.company.partyId,
        partyType: partyType as PartyType,
        name,
        extra: {},
        created: now,
        lastModified: now,
      };
      applyParty(party, body);
      party.lastModified = now;
      state.parties.set(party.partyId, party);
      return ok(party.partyId);
    }),

    api('GET', '/v1/parties/{partyID}', (req, c) => {
      const p = state.parties.get(Number(req.params.partyID));
      if (!p || p.companyId !== c.company.partyId) return billitError(401, 'WrongPartyID', 'Wrong Party ID');
      return ok(partyJson(p));
    }),

    api('PATCH', '/v1/parties/{partyID}', (req, c) => {
      const p = state.parties.get(Number(req.params.partyID));
      if (!p || p.companyId !== c.company.partyId) return billitError(404, 'NotFound', `No party ${req.params.partyID}`);
      const body = bodyObject(req);
      if (!body) return billitError(400, 'InvalidBody', 'A delta object is required');
      applyParty(p, body);
      p.lastModified = state.now();
      return ok();
    }),

    // ---- Orders (deleted before {orderID}: first match wins)
    api('GET', '/v1/orders/deleted', (req, c, ctx) =>
      page(req, ctx, ordersOf(c.company.partyId, true).sort((a, b) => a.orderId - b.orderId).map(deletedOrderJson), {
        allowed: ORDER_FILTERABLE,
        typeName: 'Domain.Order.OrderPartyPerformanceSafeColumns',
      }),
    ),

    api('GET', '/v1/orders', (req, c, ctx) =>
      page(
        req,
        ctx,
        ordersOf(c.company.partyId, false)
          .sort((a, b) => a.orderId - b.orderId)
          .map((o) => orderJson(state, o, false)),
        { allowed: ORDER_FILTERABLE, typeName: 'Domain.Order.OrderPartyPerformanceSafeColumns' },
      ),
    ),

    api('GET', '/v1/orders/{orderID}', (req, c) => {
      const o = state.orders.get(Number(req.params.orderID));
      if (!o || o.companyId !== c.company.partyId) return billitError(401, 'WrongOrderID', 'Wrong OrderID');
      if (o.deleted) return billitError(404, 'NotFound', `Order ${o.orderId} was deleted`);
      return ok(orderJson(state, o, true));
    }),

    api('DELETE', '/v1/orders/{orderID}', (req, c) => {
      const o = state.orders.get(Number(req.params.orderID));
      if (!o || o.companyId !== c.company.partyId) return billitError(401, 'WrongOrderID', 'Wrong OrderID');
      if (o.deleted) return ok(false);
      o.deleted = true;
      o.lastModified = state.now();
      return ok(true);
    }),

    // ---- Files and documents
    api('GET', '/v1/files/{fileID}', (req, c) => {
      const hit = state.files.get(req.params.fileID!.toLowerCase());
      if (!hit || hit.companyId !== c.company.partyId) return billitError(404, 'NotFound', `No file ${req.params.fileID}`);
      return ok(fileJson(hit.file));
    }),

    api('GET', '/v1/documents', (req, c, ctx) =>
      page(
        req,
        ctx,
        [...state.documents.values()].filter((d) => d.companyId === c.company.partyId).map((d) => documentJson(d, false)),
        { typeName: 'Domain.Document' },
      ),
    ),

    api('GET', '/v1/documents/{documentID}', (req, c) => {
      const d = state.documents.get(Number(req.params.documentID));
      if (!d || d.companyId !== c.company.partyId) return billitError(401, 'Unauthorized', 'Wrong DocumentID');
      return ok(documentJson(d, true));
    }),

    // ---- Misc and Peppol
    api('GET', '/v1/misc/companysearch/{Keywords}', (req) => {
      const keywords = req.params.Keywords!.trim();
      const digits = enterpriseDigits(keywords);
      const byNumber = /^(BE)?[\d. ]+$/i.test(keywords) && digits.length === 10;
      const entries = [...state.kbo.values()].filter((e) =>
        byNumber ? e.enterpriseNumber === digits : e.name.toLowerCase().includes(keywords.toLowerCase()),
      );
      return ok({
        Items: entries.slice(0, 50).map((e) => ({
          Source: 'KBO',
          CompanyIdentification: 'BE' + e.enterpriseNumber,
          Name: e.name,
          CommercialName: e.commercialName,
          Street: e.address.street,
          Number: e.address.streetNumber,
          Box: e.address.box,
          Zipcode: e.address.zipcode,
          City: e.address.city,
          Country: e.address.countryCode,
          StartDate: e.startDate ? e.startDate.toISOString().replace(/Z$/, '') : undefined,
        })),
      });
    }),

    {
      // "API key is not required".
      method: 'GET',
      pattern: '/v1/peppol/participantInformation/{VATorCBE}',
      tag: SWAGGER,
      handler: (req) => {
        const raw = req.params.VATorCBE!.trim();
        const id = raw.replace(/^(0208|9925):/, '');
        const digits = enterpriseDigits(id);
        if (!/^\d{10}$/.test(digits)) return billitError(400, 'InvalidIdentifier', `'${raw}' is not a VAT or company number`);
        const company = findCompanyByEnterpriseNumber(state, digits);
        const registered = !!company?.peppolRegistered;
        return ok({
          Registered: registered,
          Identifier: `0208:${digits}`,
          DocumentTypes: registered ? ['BISv3Invoice', 'BISv3CreditNote', 'MLR', 'IMR'] : [],
          ServiceDetails: [],
          ServiceProviderID: registered ? 'PBE000000' : undefined,
          ServiceProviderName: registered ? 'Billit' : undefined,
        });
      },
    },

    ...oauthTokenRoutes(state, ttl),
    ...oauthWebRoutes(state),
    ...portalModelledRoutes(state),
  ];

  const server = createSimServer({
    name: 'billit',
    routes,
    faults: options.faults,
    port: options.port,
    faultBody: (_status, code, description) => ({ errors: [{ Code: code, Description: description }] }),
  });
  return Object.assign(server, { state }) as BillitSimulator;
}

const PARTY_FIELDS: Array<[string, keyof SimParty]> = [
  ['Name', 'name'],
  ['Nr', 'nr'],
  ['VATNumber', 'vatNumber'],
  ['Email', 'email'],
  ['Phone', 'phone'],
  ['Language', 'language'],
  ['IBAN', 'iban'],
  ['BIC', 'bic'],
];

function applyParty(party: SimParty, body: Record<string, unknown>) {
  for (const [json, key] of PARTY_FIELDS) {
    const v = body[json];
    if (typeof v === 'string') (party as unknown as Record<string, unknown>)[key] = v;
  }
  const addresses = Array.isArray(body.Addresses) ? (body.Addresses as Record<string, unknown>[]) : [];
  const a = addresses[0] ?? (typeof body.Street === 'string' || typeof body.City === 'string' ? body : undefined);
  if (a) {
    party.address = {
      street: str(a.Street) ?? '',
      streetNumber: str(a.StreetNumber) ?? '',
      box: str(a.Box),
      zipcode: str(a.Zipcode) ?? '',
      city: str(a.City) ?? '',
      countryCode: str(a.CountryCode) ?? 'BE',
    };
  }
  // A few more swagger Party scalars are kept as sent when their type is right.
  for (const [k, v] of Object.entries(body)) {
    const type = EXTRA_PARTY_FIELDS[k];
    if (type && typeof v === type) party.extra[k] = v;
  }
}

const EXTRA_PARTY_FIELDS: Record<string, 'string' | 'boolean'> = {
  CommercialName: 'string',
  Mobile: 'string',
  Fax: 'string',
  Website: 'string',
  Contact: 'string',
  ContactFirstName: 'string',
  ContactLastName: 'string',
  PeppolIdentifier: 'string',
  ExternalProviderID: 'string',
  ExternalProviderTC: 'string',
  VATLiable: 'boolean',
  VATDeductable: 'boolean',
};

