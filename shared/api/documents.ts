import { z } from 'zod';
import { call } from './contract';
import { cursor, dossierId, isoDate, limit, type Page } from './dossiers';

export type Direction = 'sales' | 'purchases';

export interface FindingView {
  severity: 'error' | 'warning';
  /** Rule id: BR-CO-15, PEPPOL-EN16931-R001, UBL-CR-481, XSD, VENICE-DUPLICATE-ID, or a pre-check code. */
  code: string;
  /** English, the fallback when the UI has no translation for the code (`renderer/i18n/rules.ts`). */
  message: string;
  line?: number;
  /** Readable XPath of the element the rule is about. */
  location?: string;
  /** Who found it: the fast pre-check, the EN 16931 (CEN) or Peppol rules, the UBL schema, Venice's import rules. */
  source?: 'precheck' | 'cen' | 'peppol' | 'schema' | 'venice';
}

/** A seller or buyer as the invoice names it. */
export interface PartyBlock {
  name: string;
  /** Address lines as they are printed: street, postal code and city, country. */
  address: string[];
  vatNumber: string | null;
  enterpriseNumber: string | null;
  email: string | null;
}

/** Integer cents, in the document's currency. */
export interface InvoiceTotals {
  lines: number;
  allowances: number;
  charges: number;
  excl: number;
  vat: number;
  incl: number;
  prepaid: number;
  rounding: number;
  payable: number;
}

/** A bank movement that pays (or refunds) a document. */
export interface PaymentView {
  statementId: string;
  /** "BE68 5390 0754 7034 · 12/003" for people. */
  statement: string;
  sequence: string;
  date: string;
  /** Integer cents. */
  amount: number;
  counterparty: string | null;
}

/** The official checks of a document (schema, EN 16931 and Peppol rules), run in the background. */
export interface DocumentChecks {
  /** 'checking' until the background queue has checked this file under the rules in force. */
  state: 'checking' | 'done' | 'failed';
  /** The rules release the results are from, e.g. "Peppol BIS 3.0.19 (May 2025) + EN 16931 1.3.14.1". */
  release: string | null;
  checkedAt: string | null;
}

export interface DocumentRow {
  id: string;
  dossierId: string;
  direction: Direction;
  kind: 'invoice' | 'credit-note';
  number: string;
  issueDate: string;
  dueDate: string | null;
  /** The other party: the customer of a sale, the supplier of a purchase. */
  counterparty: string;
  currency: string;
  /** Exact integer cents. */
  totalExcl: number;
  totalIncl: number;
  status: string;
  errors: number;
  warnings: number;
  exported: boolean;
  hasPdf: boolean;
  paid: boolean;
}

/** A document of the "To review" list: any dossier's, so it says whose. */
export interface ReviewRow extends DocumentRow {
  dossierName: string;
  /** Why it is listed: held back from the export folders, its export failed, or it has errors. */
  reason: 'held' | 'export-failed' | 'errors';
}

export interface DocumentDetail extends DocumentRow {
  counterpartyVat: string | null;
  paymentReference: string | null;
  /** Pre-check, official rules and Venice's import rules together. */
  findings: FindingView[];
  checks: DocumentChecks;
  /**
   * Venice's import rules would refuse this document (another document with its cbc:ID was delivered, or it is
   * not the dossier's): it stays out of the export folders until the accountant decides (`documents.hold`).
   */
  held: boolean;
  exports: Array<{ path: string; at: string; status: string; reason?: string }>;
  /** Quantities, prices and rates are exact decimal strings as the file wrote them; `lineTotal` is cents. */
  lines: Array<{ description: string; quantity: string; unitCode: string | null; unitPrice: string; vatRate: string; lineTotal: number }>;
  /** The rest is read from the UBL file; null when it could not be read. */
  invoice: {
    seller: PartyBlock;
    buyer: PartyBlock;
    vatBreakdown: Array<{ category: string; rate: string | null; taxable: number; tax: number; exemptionReason: string | null }>;
    totals: InvoiceTotals;
    /** Where to pay: the seller's account. */
    paymentAccount: { iban: string; bic: string | null; name: string | null } | null;
    /** The payment reference is a Belgian structured communication (+++123/4567/89012+++). */
    structured: boolean;
    notes: string[];
    references: { order: string | null; contract: string | null; invoices: string[] };
  } | null;
  payments: PaymentView[];
}

export interface StatementRow {
  id: string;
  dossierId: string;
  account: string;
  sequence: string;
  date: string;
  currency: string;
  /** Exact integer thousandths, as CODA writes them. */
  oldBalance: number;
  newBalance: number;
  movements: number;
  errors: number;
  exported: boolean;
}

export interface MovementRow {
  sequence: string;
  date: string;
  amount: number;
  counterparty: string | null;
  counterpartyAccount: string | null;
  communication: string | null;
  structured: boolean;
  /** The invoice this movement's structured communication pays, when known. */
  paysDocumentId: string | null;
  paysDocumentNumber: string | null;
}

export interface StatementDetail extends StatementRow {
  findings: FindingView[];
  movementsList: MovementRow[];
}

export interface SearchHit {
  kind: 'dossier' | 'document' | 'statement' | 'movement';
  /** What Enter opens: the dossier, the document, or the statement (a movement opens its statement). */
  id: string;
  dossierId: string;
  dossierName: string;
  title: string;
  /** A number, an enterprise number or a communication, as stored. */
  detail: string | null;
  date: string | null;
  /** Integer cents. */
  amount: number | null;
  currency: string | null;
  /** Documents: sales or purchases (which tab opens). */
  direction?: Direction;
}

export interface DocumentEvents {
  /** The background checks finished these documents (their `documents.get` has new findings). */
  'documents.checked': { ids: string[] };
}

export interface ChecksStatus {
  /** The rules release in force; null when the app has none (its rules folder is missing). */
  release: string | null;
  /** Documents waiting for the checks of this release. */
  pending: number;
  /** False while a sync runs: the checks wait for it (documents the user opens are checked at once). */
  running: boolean;
}

export const documentCalls = {
  'documents.list': call(
    z
      .object({
        dossierId,
        direction: z.enum(['sales', 'purchases']).optional(),
        from: isoDate.optional(),
        to: isoDate.optional(),
        status: z.enum(['ok', 'errors', 'not-exported']).optional(),
        text: z.string().max(200).optional(),
        after: cursor,
        limit,
      })
      .strict(),
  ).returns<Page<DocumentRow>>(),
  /** Every dossier's documents to look at before Venice does (held back, export failed, errors), newest first. */
  'documents.review': call(z.object({ after: cursor, limit }).strict()).returns<Page<ReviewRow>>(),
  'documents.get': call(z.object({ id: z.string().min(1).max(128) }).strict()).returns<DocumentDetail>(),
  /**
   * Hold documents back from the export folders (`hold: true`), or deliver them after all (`hold: false`: they
   * are exported at once). Exported or deleted documents are left as they are.
   */
  'documents.hold': call(z.object({ ids: z.array(z.string().regex(/^\d{1,15}$/)).min(1).max(1000), hold: z.boolean() }).strict()).returns<{
    /** The documents whose state changed. */
    changed: string[];
    /** Of those released, the ones now in their export folders. */
    exported: string[];
  }>(),
  'checks.status': call(z.object({}).strict().optional()).returns<ChecksStatus>(),
  'statements.list': call(
    z
      .object({ dossierId, account: z.string().max(64).optional(), from: isoDate.optional(), to: isoDate.optional(), after: cursor, limit })
      .strict(),
  ).returns<Page<StatementRow>>(),
  'statements.get': call(z.object({ id: z.string().min(1).max(128) }).strict()).returns<StatementDetail>(),
  /** The PDF kept with a document (shown beside the invoice); base64 because both hosts carry JSON. */
  'documents.pdf': call(z.object({ id: z.string().min(1).max(128) }).strict()).returns<{ name: string; base64: string } | null>(),
  'search.all': call(z.object({ text: z.string().min(1).max(200), limit: z.number().int().min(1).max(200).default(50) }).strict()).returns<{
    hits: SearchHit[];
  }>(),
};
