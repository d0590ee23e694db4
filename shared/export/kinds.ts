/** What an export folder receives: sales and purchase invoices (UBL), bank statements (CODA), PDFs. */
export const exportKinds = ['sales', 'purchases', 'coda', 'pdf'] as const;
export type ExportKind = (typeof exportKinds)[number];

/** The extension a file of each kind is written with (kept whatever the file-name template gives). */
export const kindExtension: Record<ExportKind, string> = {
  sales: 'xml',
  purchases: 'xml',
  coda: 'cod',
  pdf: 'pdf',
};

export function isExportKind(value: unknown): value is ExportKind {
  return typeof value === 'string' && (exportKinds as readonly string[]).includes(value);
}
