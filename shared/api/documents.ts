import { z } from 'zod';
import { call } from './contract';
import { cursor, dossierId, isoDate, limit, type Page } from './dossiers';

export type Direction = 'sales' | 'purchases';

export interface FindingView {
  severity: 'error' | 'warning';
  code: string;
  message: string;
  line?: number;
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
  lines: Array<{ description: string; quantity: string; unitPrice: string; vatRate: string; lineTotal: number }>;
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
}

export interface StatementDetail extends StatementRow {
  findings: FindingView[];
  movementsList: MovementRow[];
}

export interface SearchHit {
  kind: 'dossier' | 'document' | 'statement' | 'movement';
  id: string;
  dossierId: string;
  title: string;
  detail: string;
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
  'search.all': call(z.object({ text: z.string().min(1).max(200), limit: z.number().int().min(1).max(200).default(50) }).strict()).returns<{
    hits: SearchHit[];
  }>(),
};
