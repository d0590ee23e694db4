import type { DocumentDetail } from '../../../shared/api';
import { parseUbl } from '../../../shared/ubl';
import { toMinorUnits } from '../../../shared/ubl/decimal';

export type DocumentLines = DocumentDetail['lines'];

function cents(value: string): number {
  try {
    return Number(toMinorUnits(value, 2));
  } catch {
    return 0;
  }
}

/** The invoice lines the document view shows, read from the stored UBL (empty when it does not read). */
export function documentLines(bytes: Uint8Array): DocumentLines {
  const parsed = parseUbl(bytes);
  if (!parsed.ok) return [];
  return parsed.value.lines.map((l) => ({
    description: l.description ? `${l.name} — ${l.description}` : l.name,
    quantity: l.quantity,
    unitPrice: l.price,
    vatRate: l.vatRate ?? '',
    lineTotal: cents(l.lineExtensionAmount),
  }));
}
