import type { ExportFailureReason, ExportStatus } from '../../../shared/api/exports';
import type { DocumentVariables, DossierVariables, ExportKind } from '../../../shared/export';

/** A dossier as the export needs it (the values its templates may use). */
export interface ExportDossier extends DossierVariables {
  id: string;
}

/** A document (UBL invoice, CODA statement, PDF) as the export needs it. */
export interface ExportDocument extends DocumentVariables {
  id: string;
  dossierId: string;
  kind: ExportKind;
  /** Invoice number or statement label, for the history. */
  label?: string | null;
  /** SHA-256 of the bytes, when the cache knows it: an already exported document is then skipped unread. */
  sha256?: string | null;
}

/**
 * Where documents come from: the cache, once it exists (`electron/core/cache/`). The export code depends
 * only on this port; the cache implements it over its tables and stored files.
 */
export interface ExportSource {
  dossier(dossierId: string): Promise<ExportDossier | null>;
  /**
   * The dossier's documents of one kind, newest first; `ids` narrows the list to those documents. The cache
   * may leave out documents it knows are exported (status 'exported'); the manifest check stays the guard.
   */
  documents(dossierId: string, kind: ExportKind, ids?: readonly string[]): Promise<ExportDocument[]>;
  /** The file's bytes exactly as they are to be delivered. */
  read(document: ExportDocument): Promise<Uint8Array>;
  /** Told what became of each document, so the cache can keep its own status ('exported', 'export-failed'). */
  recordOutcome?(document: ExportDocument, outcome: { status: ExportStatus; reason: ExportFailureReason | null }): void | Promise<void>;
}
