import { z } from 'zod';
import { call } from './contract';
import { cursor, dossierId, isoDate, limit, type Page } from './dossiers';

export type Direction = 'sales' | 'purchases';

export interface FindingView {
  severity: 'error' | 'warning';
  /** A rule id (BR-CO-15, PEPPOL-EN16931-R001, UBL-CR-481, XSD…) or a pre-check code; the UI translates it. */
  code: string;
  /** English, the fallback. */
  message: string;
  line?: number;
  /** XPath of the element the finding is about. */
  location?: string;
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

export interface DocumentDetail extends DocumentRow {
  counterpartyVat: string | null;
  paymentReference: string | null;
  findings: FindingView[];
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
  checks?: { state: 'checking' | 'done' | 'failed'; release: string | null; checkedAt: string | null };
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
  'documents.get': call(z.object({ id: z.string().min(1).max(128) }).strict()).returns<DocumentDetail>(),
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
