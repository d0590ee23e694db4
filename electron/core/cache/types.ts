import type { BillitPartyId, DocumentId, DossierId, RunId, StatementId, VeniceDossierId } from '../../../shared/api/ids';

/**
 * The records the cache stores and returns. Amounts are exact integers of cents; dates are
 * ISO `YYYY-MM-DD`, timestamps ISO 8601 UTC. No record ever holds a credential.
 */

/** One page of a keyset-paged list: `next` is an opaque cursor for the following page, null at the end. */
export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PageArgs {
  /** The `next` of the previous page; absent for the first page. */
  after?: string | null;
  /** Rows per page (1..1000, default 200). */
  limit?: number;
}

// ---------------------------------------------------------------- accounts

export type AccountKind = 'billit' | 'venice';
export type AccountAuth = 'api-key' | 'oauth' | 'basic';

/** A configured connection, without its secret (that lives in the OS keychain only). */
export interface AccountRecord {
  /** `<kind>:<environment>`, also the key of its secrets in the keychain. */
  id: string;
  kind: AccountKind;
  environment: string;
  auth: AccountAuth;
  /** What the user recognises: "configured as …" (a user name, a company name); never the secret. */
  label: string;
  lastVerifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface AccountInput {
  kind: AccountKind;
  environment: string;
  auth: AccountAuth;
  label: string;
}

// ---------------------------------------------------------------- dossiers

export const linkStates = [
  'unknown',
  'not-in-billit',
  'not-linked',
  'link-pending',
  'linked',
  'link-refused',
  'login-not-activated',
] as const;
export type LinkState = (typeof linkStates)[number];

export interface Address {
  street?: string | null;
  postalCode?: string | null;
  city?: string | null;
  country?: string | null;
}

export interface DossierInput {
  /** Venice Cloud's dossier id: the natural key. */
  veniceId: string;
  name: string;
  /** Belgian enterprise number in any common spelling; stored as its 10 digits. */
  enterpriseNumber?: string | null;
  email?: string | null;
  language?: string | null;
  address?: Address | null;
  /** Billit's PartyID of the company, once known. Absent = keep what is stored. */
  billitPartyId?: BillitPartyId | null;
  /** Absent = keep what is stored (a new dossier starts as 'unknown'). */
  linkState?: LinkState;
  linkReason?: string | null;
}

export interface DossierRecord {
  id: DossierId;
  veniceId: VeniceDossierId;
  name: string;
  enterpriseNumber: string | null;
  email: string | null;
  language: string | null;
  address: Address | null;
  billitPartyId: BillitPartyId | null;
  linkState: LinkState;
  linkReason: string | null;
  linkStateAt: string | null;
  /** The last "send login data" (the invitation to activate the Billit login). */
  loginDataSent: { to: string; at: string } | null;
  createdAt: string;
  updatedAt: string;
}

/** A dossier whose Billit company is known: its PartyID is stored. */
export type DossierWithParty = DossierRecord & { billitPartyId: BillitPartyId };

export interface DossierCounts {
  sales: number;
  purchases: number;
  /** Documents whose validation found errors. */
  problems: number;
  /** Documents not exported yet (new or failed). */
  toExport: number;
  statements: number;
}

export interface DossierSyncSummary {
  at: string;
  status: RunStatus;
  error: string | null;
}

/** A row of the dossier list: the dossier, its counts, and its last sync. */
export interface DossierListItem extends DossierRecord {
  counts: DossierCounts;
  lastSync: DossierSyncSummary | null;
}

export interface LinkEvent {
  id: number;
  dossierId: DossierId;
  at: string;
  state: LinkState;
  reason: string | null;
  billitPartyId: BillitPartyId | null;
}

// ---------------------------------------------------------------- parties (customers, suppliers)

export type PartyRole = 'customer' | 'supplier';
export type PartySyncStatus = 'new' | 'updated' | 'unchanged' | 'failed';

export interface PartyInput {
  dossierId: number;
  role: PartyRole;
  /** The relation's number in Venice: the natural key within the dossier and role. */
  veniceNumber: string;
  name: string;
  enterpriseNumber?: string | null;
  vatNumber?: string | null;
  email?: string | null;
  iban?: string | null;
  language?: string | null;
  address?: Address | null;
}

export interface PartyRecord extends Required<Omit<PartyInput, 'address'>> {
  id: number;
  address: Address | null;
  billitPartyId: BillitPartyId | null;
  billitStatus: PartySyncStatus | null;
  billitReason: string | null;
  billitSyncedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

// ---------------------------------------------------------------- documents

export type Direction = 'sales' | 'purchase';
export type DocumentKind = 'invoice' | 'credit-note';
/** 'held': kept out of the export folders (Venice would refuse it, or the accountant said so). */
export const documentStatuses = ['new', 'exported', 'export-failed', 'skipped', 'held', 'deleted'] as const;
export type DocumentStatus = (typeof documentStatuses)[number];
export const validationLevels = ['unchecked', 'ok', 'warnings', 'errors'] as const;
export type Validation = (typeof validationLevels)[number];

export interface Finding {
  code: string;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** Where in the file (an XPath, a CODA record number…). */
  path?: string;
}

export interface PartyRef {
  name: string;
  enterpriseNumber?: string | null;
  vatNumber?: string | null;
}

export interface DocumentInput {
  dossierId: number;
  /** Where it came from, e.g. 'billit-order'; with `sourceId` the natural key within the dossier. */
  source: string;
  /** e.g. Billit's OrderID. */
  sourceId: string;
  /** Other ids worth keeping (feed item id, file id, Peppol message id…). */
  sourceIds?: Record<string, string>;
  kind: DocumentKind;
  direction: Direction;
  number: string;
  issueDate: string;
  dueDate?: string | null;
  seller: PartyRef;
  buyer: PartyRef;
  /** The dossier's customer (sales) or supplier (purchase) row, when matched. Absent = keep. */
  partyId?: number | null;
  currency: string;
  totalExclCents: number;
  totalVatCents: number;
  totalInclCents: number;
  payableCents?: number | null;
  /** The structured communication (any spelling) or free payment reference. */
  paymentReference?: string | null;
  /** Absent = keep what is stored (a new document starts as 'new'). */
  status?: DocumentStatus;
  /** Absent = keep what is stored. */
  validation?: Validation;
  /** Absent = keep what is stored. */
  findings?: Finding[];
  /** The original UBL bytes (stored once by SHA-256), or the SHA-256 of a blob already put. */
  ubl?: Uint8Array;
  ublSha256?: string | null;
  /** The embedded PDF bytes, or the SHA-256 of a blob already put. */
  pdf?: Uint8Array;
  pdfSha256?: string | null;
  /** The source's last-modified stamp (Billit's LastModified). */
  remoteModifiedAt?: string | null;
}

export interface DocumentRecord {
  id: DocumentId;
  dossierId: DossierId;
  source: string;
  sourceId: string;
  sourceIds: Record<string, string>;
  kind: DocumentKind;
  direction: Direction;
  number: string;
  issueDate: string;
  dueDate: string | null;
  seller: PartyRef;
  buyer: PartyRef;
  partyId: number | null;
  currency: string;
  totalExclCents: number;
  totalVatCents: number;
  totalInclCents: number;
  payableCents: number | null;
  paymentReference: string | null;
  status: DocumentStatus;
  validation: Validation;
  findings: Finding[];
  ublSha256: string | null;
  pdfSha256: string | null;
  remoteModifiedAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A row of a dossier's document list. */
export interface DocumentListItem {
  id: DocumentId;
  dossierId: DossierId;
  kind: DocumentKind;
  direction: Direction;
  number: string;
  issueDate: string;
  dueDate: string | null;
  /** The buyer for sales, the seller for purchases. */
  counterpartyName: string | null;
  totalInclCents: number;
  currency: string;
  status: DocumentStatus;
  validation: Validation;
  /** A bank movement's structured communication pays it. */
  paid: boolean;
  hasUbl: boolean;
  hasPdf: boolean;
}

export interface DocumentPageArgs extends PageArgs {
  dossierId: number;
  direction?: Direction;
  /** Issue date from (inclusive), `YYYY-MM-DD`. */
  from?: string;
  /** Issue date to (inclusive), `YYYY-MM-DD`. */
  to?: string;
  /** One status or several; by default every status but 'deleted'. */
  status?: DocumentStatus | DocumentStatus[];
  validation?: Validation | Validation[];
  /** Free text: counterparty name, number, amount, structured communication. */
  text?: string;
}

export interface PutResult<Id extends number = number> {
  /** The id of each input row, in input order. */
  ids: Id[];
  inserted: number;
  updated: number;
  unchanged: number;
}

// ---------------------------------------------------------------- statements

export interface MovementInput {
  /** Sequence number within the statement: the natural key. */
  seq: number;
  entryDate?: string | null;
  valueDate?: string | null;
  /** Signed: credit > 0, debit < 0. */
  amountCents: number;
  counterpartyName?: string | null;
  counterpartyIban?: string | null;
  counterpartyBic?: string | null;
  /** Free communication text. */
  communication?: string | null;
  /** Structured communication (any spelling; stored as its 12 digits). */
  structuredReference?: string | null;
  transactionCode?: string | null;
  bankReference?: string | null;
  details?: unknown;
}

export interface MovementRecord {
  id: number;
  statementId: StatementId;
  dossierId: DossierId;
  seq: number;
  entryDate: string | null;
  valueDate: string | null;
  amountCents: number;
  counterpartyName: string | null;
  counterpartyIban: string | null;
  counterpartyBic: string | null;
  communication: string | null;
  structuredReference: string | null;
  transactionCode: string | null;
  bankReference: string | null;
  details: unknown;
  /** The document whose payment reference this movement's structured communication matches. */
  matchedDocumentId: number | null;
}

export interface StatementInput {
  dossierId: number;
  accountIban: string;
  currency: string;
  /** The bank's statement number (sequence). */
  statementNumber: string;
  openingDate?: string | null;
  /** The new balance date: with the account and number the natural key. */
  closingDate: string;
  openingCents: number;
  closingCents: number;
  /** The CODA file the statement came from (stored once by SHA-256), or its SHA-256. */
  coda?: Uint8Array;
  codaSha256?: string | null;
  source: string;
  sourceId: string;
  sourceIds?: Record<string, string>;
  status?: DocumentStatus;
  validation?: Validation;
  findings?: Finding[];
  /** Replaces the statement's movements when given. */
  movements?: MovementInput[];
}

export interface StatementRecord {
  id: StatementId;
  dossierId: DossierId;
  accountIban: string;
  currency: string;
  statementNumber: string;
  openingDate: string | null;
  closingDate: string;
  openingCents: number;
  closingCents: number;
  movementCount: number;
  codaSha256: string | null;
  source: string;
  sourceId: string;
  sourceIds: Record<string, string>;
  status: DocumentStatus;
  validation: Validation;
  findings: Finding[];
  createdAt: string;
  updatedAt: string;
}

export interface StatementPageArgs extends PageArgs {
  dossierId?: number;
  accountIban?: string;
  from?: string;
  to?: string;
}

export interface AccountIbanSummary {
  accountIban: string;
  currency: string;
  statements: number;
  lastClosingDate: string;
}

// ---------------------------------------------------------------- search

export type SearchKind = 'dossier' | 'party' | 'document' | 'movement';

export interface SearchArgs extends PageArgs {
  q: string;
  dossierId?: number;
  kinds?: SearchKind[];
}

export interface SearchHit {
  kind: SearchKind;
  id: number;
  dossierId: DossierId;
  dossierName: string;
  /** Name of the dossier, party or counterparty. */
  title: string;
  /** Number, enterprise number, communication… */
  subtitle: string | null;
  date: string | null;
  amountCents: number | null;
  currency: string | null;
  /** For a movement: its statement. */
  statementId?: number;
}

// ---------------------------------------------------------------- sync

export type RunStatus = 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted' | 'partial';
export type RunTrigger = 'manual' | 'schedule' | 'startup';

export interface RunRecord {
  id: RunId;
  trigger: RunTrigger;
  scope: unknown;
  pid: number | null;
  startedAt: string;
  finishedAt: string | null;
  status: RunStatus;
  counts: Record<string, number>;
  error: string | null;
  /** What the user should know of the run beyond its counts (e.g. a feed poll skipped). */
  notes: RunNote[];
}

export interface RunNote {
  code: string;
  message: string;
}

/** An accountant-feed item a poll brought that is not yet delivered and confirmed. */
export interface PendingFeedItem {
  feedItemId: number;
  entityType: string;
  entityId: number;
  partyId: number;
}

export interface RunDossierResult {
  status: RunStatus;
  counts?: Record<string, number>;
  error?: string | null;
}

// ---------------------------------------------------------------- audit

export type AuditActor = 'user' | 'schedule' | 'system';

export interface AuditInput {
  action: string;
  actor?: AuditActor;
  dossierId?: number | null;
  subject?: string | null;
  details?: unknown;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: AuditActor;
  action: string;
  dossierId: number | null;
  subject: string | null;
  details: unknown;
}

// ---------------------------------------------------------------- maintenance

/** The Settings screen shows it as is. */
export type { IntegrityReport } from '../../../shared/api/settings';
