/**
 * What the sync needs from the outside world, in its own words. The Billit and Venice Cloud clients are
 * bound to these in `sources.ts`; keeping the sync on this narrow surface lets it be read (and reasoned
 * about for exactly-once) without the wire details of either API.
 */
import { sleep } from '../http/retry';
import type { VeniceDossier, VeniceRelation } from '../venice/types';

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };

/** What Billit knows about an enterprise number (the portal's "is this already a Billit company"). */
export interface BillitCompanyState {
  partyId: number;
  linked: boolean;
  loginActivated: boolean;
  linkRequest: 'pending' | 'accepted' | 'refused' | null;
}

/** A Venice dossier as Billit's "register company" needs it. */
export interface NewCompany {
  name: string;
  enterpriseNumber: string;
  email: string;
  language: string | null;
  address: { street?: string | null; postalCode?: string | null; city?: string | null; country?: string | null } | null;
}

export interface BillitPartyView {
  partyId: number;
  partyType: 'Customer' | 'Supplier';
  nr: string | null;
  name: string;
  vatNumber: string | null;
  email: string | null;
  iban: string | null;
  language: string | null;
  street: string | null;
  streetNumber: string | null;
  zipcode: string | null;
  city: string | null;
  countryCode: string | null;
}

export type BillitPartyFields = Omit<BillitPartyView, 'partyId'>;

export interface OrderSummary {
  orderId: number;
  lastModified: string;
}

export interface OrderPage {
  items: OrderSummary[];
}

export interface OrderFileRef {
  fileId: string;
  fileName: string | null;
  mimeType: string | null;
}

export interface OrderDetail {
  orderId: number;
  companyId: number;
  direction: 'Income' | 'Cost';
  orderType: string;
  orderNumber: string;
  orderDate: string | null;
  expiryDate: string | null;
  currency: string | null;
  totalExcl: number | null;
  totalVat: number | null;
  totalIncl: number | null;
  paymentReference: string | null;
  lastModified: string;
  paid: boolean;
  pdf: OrderFileRef | null;
  attachments: OrderFileRef[];
}

export interface FileContent {
  fileName: string;
  mimeType: string;
  bytes: Uint8Array;
}

export interface FeedItemView {
  feedItemId: number;
  entityType: 'Order' | 'Document' | 'CODA' | string;
  entityId: number;
  /** The company the entity belongs to. */
  partyId: number;
}

export interface CodaDownload {
  fileName: string;
  bytes: Uint8Array;
  /** The SHA-256 Billit publishes for the file (lower-case hex), when it does. */
  sha256: string | null;
}

export interface BillitSource {
  companyByEnterpriseNumber(enterpriseNumber: string, signal?: AbortSignal): Promise<BillitCompanyState | null>;
  registerCompany(company: NewCompany, signal?: AbortSignal): Promise<{ partyId: number }>;
  requestLink(enterpriseNumber: string, signal?: AbortSignal): Promise<void>;
  sendLoginData(partyId: number, email: string | null, signal?: AbortSignal): Promise<void>;

  listParties(companyId: number, signal?: AbortSignal): Promise<BillitPartyView[]>;
  createParty(companyId: number, fields: BillitPartyFields, signal?: AbortSignal): Promise<number>;
  updateParty(companyId: number, partyId: number, fields: Partial<BillitPartyFields>, signal?: AbortSignal): Promise<void>;

  /** Orders of a company modified after (`lastModified`, `orderId`), oldest first, at most `top`. */
  ordersSince(companyId: number, after: { lastModified: string; orderId: number } | null, top: number, signal?: AbortSignal): Promise<OrderPage>;
  /** Orders deleted after a stamp, oldest first, at most `top`. */
  deletedOrdersSince(companyId: number, after: { lastModified: string; orderId: number } | null, top: number, signal?: AbortSignal): Promise<OrderPage>;
  order(companyId: number, orderId: number, signal?: AbortSignal): Promise<OrderDetail>;
  file(companyId: number, fileId: string, signal?: AbortSignal): Promise<FileContent>;

  /** Open items of the office's accountant feed (creates the feed on first use). */
  feedItems(signal?: AbortSignal): Promise<FeedItemView[]>;
  codaFile(item: FeedItemView, signal?: AbortSignal): Promise<CodaDownload>;
  confirmFeedItem(item: FeedItemView, delivered: string, signal?: AbortSignal): Promise<void>;
}

export interface VeniceSource {
  dossiers(signal?: AbortSignal): Promise<VeniceDossier[]>;
  relations(veniceId: string, signal?: AbortSignal): Promise<VeniceRelation[]>;
}
