import { z } from 'zod';
import { exportKinds, validateKindTemplate, type ExportKind, type ExportProfile, type SegmentNote, type TemplateProblem } from '../export';
import { call } from './contract';

/** Why a file was not written (history and errors carry one of these; the UI translates them). */
export const exportFailureReasons = [
  'disk-full',
  'permission-denied',
  'read-only',
  'path-too-long',
  'outside-root',
  'root-missing',
  'root-not-set',
  'not-a-folder',
  'missing-value',
  'template',
  'too-many-conflicts',
  'busy',
  'source-missing',
  'io-error',
] as const;
export type ExportFailureReason = (typeof exportFailureReasons)[number];

/**
 * What happened to one document in one export run:
 * - `written`: a new file under its template name;
 * - `conflict`: a different file already had that name, so this one was written as `name (2).ext`;
 * - `already-present`: the same bytes were already at that name (another desktop, or a crash after the write);
 * - `already-exported`: the manifest says these bytes were exported before; nothing was touched;
 * - `moved`: delivered before under an older layout, that file was moved to this path (`message` says from
 *   where), so the import folder holds it once;
 * - `failed`: not written (see `reason`); the file is kept for retry.
 */
export type ExportStatus = 'written' | 'conflict' | 'already-present' | 'already-exported' | 'moved' | 'failed';

/**
 * `details` of the `export-layout-changed` refusal: "export again, including already exported" would
 * write a second copy of files already delivered under an older layout. Asked again with `relayout`.
 */
export interface ExportLayoutChange {
  /** Files already delivered at a path the current templates no longer give. */
  files: number;
  /** A few of them, old path → new path (under the export root, with `/`). */
  examples: Array<{ from: string; to: string }>;
}

export interface ExportHistoryEntry {
  id: number;
  runId: string;
  at: string;
  dossierId: string;
  kind: ExportKind | null;
  documentId: string | null;
  /** Document number or statement label, for people. */
  label: string | null;
  status: ExportStatus;
  reason: ExportFailureReason | null;
  message: string | null;
  /** Export root and the path under it (with `/`), when a path was decided. */
  root: string | null;
  relativePath: string | null;
  sha256: string | null;
  /** For `conflict`: the name held by a different file. */
  conflictWith: string | null;
  /** For `failed`: a retry would try this document again. */
  retryable: boolean;
}

export interface ExportRunSummary {
  runId: string;
  dossierId: string;
  written: number;
  conflicts: number;
  alreadyPresent: number;
  alreadyExported: number;
  failed: number;
  entries: ExportHistoryEntry[];
}

export type ProfileSource = 'dossier' | 'office' | 'builtin';

export interface ExportProfileView {
  profile: ExportProfile;
  /** Where the effective profile comes from: the dossier's own, the office default, or the built-in default. */
  source: ProfileSource;
}

export interface ExportPreview {
  ok: boolean;
  root: string | null;
  relativePath: string | null;
  absolutePath: string | null;
  problems: TemplateProblem[];
  /** Names that had to be made safe, and how. */
  changes: SegmentNote[];
  /** The real document the preview used, or null when example values were used. */
  document: { id: string; label: string | null; date: string | null } | null;
}

export interface DragPrepared {
  dragId: string;
  files: { name: string; size: number }[];
  /** Browser mode: the same gesture downloads these instead of starting an OS drag. */
  downloads: { name: string; url: string }[] | null;
}

const kindSchema = z.enum(exportKinds);
const id = z.string().min(1).max(200);

const kindTemplateSchema = z.object({
  enabled: z.boolean(),
  folder: z.string().max(500),
  file: z.string().max(300),
});

export const exportProfileSchema = z
  .object({
    root: z.string().min(1).max(1024).nullable(),
    // Every kind, each with its templates: a profile saved without one would leave that kind nowhere to go.
    kinds: z.object(Object.fromEntries(exportKinds.map((kind) => [kind, kindTemplateSchema])) as Record<ExportKind, typeof kindTemplateSchema>),
  })
  .superRefine((profile, ctx) => {
    for (const kind of exportKinds) {
      for (const problem of validateKindTemplate(kind, profile.kinds[kind])) {
        ctx.addIssue({ code: 'custom', path: ['kinds', kind, problem.where], message: problem.message });
      }
    }
  });

const documentRef = z.object({ dossierId: id, kind: kindSchema, documentId: id });
/** A document's file of one kind (the same document may have a UBL and a PDF): what drag-out is given. */
export type ExportDocumentRef = z.infer<typeof documentRef>;

export const exportsCalls = {
  /** The effective profile of a dossier, or the office default when `dossierId` is null. */
  'exports.profile.get': call(z.object({ dossierId: id.nullable().default(null) })).returns<ExportProfileView>(),
  /** Save a dossier's own profile (or the office default); `profile: null` drops a dossier's own profile. */
  'exports.profile.set': call(
    z.object({ dossierId: id.nullable().default(null), profile: exportProfileSchema.nullable() }),
  ).returns<ExportProfileView>(),
  /** Where a real document of the dossier would be written, with a draft profile while it is being edited. */
  'exports.preview': call(
    z.object({ dossierId: id, kind: kindSchema, documentId: id.optional(), profile: exportProfileSchema.optional() }),
  ).returns<ExportPreview>(),
  /** Export a dossier now (all enabled kinds, or some kinds / documents). */
  'exports.run': call(
    z.object({
      dossierId: id,
      kinds: z.array(kindSchema).max(exportKinds.length).optional(),
      documentIds: z.array(id).max(10_000).optional(),
      /** Write again what the manifest says was exported (e.g. after Venice moved the files away). */
      includeAlreadyExported: z.boolean().default(false),
      /**
       * With `includeAlreadyExported`, for files already delivered under an older layout: `move` them to the
       * new paths (renamed, manifest updated), or write a `copy` there. Without it such a run is refused
       * (`export-layout-changed`, details `ExportLayoutChange`) so the user is asked first.
       */
      relayout: z.enum(['move', 'copy']).optional(),
    }),
  ).returns<ExportRunSummary>(),
  /** Newest first, paged by `cursor` (the last id seen). */
  'exports.history': call(
    z.object({ dossierId: id, cursor: z.number().int().positive().optional(), limit: z.number().int().min(1).max(500).default(200) }),
  ).returns<{ items: ExportHistoryEntry[]; nextCursor: number | null; pendingRetries: number }>(),
  /** Try again the files kept after failures (all of the dossier's, or those history entries). */
  'exports.retry': call(z.object({ dossierId: id, historyIds: z.array(z.number().int().positive()).max(10_000).optional() })).returns<ExportRunSummary>(),
  /** "Show in folder" / "open with the default app" for a written file (by its history entry). */
  'exports.reveal': call(z.object({ historyId: z.number().int().positive(), action: z.enum(['show', 'open']) })).returns<{
    done: boolean;
    /** Browser mode cannot reveal a file: it offers a download instead. */
    downloadUrl: string | null;
  }>(),
  /** Materialise files for a drag to the desktop; the host then starts the drag with `dragId`. */
  'exports.drag.prepare': call(z.object({ items: z.array(documentRef).min(1).max(100) })).returns<DragPrepared>(),
};

export interface ExportsEvents {
  /** An export run or retry of a dossier finished (history changed). */
  'exports.changed': Omit<ExportRunSummary, 'entries'>;
}
