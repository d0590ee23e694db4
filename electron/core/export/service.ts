/**
 * The export service: decides, for each document of a dossier, whether and where it is written, writes it
 * (see `writer.ts`), keeps the manifest beside the exports and the ledger in step, and tells the history
 * what happened and why.
 */
import os from 'node:os';
import path from 'node:path';
import type { ExportLayoutChange, ExportPreview, ExportProfileView, ExportRunSummary, ExportStatus, ExportHistoryEntry } from '../../../shared/api/exports';
import { AppError } from '../../../shared/api/errors';
import {
  defaultProfile,
  exampleValues,
  exportKind,
  exportKinds,
  resolveTemplate,
  templateValues,
  validateProfile,
  type ExportKind,
  type ExportProfile,
  type TemplateValues,
} from '../../../shared/export';
import type { Logger } from '../log';
import { toExportError } from './errors';
import { lstatOrNull, nodeExportFs, type ExportFs } from './fs-port';
import type { ExportLedger } from './ledger';
import { readManifest } from './manifest';
import { BATCH_SIZE, exportBatch, filesOfBatch, openRoot, startRun, type Job, type RunDeps } from './run';
import type { ExportDocument, ExportDossier, ExportSource } from './source';
import { isInside, pathLimitBelow, realRootOf, underRoot } from './writer';
import { sha256 } from '../lib/hash';

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
  /** Files already delivered under an older layout: moved to their new paths, or copied there. */
  relayout?: 'move' | 'copy';
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

/** What `open` hands to the default app: files of an export kind, nothing else that may sit in the folder. */
const openableExtensions = new Set(exportKinds.map((kind) => `.${exportKind[kind].extension}`));

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

  const runDeps: RunDeps = { ledger, source, fs: fsPort, log: options.log, now, platform, host, syncManifest };

  /** Plan → write → record, a batch at a time (see `run.ts`), under the lock of the dossier's folder tree. */
  async function runJobs(dossier: ExportDossier, profile: ExportProfile, jobs: Job[], includeAlreadyExported: boolean, move = false): Promise<ExportRunSummary> {
    const run = startRun(runDeps, dossier, profile, { includeAlreadyExported, move });
    const rooted = jobs.length === 0 ? null : await openRoot(run, jobs.length);
    if (!rooted) return finish(run.id, dossier.id, run.entries);
    // One run at a time per dossier folder tree, not per root: runs of different dossiers write different
    // folders and may overlap (their fsyncs then run side by side), as two desktops sharing a root already do —
    // names are claimed with link (EEXIST when taken) and the shared manifest is appended with O_APPEND.
    return withRootLock(`${rooted.realRoot}\0${dossier.id}`, async () => {
      for (let at = 0; at < jobs.length; at += BATCH_SIZE) {
        const batch = jobs.slice(at, at + BATCH_SIZE);
        if (!(await exportBatch(rooted, batch, jobs.length - at - batch.length))) break;
      }
      return finish(run.id, dossier.id, run.entries);
    });
  }

  /** Documents whose bytes were delivered at a path other than the one their template gives now, still there. */
  async function layoutChange(dossier: ExportDossier, profile: ExportProfile, jobs: readonly Job[]): Promise<ExportLayoutChange> {
    const change: ExportLayoutChange = { files: 0, examples: [] };
    if (!profile.root) return change;
    const realRoot = await realRootOf(fsPort, profile.root).catch(() => null);
    if (!realRoot) return change;
    await syncManifest(realRoot);
    for (let at = 0; at < jobs.length; at += BATCH_SIZE) {
      const batch = jobs.slice(at, at + BATCH_SIZE);
      const filesOf = filesOfBatch(ledger, realRoot, dossier.id, batch);
      for (const { document } of batch) {
        const files = filesOf(document);
        if (!files.length) continue;
        // The same path an export would write now, the Windows limit included.
        const resolved = resolveTemplate(document.kind, profile.kinds[document.kind], templateValues(dossier, document), pathLimitBelow(realRoot, platform));
        if (!resolved.ok) continue;
        const to = resolved.path.relativePath;
        const hash = document.sha256 ?? (await source.read(document).then(sha256, () => null));
        const elsewhere = files.filter((f) => f.sha256 === hash && f.path !== to);
        let from: string | null = null;
        for (const f of elsewhere) {
          const stat = await lstatOrNull(fsPort, underRoot(realRoot, f.path)).catch(() => null);
          if (stat?.isFile() && stat.size === f.size) {
            from = f.path;
            break;
          }
        }
        if (!from) continue;
        change.files++;
        if (change.examples.length < 5) change.examples.push({ from, to });
      }
    }
    return change;
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
    const full = underRoot(realRoot, relativePath);
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
      // The office default is what every dossier without its own profile exports by: it can be changed,
      // never removed. A profile for a dossier the cache does not know would sit unseen until an unrelated
      // dossier got that id.
      if (dossierId === null && profile === null)
        throw new AppError('office-default-required', 'The office default export profile cannot be removed; change it instead');
      if (dossierId !== null) await dossierOrThrow(dossierId);
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
      const root = profile.root;
      const resolved = resolveTemplate(kind, profile.kinds[kind], values, root ? pathLimitBelow(root, platform) : undefined);
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

    async run({ dossierId, kinds, documentIds, includeAlreadyExported = false, relayout }) {
      const dossier = await dossierOrThrow(dossierId);
      const { profile } = effective(dossierId);
      const wanted = kinds ?? exportKinds.filter((k) => profile.kinds[k].enabled);
      const jobs: Job[] = [];
      for (const kind of wanted) {
        for (const document of await source.documents(dossierId, kind, documentIds)) jobs.push({ document });
      }
      if (includeAlreadyExported && !relayout) {
        // Writing again after a template change would leave each file twice in Venice's import folder: ask.
        const change = await layoutChange(dossier, profile, jobs);
        if (change.files > 0)
          throw new AppError(
            'export-layout-changed',
            `${change.files} file(s) already delivered are at paths the templates no longer give: move them to the new paths, or write copies there`,
            change,
          );
      }
      return runJobs(dossier, profile, jobs, includeAlreadyExported, includeAlreadyExported && relayout === 'move');
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
