import type { DocumentDetail } from '../../../shared/api';
import { parseUbl } from '../../../shared/ubl';
import { invoiceLines, invoiceView } from './invoice-view';

/** What the document view reads from a stored UBL file: its lines and the invoice around them. */
export type InvoiceReading = Pick<DocumentDetail, 'lines' | 'invoice'>;

/** The stored UBL read for the document view (no lines and no invoice when it does not read). */
export function readInvoice(bytes: Uint8Array): InvoiceReading {
  const parsed = parseUbl(bytes);
  if (!parsed.ok) return { lines: [], invoice: null };
  return { lines: invoiceLines(parsed.value), invoice: invoiceView(parsed.value) };
}
