/**
 * What the sync needs from Billit, in its own words. The Billit client is bound to these in
 * `office/sources.ts`; keeping the sync on this narrow surface lets it be read (and reasoned about for
 * exactly-once) without the wire details of the API.
 */
import type { DocumentInput, StatementInput } from '../cache/types';

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

/** What the sync asks Billit itself, on the main thread: which orders changed, and the accountant feed. */
export interface BillitOrders {
  /** Orders of a company modified after (`lastModified`, `orderId`), oldest first, at most `top`. */
  ordersSince(companyId: number, after: { lastModified: string; orderId: number } | null, top: number, signal?: AbortSignal): Promise<OrderPage>;
  /** Orders deleted after a stamp, oldest first, at most `top`. */
  deletedOrdersSince(companyId: number, after: { lastModified: string; orderId: number } | null, top: number, signal?: AbortSignal): Promise<OrderPage>;

  /** Open items of the office's accountant feed (creates the feed on first use). */
  feedItems(signal?: AbortSignal): Promise<FeedItemView[]>;
}

export interface OrderDownloads {
  order(companyId: number, orderId: number, signal?: AbortSignal): Promise<OrderDetail>;
  file(companyId: number, fileId: string, signal?: AbortSignal): Promise<FileContent>;
}

/** One order to read as a cache document. */
export interface ReadJob {
  dossier: { id: number; enterpriseNumber: string | null };
  companyId: number;
  orderId: number;
  /** The accountant-feed item that announced it, when it came from the feed. */
  feedItemId?: number;
}

export interface ConfirmOutcome {
  confirmed: number[];
  failed: Array<{ feedItemId: number; error: Error }>;
}

/** A CODA file read as statements (`convert.ts`), not yet routed to its dossiers. */
export interface ConvertedCoda {
  /** Statements per account holder's enterprise number (null when the file does not say). */
  statements: Array<{ enterpriseNumber: string | null; input: Omit<StatementInput, 'dossierId'> }>;
  /** Set when the file cannot be read at all. */
  failure: { code: string; message: string } | null;
}

/** A CODA feed item, downloaded (its SHA-256 checked) and parsed; not yet routed to its dossiers. */
export interface ReadCoda {
  /** SHA-256 of the file's bytes. */
  sha256: string;
  converted: ConvertedCoda;
}

/**
 * The Billit calls a sync makes by the thousand (an order and its UBL per document, a CODA file per
 * statement, a confirmation per feed item) and the reading of what they bring. Most of a sync's work; it
 * runs on worker threads (`workers.ts`), so the main thread stays free for the cache, the export folders
 * and the UI's calls.
 */
export interface SyncWorkers {
  /** An order as a cache document: detail, UBL (and PDF) downloaded, parsed and checked. */
  readDocument(job: ReadJob, signal?: AbortSignal): Promise<DocumentInput>;
  readCoda(item: FeedItemView, signal?: AbortSignal): Promise<ReadCoda>;
  /**
   * Tells Billit these feed items are delivered (they leave the feed), several at once: one message to the
   * worker per page instead of one per item. Each item's own outcome: the ids confirmed, and the others
   * with the error that stopped them.
   */
  confirm(items: FeedItemView[], delivered: string, signal?: AbortSignal): Promise<ConfirmOutcome>;
  close(): Promise<void>;
}
