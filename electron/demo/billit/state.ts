import { createHash } from 'node:crypto';
import { enterpriseDigits } from '../../../shared/belgian';

/**
 * The Billit simulator's world, in memory: one accounting office (a Billit company with accountant access),
 * its client companies, their parties and orders with files, the office's accountant feeds, CODA files,
 * a small "KBO" register for company search, and the credentials that reach it (API keys, OAuth clients and
 * their grants).
 *
 * The seed generator builds a world with the mutation functions below; the simulator routes read and
 * change the same object. Everything is deterministic: ids come from counters, times from `state.now()`.
 */

export type Language = 'NL' | 'FR' | 'EN' | 'DE';
export type LinkRequestState = 'pending' | 'accepted' | 'refused';
export type OrderDirection = 'Income' | 'Cost';
export type PartyType = 'Customer' | 'Supplier';

export interface SimAddress {
  street: string;
  streetNumber: string;
  box?: string;
  zipcode: string;
  city: string;
  countryCode: string;
}

export interface SimFile {
  fileId: string;
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

export interface SimLinkRequest {
  id: number;
  companyId: number;
  state: LinkRequestState;
  requestedAt: Date;
  decidedAt?: Date;
}

/** How the demo entrepreneur answers a link request when nobody calls the demo-control route first. */
export interface EntrepreneurBehaviour {
  decision: 'accept' | 'refuse' | 'manual';
  /** Decided this long after the request (evaluated lazily on read: no timers to clean up). */
  afterMs: number;
}

export interface SimCompany {
  partyId: number;
  name: string;
  commercialName?: string;
  /** Ten digits, e.g. '0123456749'. */
  enterpriseNumber: string;
  /** 'BE' + enterprise number. */
  vatNumber: string;
  email: string;
  phone?: string;
  language: Language;
  address: SimAddress;
  iban?: string;
  bic?: string;
  /** The office itself. */
  isOffice: boolean;
  /** The office can act for this company (PartyID) through its credentials. */
  linkedToOffice: boolean;
  linkRequest?: SimLinkRequest;
  /** The entrepreneur has activated a login (accepted the invitation). */
  loginActivated: boolean;
  loginDataSentAt?: Date;
  loginDataSentTo?: string;
  peppolRegistered: boolean;
  entrepreneur: EntrepreneurBehaviour;
  created: Date;
  lastModified: Date;
}

export interface SimParty {
  partyId: number;
  companyId: number;
  partyType: PartyType;
  nr?: string;
  name: string;
  vatNumber?: string;
  email?: string;
  phone?: string;
  language?: string;
  address?: SimAddress;
  iban?: string;
  bic?: string;
  /** Any further swagger Party fields, returned as-is. */
  extra: Record<string, unknown>;
  created: Date;
  lastModified: Date;
}

export interface SimOrderLine {
  description: string;
  quantity: number;
  unitPriceExcl: number;
  vatPercentage: number;
}

export interface SimOrder {
  orderId: number;
  companyId: number;
  direction: OrderDirection;
  orderType: 'Invoice' | 'CreditNote';
  orderNumber: string;
  orderDate: Date;
  expiryDate: Date;
  counterPartyId: number;
  currency: string;
  lines: SimOrderLine[];
  totalExcl: number;
  totalVat: number;
  totalIncl: number;
  paymentReference?: string;
  paid: boolean;
  paidDate?: Date;
  /** The PDF (OrderPDF) and further attachments, the UBL XML first. */
  pdf?: SimFile;
  attachments: SimFile[];
  exportedToConnector: boolean;
  deleted: boolean;
  created: Date;
  lastModified: Date;
}

export interface SimDocument {
  documentId: number;
  companyId: number;
  name: string;
  description?: string;
  documentDate: Date;
  file: SimFile;
  created: Date;
}

export interface SimCodaFile {
  id: number;
  companyId: number;
  fileName: string;
  bytes: Uint8Array;
  /** SHA-256 of the raw bytes (lower-case hex). */
  sha256: string;
  iban?: string;
  statementDate?: Date;
  created: Date;
}

export type FeedEntityType = 'Order' | 'Document' | 'CODA';

export interface SimFeedItem {
  feedItemId: number;
  entityType: FeedEntityType;
  /** OrderID, DocumentID, or the CODA file's id. */
  entityId: number;
  /** The company the entity belongs to. */
  partyId: number;
  confirmed?: { at: Date; remotePath?: string; remoteServerName?: string };
}

export interface SimFeed {
  name: string;
  created: Date;
  items: SimFeedItem[];
}

export interface SimKboEntry {
  enterpriseNumber: string;
  name: string;
  commercialName?: string;
  address: SimAddress;
  startDate?: Date;
}

export interface SimUser {
  userId: number;
  email: string;
  firstName: string;
  lastName: string;
  /** 'office': reaches the office and every company linked to it; 'company': only `companyIds`. */
  kind: 'office' | 'company';
  companyIds: number[];
}

export interface SimOAuthClient {
  clientId: string;
  clientSecret: string;
  name: string;
  redirectUris: string[];
}

export interface SimAuthCode {
  code: string;
  clientId: string;
  userId: number;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export interface SimAccessToken {
  token: string;
  clientId: string;
  userId: number;
  expiresAt: number;
  revoked: boolean;
}

export interface SimRefreshToken {
  token: string;
  clientId: string;
  userId: number;
  used: boolean;
  revoked: boolean;
}

export interface SimIdempotencyRecord {
  status: 'in-flight' | 'done';
  done?: Promise<void>;
}

export interface BillitSimState {
  now: () => Date;
  office: SimCompany;
  companies: Map<number, SimCompany>;
  parties: Map<number, SimParty>;
  orders: Map<number, SimOrder>;
  documents: Map<number, SimDocument>;
  files: Map<string, { file: SimFile; companyId: number }>;
  codaFiles: Map<number, SimCodaFile>;
  feeds: Map<string, SimFeed>;
  kbo: Map<string, SimKboEntry>;
  users: Map<number, SimUser>;
  apiKeys: Map<string, number>;
  oauthClients: Map<string, SimOAuthClient>;
  authCodes: Map<string, SimAuthCode>;
  accessTokens: Map<string, SimAccessToken>;
  refreshTokens: Map<string, SimRefreshToken>;
  /** Per credential subject + idempotency key. */
  idempotency: Map<string, SimIdempotencyRecord>;
  linkRequests: Map<number, SimLinkRequest>;
  counters: { party: number; order: number; document: number; file: number; coda: number; feedItem: number; user: number; link: number; token: number };
}

export interface CreateStateOptions {
  now?: () => Date;
  office?: Partial<Omit<AddCompanyInput, 'linkedToOffice'>>;
  /** The office user's e-mail, name. */
  officeUser?: { email?: string; firstName?: string; lastName?: string };
}

export const OFFICE_USER_ID = 1;

export function createBillitState(options: CreateStateOptions = {}): BillitSimState {
  const now = options.now ?? (() => new Date());
  const state = {
    now,
    companies: new Map(),
    parties: new Map(),
    orders: new Map(),
    documents: new Map(),
    files: new Map(),
    codaFiles: new Map(),
    feeds: new Map(),
    kbo: new Map(),
    users: new Map(),
    apiKeys: new Map(),
    oauthClients: new Map(),
    authCodes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    idempotency: new Map(),
    linkRequests: new Map(),
    counters: { party: 500_000, order: 1_000_000, document: 3_000, file: 0, coda: 7_000, feedItem: 90_000, user: 1, link: 0, token: 0 },
  } as unknown as BillitSimState;
  const officeInput: AddCompanyInput = {
    name: 'Demo Boekhoudkantoor BV',
    enterpriseNumber: '0417497106',
    email: 'kantoor@demo-boekhouding.be',
    language: 'NL',
    address: { street: 'Kouter', streetNumber: '1', zipcode: '9000', city: 'Gent', countryCode: 'BE' },
    ...options.office,
  };
  const office = makeCompany(state, officeInput);
  office.isOffice = true;
  office.linkedToOffice = true;
  office.loginActivated = true;
  state.office = office;
  state.companies.set(office.partyId, office);
  state.users.set(OFFICE_USER_ID, {
    userId: OFFICE_USER_ID,
    email: options.officeUser?.email ?? 'accountant@demo-boekhouding.be',
    firstName: options.officeUser?.firstName ?? 'An',
    lastName: options.officeUser?.lastName ?? 'Peeters',
    kind: 'office',
    companyIds: [office.partyId],
  });
  return state;
}

// ---------------------------------------------------------------------------------------------------------
// Companies, the KBO register, links and logins

export interface AddCompanyInput {
  name: string;
  commercialName?: string;
  enterpriseNumber: string;
  email: string;
  phone?: string;
  language?: Language;
  address?: SimAddress;
  iban?: string;
  bic?: string;
  /** Default false: in Billit but not linked to the office. */
  linkedToOffice?: boolean;
  /** Default true. */
  loginActivated?: boolean;
  /** Default true. */
  peppolRegistered?: boolean;
  /** Default: accepts 2 seconds after the request. */
  entrepreneur?: EntrepreneurBehaviour;
  /** Start a link request in this state (pending requests are decided by `entrepreneur`). */
  linkRequestState?: LinkRequestState;
  partyId?: number;
  created?: Date;
}

function makeCompany(state: BillitSimState, input: AddCompanyInput): SimCompany {
  const created = input.created ?? state.now();
  const enterpriseNumber = enterpriseDigits(input.enterpriseNumber);
  const partyId = input.partyId ?? ++state.counters.party;
  if (input.partyId && input.partyId > state.counters.party) state.counters.party = input.partyId;
  return {
    partyId,
    name: input.name,
    commercialName: input.commercialName,
    enterpriseNumber,
    vatNumber: 'BE' + enterpriseNumber,
    email: input.email,
    phone: input.phone,
    language: input.language ?? 'NL',
    address: input.address ?? { street: 'Kerkstraat', streetNumber: '1', zipcode: '1000', city: 'Brussel', countryCode: 'BE' },
    iban: input.iban,
    bic: input.bic,
    isOffice: false,
    linkedToOffice: input.linkedToOffice ?? false,
    loginActivated: input.loginActivated ?? true,
    peppolRegistered: input.peppolRegistered ?? true,
    entrepreneur: input.entrepreneur ?? { decision: 'accept', afterMs: 2_000 },
    created,
    lastModified: created,
  };
}

export function addCompany(state: BillitSimState, input: AddCompanyInput): SimCompany {
  const company = makeCompany(state, input);
  if (findCompanyByEnterpriseNumber(state, company.enterpriseNumber))
    throw new Error(`A company with enterprise number ${company.enterpriseNumber} already exists`);
  if (findCompanyByEmail(state, company.email)) throw new Error(`A company with e-mail ${company.email} already exists`);
  state.companies.set(company.partyId, company);
  addKboEntry(state, { enterpriseNumber: company.enterpriseNumber, name: company.name, address: company.address });
  if (input.linkRequestState) {
    const request = requestLink(state, company.partyId);
    if (input.linkRequestState !== 'pending') decideLinkRequest(state, request.id, input.linkRequestState);
  }
  return company;
}

export function findCompanyByEnterpriseNumber(state: BillitSimState, enterpriseNumber: string): SimCompany | undefined {
  const wanted = enterpriseDigits(enterpriseNumber);
  for (const c of state.companies.values()) if (c.enterpriseNumber === wanted) return c;
  return undefined;
}

export function findCompanyByEmail(state: BillitSimState, email: string): SimCompany | undefined {
  const wanted = email.trim().toLowerCase();
  for (const c of state.companies.values()) if (c.email.toLowerCase() === wanted) return c;
  return undefined;
}

export function getCompany(state: BillitSimState, partyId: number): SimCompany {
  const company = state.companies.get(partyId);
  if (!company) throw new Error(`No company ${partyId}`);
  return company;
}

/** A company known to the KBO/VIES register (company search), whether or not it is in Billit. */
export function addKboEntry(state: BillitSimState, entry: SimKboEntry): void {
  state.kbo.set(enterpriseDigits(entry.enterpriseNumber), {
    ...entry,
    enterpriseNumber: enterpriseDigits(entry.enterpriseNumber),
  });
}

export function setLinkedToOffice(state: BillitSimState, companyId: number, linked: boolean): void {
  const company = getCompany(state, companyId);
  company.linkedToOffice = linked;
  company.lastModified = state.now();
}

/** The office asks to be linked to a company already in Billit; it stays pending until the entrepreneur answers. */
export function requestLink(state: BillitSimState, companyId: number): SimLinkRequest {
  const company = getCompany(state, companyId);
  if (company.linkRequest?.state === 'pending') return company.linkRequest;
  const request: SimLinkRequest = { id: ++state.counters.link, companyId, state: 'pending', requestedAt: state.now() };
  company.linkRequest = request;
  state.linkRequests.set(request.id, request);
  return request;
}

/** The demo entrepreneur accepts or refuses. Accepting links the company to the office. */
export function decideLinkRequest(state: BillitSimState, requestId: number, decision: 'accepted' | 'refused'): SimLinkRequest {
  const request = state.linkRequests.get(requestId);
  if (!request) throw new Error(`No link request ${requestId}`);
  if (request.state !== 'pending') return request;
  request.state = decision;
  request.decidedAt = state.now();
  if (decision === 'accepted') setLinkedToOffice(state, request.companyId, true);
  return request;
}

/** Apply the entrepreneur's scheduled answer if its time has come (called before every read). */
export function settleLinkRequest(state: BillitSimState, request: SimLinkRequest): SimLinkRequest {
  if (request.state !== 'pending') return request;
  const company = state.companies.get(request.companyId);
  if (!company || company.entrepreneur.decision === 'manual') return request;
  if (state.now().getTime() - request.requestedAt.getTime() >= company.entrepreneur.afterMs)
    decideLinkRequest(state, request.id, company.entrepreneur.decision === 'accept' ? 'accepted' : 'refused');
  return request;
}

export function sendLoginData(state: BillitSimState, companyId: number, email?: string): SimCompany {
  const company = getCompany(state, companyId);
  company.loginDataSentAt = state.now();
  company.loginDataSentTo = email ?? company.email;
  return company;
}

/** The entrepreneur follows the invitation and activates the login. */
export function activateLogin(state: BillitSimState, companyId: number): SimCompany {
  const company = getCompany(state, companyId);
  company.loginActivated = true;
  company.lastModified = state.now();
  return company;
}

// ---------------------------------------------------------------------------------------------------------
// Parties

/** A party as the seed gives it: the simulator assigns its ids, and its dates and extras default. */
export type AddPartyInput = Omit<SimParty, 'partyId' | 'companyId' | 'extra' | 'created' | 'lastModified'> &
  Partial<Pick<SimParty, 'extra' | 'created' | 'lastModified'>>;

export function addParty(state: BillitSimState, companyId: number, input: AddPartyInput): SimParty {
  getCompany(state, companyId);
  const created = input.created ?? state.now();
  const party: SimParty = {
    partyId: ++state.counters.party,
    companyId,
    partyType: input.partyType,
    nr: input.nr,
    name: input.name,
    vatNumber: input.vatNumber,
    email: input.email,
    phone: input.phone,
    language: input.language,
    address: input.address,
    iban: input.iban,
    bic: input.bic,
    extra: input.extra ?? {},
    created,
    lastModified: input.lastModified ?? created,
  };
  state.parties.set(party.partyId, party);
  return party;
}

const normVat = (v: string | undefined) => (v ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();

/** Billit's create-or-update match for POST /v1/parties: PartyID, else VAT number, else Nr, else e-mail (same type). */
export function matchParty(
  state: BillitSimState,
  companyId: number,
  partyType: PartyType,
  probe: { partyId?: number; vatNumber?: string; nr?: string; email?: string },
): SimParty | undefined {
  const candidates = [...state.parties.values()].filter((p) => p.companyId === companyId && p.partyType === partyType);
  if (probe.partyId) return candidates.find((p) => p.partyId === probe.partyId);
  if (probe.vatNumber) {
    const hit = candidates.find((p) => p.vatNumber && normVat(p.vatNumber) === normVat(probe.vatNumber));
    if (hit) return hit;
  }
  if (probe.nr) {
    const hit = candidates.find((p) => p.nr === probe.nr);
    if (hit) return hit;
  }
  if (probe.email) {
    const hit = candidates.find((p) => p.email?.toLowerCase() === probe.email!.toLowerCase());
    if (hit) return hit;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------
// Files, orders, documents

function nextFileId(state: BillitSimState): string {
  const n = ++state.counters.file;
  return `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
}

export function addFile(
  state: BillitSimState,
  companyId: number,
  input: { fileName: string; mimeType: string; bytes: Uint8Array },
): SimFile {
  const file: SimFile = { fileId: nextFileId(state), fileName: input.fileName, mimeType: input.mimeType, bytes: input.bytes };
  state.files.set(file.fileId, { file, companyId });
  return file;
}

export interface AddOrderInput {
  direction: OrderDirection;
  orderType?: 'Invoice' | 'CreditNote';
  orderNumber: string;
  orderDate: Date;
  expiryDate?: Date;
  /** The customer (Income) or supplier (Cost) party; must belong to the company. */
  counterPartyId: number;
  currency?: string;
  lines: SimOrderLine[];
  /** Computed from the lines when omitted (rounded per VAT rate to cents). */
  totals?: { excl: number; vat: number; incl: number };
  paymentReference?: string;
  paid?: boolean;
  paidDate?: Date;
  /** The Peppol UBL document (becomes the `.xml` attachment). */
  ubl?: { fileName: string; bytes: Uint8Array };
  /** The PDF (becomes OrderPDF). */
  pdf?: { fileName: string; bytes: Uint8Array };
  created?: Date;
  lastModified?: Date;
}

const round2 = (n: number) => Math.round(n * 100) / 100;

export function computeTotals(lines: SimOrderLine[]): { excl: number; vat: number; incl: number } {
  const byRate = new Map<number, number>();
  for (const l of lines) byRate.set(l.vatPercentage, (byRate.get(l.vatPercentage) ?? 0) + round2(l.quantity * l.unitPriceExcl));
  let excl = 0;
  let vat = 0;
  for (const [rate, base] of byRate) {
    excl += round2(base);
    vat += round2((base * rate) / 100);
  }
  return { excl: round2(excl), vat: round2(vat), incl: round2(excl + vat) };
}

export function addOrder(state: BillitSimState, companyId: number, input: AddOrderInput): SimOrder {
  getCompany(state, companyId);
  const party = state.parties.get(input.counterPartyId);
  if (!party || party.companyId !== companyId) throw new Error(`Party ${input.counterPartyId} is not a party of company ${companyId}`);
  const created = input.created ?? state.now();
  const totals = input.totals ?? computeTotals(input.lines);
  const attachments: SimFile[] = [];
  if (input.ubl) attachments.push(addFile(state, companyId, { fileName: input.ubl.fileName, mimeType: 'text/xml', bytes: input.ubl.bytes }));
  const pdf = input.pdf ? addFile(state, companyId, { fileName: input.pdf.fileName, mimeType: 'application/pdf', bytes: input.pdf.bytes }) : undefined;
  const order: SimOrder = {
    orderId: ++state.counters.order,
    companyId,
    direction: input.direction,
    orderType: input.orderType ?? 'Invoice',
    orderNumber: input.orderNumber,
    orderDate: input.orderDate,
    expiryDate: input.expiryDate ?? new Date(input.orderDate.getTime() + 30 * 86_400_000),
    counterPartyId: input.counterPartyId,
    currency: input.currency ?? 'EUR',
    lines: input.lines,
    totalExcl: totals.excl,
    totalVat: totals.vat,
    totalIncl: totals.incl,
    paymentReference: input.paymentReference,
    paid: input.paid ?? false,
    paidDate: input.paidDate,
    pdf,
    attachments,
    exportedToConnector: false,
    deleted: false,
    created,
    lastModified: input.lastModified ?? created,
  };
  state.orders.set(order.orderId, order);
  return order;
}

export function touchOrder(state: BillitSimState, orderId: number, lastModified?: Date): SimOrder {
  const order = state.orders.get(orderId);
  if (!order) throw new Error(`No order ${orderId}`);
  order.lastModified = lastModified ?? state.now();
  return order;
}

/** Soft delete: the order leaves GET /v1/orders and appears in GET /v1/orders/deleted. */
export function deleteOrder(state: BillitSimState, orderId: number, at?: Date): SimOrder {
  const order = touchOrder(state, orderId, at);
  order.deleted = true;
  return order;
}

export function addDocument(
  state: BillitSimState,
  companyId: number,
  input: { name: string; description?: string; documentDate?: Date; file: { fileName: string; mimeType: string; bytes: Uint8Array } },
): SimDocument {
  getCompany(state, companyId);
  const doc: SimDocument = {
    documentId: ++state.counters.document,
    companyId,
    name: input.name,
    description: input.description,
    documentDate: input.documentDate ?? state.now(),
    file: addFile(state, companyId, input.file),
    created: state.now(),
  };
  state.documents.set(doc.documentId, doc);
  return doc;
}

// ---------------------------------------------------------------------------------------------------------
// Accountant feeds

/** A feed of the office (what POST /v1/accountant/feeds does). Newly exported documents appear in it. */
export function addFeed(state: BillitSimState, name: string): SimFeed {
  const existing = state.feeds.get(name.toLowerCase());
  if (existing) return existing;
  const feed: SimFeed = { name, created: state.now(), items: [] };
  state.feeds.set(name.toLowerCase(), feed);
  return feed;
}

export function deleteFeed(state: BillitSimState, name: string): boolean {
  return state.feeds.delete(name.toLowerCase());
}

function pushToFeeds(state: BillitSimState, companyId: number, entityType: FeedEntityType, entityId: number): SimFeedItem[] {
  const company = getCompany(state, companyId);
  // Only companies the office can reach feed its feeds.
  if (!company.linkedToOffice) return [];
  const items: SimFeedItem[] = [];
  for (const feed of state.feeds.values()) {
    const item: SimFeedItem = { feedItemId: ++state.counters.feedItem, entityType, entityId, partyId: companyId };
    feed.items.push(item);
    items.push(item);
  }
  return items;
}

/** The entrepreneur (or Billit) exports an order to the accountant: it lands in every feed of the office. */
export function exportOrder(state: BillitSimState, orderId: number): SimFeedItem[] {
  const order = state.orders.get(orderId);
  if (!order) throw new Error(`No order ${orderId}`);
  order.exportedToConnector = true;
  order.lastModified = state.now();
  return pushToFeeds(state, order.companyId, 'Order', orderId);
}

export function exportDocument(state: BillitSimState, documentId: number): SimFeedItem[] {
  const doc = state.documents.get(documentId);
  if (!doc) throw new Error(`No document ${documentId}`);
  return pushToFeeds(state, doc.companyId, 'Document', documentId);
}

export interface AddCodaFileInput {
  fileName: string;
  bytes: Uint8Array;
  iban?: string;
  statementDate?: Date;
  /** Default true: the file lands in the office's feeds at once. */
  export?: boolean;
}

/** A CODA statement file of a company; by default exported to the office's feeds (FeedItem EntityType 'CODA'). */
export function addCodaFile(state: BillitSimState, companyId: number, input: AddCodaFileInput): SimCodaFile {
  getCompany(state, companyId);
  const coda: SimCodaFile = {
    id: ++state.counters.coda,
    companyId,
    fileName: input.fileName,
    bytes: input.bytes,
    sha256: createHash('sha256').update(input.bytes).digest('hex'),
    iban: input.iban,
    statementDate: input.statementDate,
    created: state.now(),
  };
  state.codaFiles.set(coda.id, coda);
  if (input.export !== false) pushToFeeds(state, companyId, 'CODA', coda.id);
  return coda;
}

export function exportCodaFile(state: BillitSimState, codaId: number): SimFeedItem[] {
  const coda = state.codaFiles.get(codaId);
  if (!coda) throw new Error(`No CODA file ${codaId}`);
  return pushToFeeds(state, coda.companyId, 'CODA', codaId);
}

/**
 * Each feed's items by id, so reading or confirming one item does not scan a feed of tens of thousands.
 * Items are only ever appended, so the index is brought up to date from where it stopped when the list grew
 * (and rebuilt should it ever shrink).
 */
const feedIndexes = new WeakMap<SimFeed, { indexed: number; byId: Map<number, SimFeedItem> }>();

function feedItemById(feed: SimFeed, feedItemId: number): SimFeedItem | undefined {
  let index = feedIndexes.get(feed);
  if (!index || index.indexed > feed.items.length) {
    index = { indexed: 0, byId: new Map() };
    feedIndexes.set(feed, index);
  }
  for (; index.indexed < feed.items.length; index.indexed++) {
    const item = feed.items[index.indexed]!;
    // Ids are unique (one counter for every feed); should one repeat, the first keeps it.
    if (!index.byId.has(item.feedItemId)) index.byId.set(item.feedItemId, item);
  }
  return index.byId.get(feedItemId);
}

export function findFeedItem(state: BillitSimState, feedName: string, feedItemId: number): SimFeedItem | undefined {
  const feed = state.feeds.get(feedName.toLowerCase());
  const item = feed && feedItemById(feed, feedItemId);
  return item && !item.confirmed ? item : undefined;
}

/** POST …/confirm: the item leaves the feed. */
export function confirmFeedItem(
  state: BillitSimState,
  feedName: string,
  feedItemId: number,
  info: { remotePath?: string; remoteServerName?: string } = {},
): SimFeedItem | undefined {
  const item = findFeedItem(state, feedName, feedItemId);
  if (!item) return undefined;
  item.confirmed = { at: state.now(), ...info };
  return item;
}

export function openFeedItems(feed: SimFeed): SimFeedItem[] {
  return feed.items.filter((i) => !i.confirmed);
}

// ---------------------------------------------------------------------------------------------------------
// Credentials

/** An API key for the office user (default) or another user. */
export function addApiKey(state: BillitSimState, apiKey: string, userId = OFFICE_USER_ID): void {
  if (!state.users.has(userId)) throw new Error(`No user ${userId}`);
  state.apiKeys.set(apiKey, userId);
}

export function addOAuthClient(state: BillitSimState, client: SimOAuthClient): SimOAuthClient {
  state.oauthClients.set(client.clientId, client);
  return client;
}

export function addUser(state: BillitSimState, user: Omit<SimUser, 'userId'>): SimUser {
  const full: SimUser = { ...user, userId: ++state.counters.user };
  state.users.set(full.userId, full);
  return full;
}

/** The companies a user's credentials reach (PartyID values they may send). */
export function companiesOfUser(state: BillitSimState, userId: number): SimCompany[] {
  const user = state.users.get(userId);
  if (!user) return [];
  const ids = new Set(user.companyIds);
  if (user.kind === 'office') for (const c of state.companies.values()) if (c.linkedToOffice) ids.add(c.partyId);
  return [...ids]
    .map((id) => state.companies.get(id))
    .filter((c): c is SimCompany => !!c)
    .sort((a, b) => a.created.getTime() - b.created.getTime() || a.partyId - b.partyId);
}

// ---------------------------------------------------------------------------------------------------------
// Lazily rendered file contents — for the seeded demo world (electron/demo/seed/), whose hundreds of thousands
// of documents are rendered from their seed when read instead of held in memory. Each read renders again, so
// the renderer must be deterministic (the seed's are), and a reader that needs the bytes twice keeps them.

/** Bytes computed when read. */
export type LazyBytes = () => Uint8Array;

function lazyFile(state: BillitSimState, companyId: number, input: { fileName: string; mimeType: string; bytes: LazyBytes }): SimFile {
  const file = { fileId: nextFileId(state), fileName: input.fileName, mimeType: input.mimeType } as SimFile;
  Object.defineProperty(file, 'bytes', { get: input.bytes, enumerable: true });
  state.files.set(file.fileId, { file, companyId });
  return file;
}

/** Gives an order (added without files) its UBL attachment and its PDF, both rendered when read. */
export function attachLazyOrderFiles(
  state: BillitSimState,
  orderId: number,
  files: { ubl?: { fileName: string; bytes: LazyBytes }; pdf?: { fileName: string; bytes: LazyBytes } },
): SimOrder {
  const order = state.orders.get(orderId);
  if (!order) throw new Error(`No order ${orderId}`);
  if (files.ubl) order.attachments.unshift(lazyFile(state, order.companyId, { ...files.ubl, mimeType: 'text/xml' }));
  if (files.pdf) order.pdf = lazyFile(state, order.companyId, { ...files.pdf, mimeType: 'application/pdf' });
  return order;
}

/** `addCodaFile` with bytes (and their SHA-256) computed when read. */
export function addLazyCodaFile(state: BillitSimState, companyId: number, input: Omit<AddCodaFileInput, 'bytes'> & { bytes: LazyBytes }): SimCodaFile {
  getCompany(state, companyId);
  let sha256: string | undefined;
  const coda = {
    id: ++state.counters.coda,
    companyId,
    fileName: input.fileName,
    iban: input.iban,
    statementDate: input.statementDate,
    created: state.now(),
  } as SimCodaFile;
  Object.defineProperty(coda, 'bytes', { get: input.bytes, enumerable: true });
  Object.defineProperty(coda, 'sha256', {
    get: () => (sha256 ??= createHash('sha256').update(input.bytes()).digest('hex')),
    enumerable: true,
  });
  state.codaFiles.set(coda.id, coda);
  if (input.export !== false) pushToFeeds(state, companyId, 'CODA', coda.id);
  return coda;
}
