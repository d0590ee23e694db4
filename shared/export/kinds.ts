/**
 * What an export folder receives, one descriptor per kind: sales and purchase invoices (UBL), bank
 * statements (CODA), the invoices' PDFs. Every other place (the cache's reading of the bytes, drag-out, the
 * file chips, the profile schema, the screens' labels) reads these records, so a new kind is one entry
 * here; the places that need something of their own for it are keyed by `ExportKind` or by `StoredFile`
 * and stop compiling until they have it.
 */

/** A kind's folder and file-name templates under the export root. */
export interface KindTemplate {
  /** Write this kind at all (PDFs are off by default). */
  enabled: boolean;
  /** Folder under the root, e.g. `{dossier} ({enterprise})/CODA`; empty = the root itself. */
  folder: string;
  /** File name without extension, e.g. `{number} {date}`. */
  file: string;
}

/**
 * The rows a kind's files come from and which of their stored files it delivers: invoices of one book (or
 * of both), or bank statements. A held-back or deleted invoice is never selected, whatever the kind.
 */
export type KindSelection =
  | { readonly rows: 'invoices'; readonly book: 'sales' | 'purchases' | 'both'; readonly file: 'ubl' | 'pdf' }
  | { readonly rows: 'statements'; readonly file: 'coda' };

/** The stored files a kind can deliver (the cache reads each its own way). */
export type StoredFile = KindSelection['file'];

export interface ExportKindDescriptor {
  /** What it selects and which stored bytes it writes. */
  readonly selects: KindSelection;
  /** The extension its files are written with, whatever the file-name template gives. */
  readonly extension: string;
  /** What a browser is told a downloaded file of this kind is. */
  readonly contentType: string;
  /** The templates a new profile starts with; a stored profile keeps its own. */
  readonly defaultTemplate: Readonly<KindTemplate>;
  /** The kind's name on screen (the renderer's translation key). */
  readonly labelKey: string;
}

/*
 * Default templates Venice users know: one folder per dossier (named so it sorts by name and shows the
 * enterprise number Venice checks on import), sales and purchases apart because they are imported from
 * different Venice modules, CODA in its own folder. UBL files are named by invoice number and date; CODA
 * files by statement number and date, plus the IBAN so two accounts' statement 001 of the same day do not
 * collide. PDFs are off by default (Venice imports the UBL, which usually embeds the PDF).
 *
 * The folder names stay English: every desktop of an office sharing an export root must give the same
 * names whatever language its user reads, and a stored profile keeps the names it was saved with.
 */
const descriptors = {
  sales: {
    selects: { rows: 'invoices', book: 'sales', file: 'ubl' },
    extension: 'xml',
    contentType: 'application/xml',
    defaultTemplate: { enabled: true, folder: '{dossier} ({enterprise})/Sales', file: '{number} {date}' },
    labelKey: 'exports.kinds.sales',
  },
  purchases: {
    selects: { rows: 'invoices', book: 'purchases', file: 'ubl' },
    extension: 'xml',
    contentType: 'application/xml',
    defaultTemplate: { enabled: true, folder: '{dossier} ({enterprise})/Purchases', file: '{number} {date}' },
    labelKey: 'exports.kinds.purchases',
  },
  coda: {
    selects: { rows: 'statements', file: 'coda' },
    extension: 'cod',
    contentType: 'application/octet-stream',
    defaultTemplate: { enabled: true, folder: '{dossier} ({enterprise})/CODA', file: '{statement} {date} {iban}' },
    labelKey: 'exports.kinds.coda',
  },
  pdf: {
    selects: { rows: 'invoices', book: 'both', file: 'pdf' },
    extension: 'pdf',
    contentType: 'application/pdf',
    defaultTemplate: { enabled: false, folder: '{dossier} ({enterprise})/PDF', file: '{number} {date}' },
    labelKey: 'exports.kinds.pdf',
  },
} as const satisfies Record<string, ExportKindDescriptor>;

export type ExportKind = keyof typeof descriptors;

/** Every kind's descriptor; a kind's label key is `exports.kinds.<kind>`. */
export const exportKind: { readonly [K in ExportKind]: ExportKindDescriptor & { readonly labelKey: `exports.kinds.${K}` } } = descriptors;

/** Every kind, in the order screens list them and a run exports them. */
export const exportKinds = Object.keys(descriptors) as [ExportKind, ...ExportKind[]];

export function isExportKind(value: unknown): value is ExportKind {
  return typeof value === 'string' && Object.hasOwn(descriptors, value);
}

/** The descriptor of a kind; a value that is no kind is an error, never an empty selection. */
export function kindOf(kind: ExportKind): ExportKindDescriptor {
  if (!isExportKind(kind)) throw new Error(`Unknown export kind ${JSON.stringify(kind)}`);
  return exportKind[kind];
}

/** Kinds made of bank statements (their documents have a statement number and an IBAN). */
export const statementKinds = exportKinds.filter((kind) => exportKind[kind].selects.rows === 'statements');

/** A file's name as a chip shows it: `F2024-0001.xml`. */
export function fileLabel(kind: ExportKind, name: string): string {
  return `${name}.${kindOf(kind).extension}`;
}

/** The content type of a file by its name's extension (a file from the history carries no kind). */
export function contentTypeOf(fileName: string): string {
  const extension = /\.([^./\\]+)$/.exec(fileName)?.[1]?.toLowerCase();
  return Object.values(exportKind).find((k) => k.extension === extension)?.contentType ?? 'application/octet-stream';
}

/** The template every new profile starts with for each kind (copies: a profile is edited in place). */
export function defaultKindTemplates(): Record<ExportKind, KindTemplate> {
  return Object.fromEntries(exportKinds.map((kind) => [kind, { ...exportKind[kind].defaultTemplate }])) as Record<ExportKind, KindTemplate>;
}
