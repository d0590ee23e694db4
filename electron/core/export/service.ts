/**
 * The export service: decides, for each document of a dossier, whether and where it is written, writes it
 * (see `writer.ts`), keeps the manifest beside the exports and the ledger in step, and tells the history
 * what happened and why.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import type {
  ExportFailureReason,
  ExportHistoryEntry,
  ExportPreview,
  ExportProfileView,
  ExportRunSummary,
  ExportStatus,
} from '../../../shared/api/exports';
import { AppError } from '../../../shared/api/errors';
import {
  defaultProfile,
  exampleValues,
  exportKinds,
  resolveTemplate,
  templateValues,
  validateProfile,
  type ExportKind,
  type ExportProfile,
  type SegmentNote,
  type TemplateValues,
} from '../../../shared/export';
import type { Logger } from '../log';
import { ExportError, exportError, stopsTheRun, toExportError } from './errors';
import { nodeExportFs, type ExportFs } from './fs-port';
import type { ExportLedger, LedgerManifestEntry, NewHistoryEntry } from './ledger';
import { appendManifest, readManifest, type ManifestRecord } from './manifest';
import type { ExportDocument, ExportDossier, ExportSource } from './source';
import { checkPathLength, ensureFolder, isInside, publish, realRootOf, sha256, sweepLeftovers } from './writer';

export interface ExportServiceOptions {
  ledger: ExportLedger;
  source: ExportSource;
  fs?: ExportFs;
  log?: Logger;
  now?: () => Date;
  platform?: NodeJS.Platform;
  /** Told after every run or retry (the core forwards it as the `exports.changed` event). */
  onChanged?: (summary: Omit<ExportRunSummary, 'entries'>) => void;
}

export interface RunRequest {
  dossierId: string;
  kinds?: readonly ExportKind[];
  documentIds?: readonly string[];
  includeAlreadyExported?: boolean;
}

export interface ExportService {
  profile(dossierId: string | null): ExportProfileView;
  setProfile(dossierId: string | null, profile: ExportProfile | null): Promise<ExportProfileView>;
  preview(input: { dossierId: string; kind: ExportKind; documentId?: string; profile?: ExportProfile }): Promise<ExportPreview>;
  run(request: RunRequest): Promise<ExportRunSummary>;
  retry(input: { dossierId: string; historyIds?: readonly number[] }): Promise<ExportRunSummary>;
  history(input: { dossierId: string; cursor?: number; limit: number }): {
    items: ExportHistoryEntry[];
    nextCursor: number | null;
    pendingRetries: number;
  };
  /** The checked absolute path of the file a history entry wrote (for "show in folder" / "open"). */
  locateWritten(historyId: number, purpose: 'show' | 'open'): Promise<string>;
  /** The path of an exported file holding exactly these bytes of this document, if it is still in place. */
  findExportedFile(document: ExportDocument, hash: string): Promise<string | null>;
  /** Real paths of every configured export root that exists. */
  roots(): Promise<string[]>;
  /** The file name the document gets under its profile (for drag-out). */
  fileNameOf(dossier: ExportDossier, document: ExportDocument): string | null;
}

interface Job {
  document: ExportDocument;
  /** Bytes kept from a failed attempt (retry); otherwise read from the source. */
  bytes?: Uint8Array;
}

const openableExtensions = new Set(['.xml', '.cod', '.pdf']);

function describeChanges(changes: SegmentNote[]): string | null {
  if (changes.length === 0) return null;
  return changes.map((c) => `"${c.raw}" → "${c.name}" (${c.notes.join(', ')})`).join('; ');
}

function definedOnly(values: TemplateValues): TemplateValues {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v != null && v !== '')) as TemplateValues;
}

export function createExportService(options: ExportServiceOptions): ExportService {
  const { ledger, source } = options;
  const fsPort = options.fs ?? nodeExportFs;
  const now = options.now ?? (() => new Date());
  const platform = options.platform ?? process.platform;
  const host = os.hostname();
  const rootLocks = new Map<string, Promise<unknown>>();

  /** One run at a time per key in this process (other processes are handled by the per-name claim). */
  function withRootLock<T>(root: string, work: () => Promise<T>): Promise<T> {
    const previous = rootLocks.get(root) ?? Promise.resolve();
    const next = previous.then(work, work);
    const settled = next.catch(() => undefined);
    rootLocks.set(root, settled);
    void settled.then(() => {
      if (rootLocks.get(root) === settled) rootLocks.delete(root);
    });
    return next;
  }

  function effective(dossierId: string | null): ExportProfileView {
    const office = ledger.getProfile(null);
    const own = dossierId === null ? null : ledger.getProfile(dossierId);
    if (own) return { profile: { ...own, root: own.root ?? office?.root ?? null }, source: 'dossier' };
    if (office) return { profile: office, source: 'office' };
    return { profile: defaultProfile(), source: 'builtin' };
  }

  async function dossierOrThrow(dossierId: string): Promise<ExportDossier> {
    const dossier = await source.dossier(dossierId);
    if (!dossier) throw new AppError('not-found', `Unknown dossier ${dossierId}`);
    return dossier;
  }

  /** Learn what other desktops (or earlier runs) appended to the manifest beside the exports. */
  async function syncManifest(realRoot: string): Promise<void> {
    const offset = ledger.manifestOffset(realRoot);
    try {
      const read = await readManifest(fsPort, realRoot, offset);
      ledger.recordFiles(read.records.map((r) => ({ ...r, root: realRoot, origin: 'shared' as const })));
      if (read.offset !== offset) ledger.setManifestOffset(realRoot, read.offset);
      if (read.unreadable > 0) options.log?.warn(`export manifest in ${realRoot}: ${read.unreadable} unreadable line(s) skipped`);
    } catch (error) {
      // Without the shared manifest the per-name claim still prevents overwrites and duplicates of the same bytes.
      options.log?.warn(`export manifest in ${realRoot} could not be read`, error);
    }
  }

  function summarise(runId: string, dossierId: string, entries: ExportHistoryEntry[]): ExportRunSummary {
    const count = (s: ExportStatus) => entries.filter((e) => e.status === s).length;
    return {
      runId,
      dossierId,
      written: count('written'),
      conflicts: count('conflict'),
      alreadyPresent: count('already-present'),
      alreadyExported: count('already-exported'),
      failed: count('failed'),
      entries,
    };
  }

  async function runJobs(
    dossier: ExportDossier,
    profile: ExportProfile,
    jobs: Job[],
    includeAlreadyExported: boolean,
  ): Promise<ExportRunSummary> {
    const runId = crypto.randomUUID();
    const entries: ExportHistoryEntry[] = [];
    const record = (
      fields: Omit<NewHistoryEntry, 'runId' | 'at' | 'dossierId'>,
      keep?: { document: ExportDocument; bytes: Uint8Array },
    ): ExportHistoryEntry => {
      const full: NewHistoryEntry = { runId, at: now().toISOString(), dossierId: dossier.id, ...fields };
      const id = ledger.addHistory(full);
      if (keep && fields.reason) ledger.keepForRetry({ historyId: id, document: keep.document, bytes: keep.bytes, reason: fields.reason });
      const entry: ExportHistoryEntry = { ...full, id, retryable: Boolean(keep) };
      entries.push(entry);
      return entry;
    };
    /** A failure of the run as a whole (no root, root unreachable, stopped early): one entry without a document. */
    const runLevelFailure = (reason: ExportFailureReason, message: string, root: string | null) =>
      record({ kind: null, documentId: null, label: null, status: 'failed', reason, message, root, relativePath: null, sha256: null, conflictWith: null });

    if (jobs.length === 0) return finish(runId, dossier.id, entries);
    if (!profile.root) {
      const error = exportError('root-not-set', 'choose an export folder first');
      runLevelFailure(error.reason, `${error.message} — ${jobs.length} document(s) not exported`, null);
      return finish(runId, dossier.id, entries);
    }
    let realRoot: string;
    try {
      realRoot = await realRootOf(fsPort, profile.root);
    } catch (error) {
      const failure = toExportError(error, profile.root);
      runLevelFailure(failure.reason, `${failure.message} — ${jobs.length} document(s) not exported`, profile.root);
      return finish(runId, dossier.id, entries);
    }

    const swept = new Set<string>();
    /** Export one document; returns its history entry. */
    const exportOne = async (job: Job): Promise<ExportHistoryEntry> => {
      const { document } = job;
      const base = {
        kind: document.kind,
        documentId: document.id,
        label: document.label ?? document.number ?? document.statementNumber ?? null,
        root: realRoot,
      };
      let bytes = job.bytes;
      let relativePath: string | null = null;
      let hash: string | null = null;
      const alreadyExported = (same: LedgerManifestEntry, sha: string) => {
        ledger.dropRetry(dossier.id, document.kind, document.id);
        return record({
          ...base,
          status: 'already-exported',
          reason: null,
          message: same.origin === 'shared' && same.host !== host ? `exported by ${same.host} on ${same.at}` : `exported on ${same.at}`,
          relativePath: same.path,
          sha256: sha,
          conflictWith: null,
        });
      };
      try {
        if (!bytes && document.sha256 && !includeAlreadyExported) {
          // The cache knows the hash: an exported document is recognised without reading its file.
          await syncManifest(realRoot);
          const known = ledger.filesOfDocument(realRoot, dossier.id, document.kind, document.id).find((f) => f.sha256 === document.sha256);
          if (known) return alreadyExported(known, known.sha256);
        }
        if (!bytes) {
          try {
            bytes = await source.read(document);
          } catch (error) {
            throw exportError('source-missing', error instanceof Error ? error.message : String(error));
          }
        }
        hash = sha256(bytes);
        const resolved = resolveTemplate(document.kind, profile.kinds[document.kind], templateValues(dossier, document));
        if (!resolved.ok) {
          const missing = resolved.problems.every((p) => p.code === 'missing-value');
          throw exportError(missing ? 'missing-value' : 'template', resolved.problems.map((p) => p.message).join('; '));
        }
        relativePath = resolved.path.relativePath;

        await syncManifest(realRoot);
        const known = ledger.filesOfDocument(realRoot, dossier.id, document.kind, document.id);
        const same = known.find((f) => f.sha256 === hash);
        if (same && !includeAlreadyExported) return alreadyExported(same, hash);

        // Before any folder is created: a path that cannot be written leaves nothing behind.
        checkPathLength(path.join(realRoot, ...resolved.path.folders, resolved.path.fileName), platform);
        const folder = await ensureFolder(fsPort, realRoot, resolved.path.folders);
        if (!swept.has(folder)) {
          swept.add(folder);
          await sweepLeftovers(fsPort, folder);
        }
        const result = await publish(fsPort, folder, resolved.path.fileName, bytes, hash, { platform });
        relativePath = path.relative(realRoot, path.join(folder, result.fileName)).split(path.sep).join('/');
        const manifestRecord: ManifestRecord = {
          path: relativePath,
          sha256: hash,
          size: bytes.length,
          dossierId: dossier.id,
          kind: document.kind,
          documentId: document.id,
          at: now().toISOString(),
          host,
        };
        const notes: string[] = [];
        if (!known.some((f) => f.path === relativePath && f.sha256 === hash)) {
          try {
            await appendManifest(fsPort, realRoot, manifestRecord);
          } catch (error) {
            // The file is complete under its name; only the other desktops' view of it is missing.
            notes.push(`written, but the manifest beside the exports could not be updated: ${toExportError(error).message}`);
          }
        }
        ledger.recordFiles([{ ...manifestRecord, root: realRoot, origin: 'local' }]);
        ledger.dropRetry(dossier.id, document.kind, document.id);
        const conflictWith = result.conflicts[0] ?? null;
        if (conflictWith) notes.unshift(`"${conflictWith}" holds a different file; this one is "${result.fileName}"`);
        const changes = describeChanges(resolved.path.changes);
        if (changes) notes.push(`name made safe: ${changes}`);
        return record({
          ...base,
          status: result.outcome === 'present' ? 'already-present' : conflictWith ? 'conflict' : 'written',
          reason: null,
          message: notes.length ? notes.join('; ') : null,
          relativePath,
          sha256: hash,
          conflictWith,
        });
      } catch (error) {
        const failure = toExportError(error);
        if (!(error instanceof ExportError) && failure.reason === 'io-error') options.log?.error('export write failed', error);
        return record(
          { ...base, status: 'failed', reason: failure.reason, message: failure.message, relativePath, sha256: hash, conflictWith: null },
          bytes ? { document: job.document, bytes } : undefined,
        );
      }
    };

    // One run at a time per dossier folder tree, not per root: runs of different dossiers write different
    // folders and may overlap (their fsyncs then run side by side), as two desktops sharing a root already do —
    // names are claimed with link (EEXIST when taken) and the shared manifest is appended with O_APPEND.
    return withRootLock(`${realRoot}\0${dossier.id}`, async () => {
      for (const [index, job] of jobs.entries()) {
        const entry = await exportOne(job);
        try {
          await source.recordOutcome?.(job.document, { status: entry.status, reason: entry.reason });
        } catch (error) {
          options.log?.warn('the cache could not record an export outcome', error);
        }
        if (entry.reason && stopsTheRun(entry.reason) && index < jobs.length - 1) {
          const left = jobs.length - index - 1;
          runLevelFailure(entry.reason, `Stopped: ${left} further document(s) not attempted; the next export or retry writes them`, realRoot);
          break;
        }
      }
      return finish(runId, dossier.id, entries);
    });
  }

  function finish(runId: string, dossierId: string, entries: ExportHistoryEntry[]): ExportRunSummary {
    const summary = summarise(runId, dossierId, entries);
    const { entries: _omit, ...counts } = summary;
    options.onChanged?.(counts);
    return summary;
  }

  async function roots(): Promise<string[]> {
    const candidates = new Set(ledger.profileRoots());
    const real: string[] = [];
    for (const root of candidates) {
      try {
        real.push(await realRootOf(fsPort, root));
      } catch {
        // A root that is not reachable now holds nothing to drag or reveal.
      }
    }
    return real;
  }

  async function fileAt(root: string, relativePath: string): Promise<string> {
    const realRoot = await realRootOf(fsPort, root);
    const full = path.join(realRoot, ...relativePath.split('/'));
    const real = await fsPort.realpath(full).catch(() => {
      throw new AppError('not-found', `${relativePath} is no longer in ${root} (moved by an import?)`);
    });
    if (!isInside(realRoot, real)) throw new AppError('file-system', `${relativePath} leads outside the export root`);
    const stat = await fsPort.lstat(real);
    if (!stat.isFile()) throw new AppError('not-found', `${relativePath} is not a file`);
    return real;
  }

  return {
    profile: effective,

    async setProfile(dossierId, profile) {
      if (profile) {
        const problems = validateProfile(profile);
        if (problems.length > 0) throw new AppError('invalid-input', 'The export templates have problems', problems);
        if (profile.root !== null) {
          try {
            await realRootOf(fsPort, profile.root);
          } catch (error) {
            const failure = toExportError(error);
            throw new AppError('invalid-input', failure.message, { reason: failure.reason });
          }
        }
      }
      ledger.setProfile(dossierId, profile);
      return effective(dossierId);
    },

    async preview({ dossierId, kind, documentId, profile: draft }) {
      const dossier = await dossierOrThrow(dossierId);
      const profile = draft ?? effective(dossierId).profile;
      const [document] = await source.documents(dossierId, kind, documentId ? [documentId] : undefined);
      if (documentId && !document) throw new AppError('not-found', `Unknown document ${documentId}`);
      const values = document
        ? templateValues(dossier, document)
        : { ...exampleValues(kind), ...definedOnly(templateValues(dossier, { kind })) };
      const resolved = resolveTemplate(kind, profile.kinds[kind], values);
      const root = profile.root;
      return {
        ok: resolved.ok && root !== null,
        root,
        relativePath: resolved.ok ? resolved.path.relativePath : null,
        absolutePath: resolved.ok && root ? path.join(root, ...resolved.path.folders, resolved.path.fileName) : null,
        problems: resolved.ok ? [] : resolved.problems,
        changes: resolved.ok ? resolved.path.changes : [],
        document: document
          ? { id: document.id, label: document.label ?? document.number ?? null, date: document.date ?? null }
          : null,
      };
    },

    async run({ dossierId, kinds, documentIds, includeAlreadyExported = false }) {
      const dossier = await dossierOrThrow(dossierId);
      const { profile } = effective(dossierId);
      const wanted = kinds ?? exportKinds.filter((k) => profile.kinds[k].enabled);
      const jobs: Job[] = [];
      for (const kind of wanted) {
        for (const document of await source.documents(dossierId, kind, documentIds)) jobs.push({ document });
      }
      return runJobs(dossier, profile, jobs, includeAlreadyExported);
    },

    async retry({ dossierId, historyIds }) {
      const dossier = await dossierOrThrow(dossierId);
      const { profile } = effective(dossierId);
      const jobs = ledger.retryItems(dossierId, historyIds).map((item) => ({ document: item.document, bytes: item.bytes }));
      return runJobs(dossier, profile, jobs, false);
    },

    history({ dossierId, cursor, limit }) {
      const items = ledger.history(dossierId, { before: cursor, limit });
      return {
        items,
        nextCursor: items.length === limit ? items[items.length - 1]!.id : null,
        pendingRetries: ledger.pendingRetries(dossierId),
      };
    },

    async locateWritten(historyId, purpose) {
      const entry = ledger.historyEntry(historyId);
      if (!entry || entry.status === 'failed' || !entry.root || !entry.relativePath) {
        throw new AppError('not-found', 'That history entry has no written file');
      }
      const file = await fileAt(entry.root, entry.relativePath).catch((error: unknown) => {
        if (error instanceof AppError) throw error;
        throw new AppError('file-system', toExportError(error).message);
      });
      if (purpose === 'open') {
        if (!openableExtensions.has(path.extname(file).toLowerCase())) throw new AppError('invalid-input', 'Not an exported document');
        const bytes = await fsPort.readFile(file);
        if (sha256(bytes) !== entry.sha256) throw new AppError('conflict', `${entry.relativePath} changed since it was exported`);
      }
      return file;
    },

    async findExportedFile(document, hash) {
      for (const root of await roots()) {
        for (const known of ledger.filesOfDocument(root, document.dossierId, document.kind, document.id)) {
          if (known.sha256 !== hash) continue;
          try {
            const file = await fileAt(root, known.path);
            if (sha256(await fsPort.readFile(file)) === hash) return file;
          } catch {
            // Moved away (Venice imported it): materialise a copy instead.
          }
        }
      }
      return null;
    },

    roots,

    fileNameOf(dossier, document) {
      const { profile } = effective(dossier.id);
      const resolved = resolveTemplate(document.kind, profile.kinds[document.kind], templateValues(dossier, document));
      return resolved.ok ? resolved.path.fileName : null;
    },
  };
}
