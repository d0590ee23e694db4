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
  ExportLayoutChange,
  ExportPreview,
  ExportProfileView,
  ExportRunSummary,
  ExportStatus,
} from '../../../shared/api/exports';
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
  type SegmentNote,
  type TemplateValues,
} from '../../../shared/export';
import type { Logger } from '../log';
import { ExportError, exportError, stopsTheRun, toExportError } from './errors';
import { lstatOrNull, nodeExportFs, type ExportFs } from './fs-port';
import type { ExportLedger, LedgerManifestEntry, NewHistoryEntry } from './ledger';
import { appendManifestRecords, readManifest, type ManifestRecord } from './manifest';
import type { ExportDocument, ExportDossier, ExportSource } from './source';
import {
  checkPathLength,
  ensureFolder,
  isInside,
  publish,
  realRootOf,
  sameBytes,
  sha256,
  sweepLeftovers,
  tempName,
  writeTemp,
  type PublishResult,
} from './writer';

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

interface Job {
  document: ExportDocument;
  /** Bytes kept from a failed attempt (retry); otherwise read from the source. */
  bytes?: Uint8Array;
}

/** What `open` hands to the default app: files of an export kind, nothing else that may sit in the folder. */
const openableExtensions = new Set(exportKinds.map((kind) => `.${exportKind[kind].extension}`));

/** Documents per batch: one manifest read and append, one fsync per folder. */
const BATCH_SIZE = 64;
/** Temp files written (and flushed) at once: enough to keep libuv's four threads busy. */
const WRITE_CONCURRENCY = 8;

async function eachLimit<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

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
    move = false,
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
    /** What is left to do for a job once it is prepared: record its entry, possibly after its file is written. */
    type Outcome = { reason: ExportFailureReason | null; entry: () => ExportHistoryEntry };
    interface Staged {
      job: Job;
      base: { kind: ExportDocument['kind']; documentId: string; label: string | null; root: string };
      bytes: Uint8Array;
      hash: string;
      folder: string;
      fileName: string;
      relativePath: string;
      changes: SegmentNote[];
      known: LedgerManifestEntry[];
      /** Paths (under the root) where these bytes were delivered before, to move here. */
      moveFrom: string[];
      /** Of those, the ones still holding these bytes (moved once this file is in place), then the ones removed. */
      moving?: string[];
      moved?: string[];
      tmp?: string;
      result?: PublishResult;
      failure?: ExportError;
    }
    const baseOf = (document: ExportDocument) => ({
      kind: document.kind,
      documentId: document.id,
      label: document.label ?? document.number ?? document.statementNumber ?? null,
      root: realRoot,
    });
    const failed = (job: Job, error: unknown, relativePath: string | null, hash: string | null, bytes: Uint8Array | undefined): Outcome => {
      const failure = toExportError(error);
      if (!(error instanceof ExportError) && failure.reason === 'io-error') options.log?.error('export write failed', error);
      return {
        reason: failure.reason,
        entry: () =>
          record(
            { ...baseOf(job.document), status: 'failed', reason: failure.reason, message: failure.message, relativePath, sha256: hash, conflictWith: null },
            bytes ? { document: job.document, bytes } : undefined,
          ),
      };
    };
    const alreadyExported = (job: Job, same: LedgerManifestEntry, sha: string): Outcome => ({
      reason: null,
      entry: () => {
        ledger.dropRetry(dossier.id, job.document.kind, job.document.id);
        return record({
          ...baseOf(job.document),
          status: 'already-exported',
          reason: null,
          message: same.origin === 'shared' && same.host !== host ? `exported by ${same.host} on ${same.at}` : `exported on ${same.at}`,
          relativePath: same.path,
          sha256: sha,
          conflictWith: null,
        });
      },
    });

    /**
     * The first older delivery still holding these bytes, hard-linked beside the new name as the temp file
     * to publish (no copy of the bytes; the old name goes once this one is in place). Null where none is
     * left (Venice imported them) or the file system has no hard links: the bytes are written instead,
     * and the old files still go.
     */
    const linkAside = async (s: Staged): Promise<string | null> => {
      s.moving = [];
      for (const from of s.moveFrom) {
        const file = path.join(realRoot, ...from.split('/'));
        if (await sameBytes(fsPort, file, s.bytes.length, s.hash).catch(() => false)) s.moving.push(from);
      }
      const [first] = s.moving;
      if (!first) return null;
      const tmp = path.join(s.folder, tempName());
      return fsPort.link(path.join(realRoot, ...first.split('/')), tmp).then(
        () => tmp,
        () => null,
      );
    };

    /**
     * Everything up to the write: recognise what is already exported, read, hash, resolve the name and make
     * the folder. The manifest is read once per batch and folders are resolved once per batch.
     */
    const prepare = async (
      job: Job,
      filesOf: (document: ExportDocument) => Promise<LedgerManifestEntry[]>,
      folders: Map<string, Promise<string>>,
    ): Promise<Outcome | Staged> => {
      const { document } = job;
      let bytes = job.bytes;
      let relativePath: string | null = null;
      let hash: string | null = null;
      try {
        if (!bytes && document.sha256 && !includeAlreadyExported) {
          // The cache knows the hash: an exported document is recognised without reading its file.
          const known = (await filesOf(document)).find((f) => f.sha256 === document.sha256);
          if (known) return alreadyExported(job, known, known.sha256);
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

        const known = await filesOf(document);
        const same = known.find((f) => f.sha256 === hash);
        if (same && !includeAlreadyExported) return alreadyExported(job, same, hash);

        // Before any folder is created: a path that cannot be written leaves nothing behind.
        checkPathLength(path.join(realRoot, ...resolved.path.folders, resolved.path.fileName), platform);
        const key = resolved.path.folders.join('\0');
        let pending = folders.get(key);
        if (!pending) {
          pending = ensureFolder(fsPort, realRoot, resolved.path.folders);
          folders.set(key, pending);
          // A failed look is not remembered: the next document of the batch tries (and reports) it itself.
          void pending.catch(() => folders.delete(key));
        }
        const folder = await pending;
        if (!swept.has(folder)) {
          swept.add(folder);
          await sweepLeftovers(fsPort, folder);
        }
        const moveFrom = move ? known.filter((f) => f.sha256 === hash && f.path !== relativePath).map((f) => f.path) : [];
        return {
          job,
          base: baseOf(document),
          bytes,
          hash,
          folder,
          fileName: resolved.path.fileName,
          relativePath,
          changes: resolved.path.changes,
          known,
          moveFrom,
        };
      } catch (error) {
        return failed(job, error, relativePath, hash, bytes);
      }
    };

    /** The written (or recognised) file's entry; its folder is already flushed. */
    const written = (s: Staged, result: PublishResult, manifestNote: string | null): Outcome => ({
      reason: null,
      entry: () => {
        const relativePath = path.relative(realRoot, path.join(s.folder, result.fileName)).split(path.sep).join('/');
        const notes: string[] = [];
        if (manifestNote) notes.push(manifestNote);
        ledger.dropRetry(dossier.id, s.job.document.kind, s.job.document.id);
        const conflictWith = result.conflicts[0] ?? null;
        if (conflictWith) notes.unshift(`"${conflictWith}" holds a different file; this one is "${result.fileName}"`);
        const changes = describeChanges(s.changes);
        if (changes) notes.push(`name made safe: ${changes}`);
        if (s.moved?.length) notes.unshift(`moved from ${s.moved.join(', ')}`);
        const left = s.moving?.filter((p) => !s.moved?.includes(p)) ?? [];
        if (left.length) notes.push(`${left.join(', ')} could not be removed`);
        return record({
          ...s.base,
          status: s.moved?.length ? 'moved' : result.outcome === 'present' ? 'already-present' : conflictWith ? 'conflict' : 'written',
          reason: null,
          message: notes.length ? notes.join('; ') : null,
          relativePath,
          sha256: s.hash,
          conflictWith,
        });
      },
    });

    /**
     * One batch: prepared in order, temp files written and flushed side by side (the fsyncs overlap in the
     * thread pool), names claimed in order with `link`, each folder flushed once, the manifest appended
     * once; only then is anything recorded as exported. Returns false when a failure stops the run.
     */
    const runBatch = async (batch: Job[], left: number): Promise<boolean> => {
      let manifestDone = false;
      const manifestRead = async () => {
        if (manifestDone) return;
        manifestDone = true;
        await syncManifest(realRoot);
      };
      // Looked up for the whole batch at once, after the manifest is read; nothing of this dossier and root
      // is recorded until the batch ends (one run per dossier and root at a time).
      let known: Map<string, LedgerManifestEntry[]> | null = null;
      const filesOf = async (document: ExportDocument): Promise<LedgerManifestEntry[]> => {
        await manifestRead();
        if (!known) {
          known = new Map();
          for (const kind of new Set(batch.map((j) => j.document.kind))) {
            const ids = batch.filter((j) => j.document.kind === kind).map((j) => j.document.id);
            for (const [id, files] of ledger.filesOfDocuments(realRoot, dossier.id, kind, ids)) known.set(`${kind}\0${id}`, files);
          }
        }
        return known.get(`${document.kind}\0${document.id}`) ?? [];
      };
      const folders = new Map<string, Promise<string>>();
      const prepared: Array<Outcome | Staged> = [];
      for (const job of batch) {
        const p = await prepare(job, filesOf, folders);
        prepared.push(p);
        // Nothing after a failure that stops the run is attempted (as if the batch were one by one).
        if ('reason' in p && p.reason && stopsTheRun(p.reason)) break;
      }
      const staged = prepared.filter((p): p is Staged => 'job' in p);

      // A name already taken is settled by `publish` itself (same bytes, or the next free name).
      const free = new Set<Staged>();
      await eachLimit(staged, WRITE_CONCURRENCY, async (s) => {
        if (!(await lstatOrNull(fsPort, path.join(s.folder, s.fileName)).catch(() => null))) free.add(s);
      });
      // Started in document order (each lane opens its file before its first await), so when space runs
      // out it is the later documents that miss it. A file delivered before under an older layout is linked
      // here instead of written again: published, it is that very file, moved.
      await eachLimit(
        staged.filter((s) => free.has(s) || s.moveFrom.length > 0),
        WRITE_CONCURRENCY,
        async (s) => {
          try {
            if (s.moveFrom.length) s.tmp = (await linkAside(s)) ?? undefined;
            s.tmp ??= await writeTemp(fsPort, s.folder, s.bytes);
          } catch (error) {
            s.failure = toExportError(error, s.folder);
            if (!(error instanceof ExportError) && s.failure.reason === 'io-error') options.log?.error('export write failed', error);
          }
        },
      );
      // Side by side, the temp files of later documents may be what filled the disk: from the first such
      // failure on, the batch goes one by one, so as much gets through as when writing one at a time.
      const firstStop = staged.findIndex((s) => s.failure && stopsTheRun(s.failure.reason));
      if (firstStop >= 0) {
        for (const s of staged.slice(firstStop)) {
          if (s.tmp) await fsPort.unlink(s.tmp).catch(() => undefined);
          s.tmp = undefined;
          s.failure = undefined;
        }
      }
      let stopAt = -1;
      for (const s of staged) {
        if (stopAt >= 0) {
          if (s.tmp) await fsPort.unlink(s.tmp).catch(() => undefined);
          continue;
        }
        if (!s.failure) {
          try {
            s.result = await publish(fsPort, s.folder, s.fileName, s.bytes, s.hash, { platform, tmp: s.tmp, syncFolder: false, nameFree: free.has(s) });
          } catch (error) {
            s.failure = toExportError(error);
            if (!(error instanceof ExportError) && s.failure.reason === 'io-error') options.log?.error('export write failed', error);
          }
        }
        if (s.failure && stopsTheRun(s.failure.reason)) stopAt = prepared.indexOf(s);
      }

      const touched = new Set(staged.filter((s) => s.result?.outcome === 'written').map((s) => s.folder));
      const folderFailures = new Map<string, ExportError>();
      await eachLimit([...touched], WRITE_CONCURRENCY, async (folder) => {
        try {
          await fsPort.fsyncDir(folder);
        } catch (error) {
          folderFailures.set(folder, toExportError(error, folder));
        }
      });
      // Moved: the file is safely at its new path, so the old one goes (a crash before this leaves both,
      // and the next move finds the new one present and removes the old).
      const emptied = new Set<string>();
      for (const s of staged) {
        if (!s.result || !s.moving?.length || (s.result.outcome === 'written' && folderFailures.has(s.folder))) continue;
        s.moved = [];
        for (const from of s.moving) {
          const file = path.join(realRoot, ...from.split('/'));
          try {
            if (await sameBytes(fsPort, file, s.bytes.length, s.hash)) await fsPort.unlink(file);
            s.moved.push(from);
            emptied.add(path.dirname(file));
          } catch (error) {
            options.log?.warn(`export: ${from} was moved but could not be removed`, error);
          }
        }
      }
      await eachLimit([...emptied], WRITE_CONCURRENCY, (folder) => fsPort.fsyncDir(folder).catch(() => undefined));
      const records: ManifestRecord[] = [];
      const done: Array<{ s: Staged; result: PublishResult; manifest: ManifestRecord; append: boolean }> = [];
      for (const s of staged) {
        if (!s.result) continue;
        const folderFailure = s.result.outcome === 'written' ? folderFailures.get(s.folder) : undefined;
        if (folderFailure) {
          s.failure = folderFailure;
          continue;
        }
        const relativePath = path.relative(realRoot, path.join(s.folder, s.result.fileName)).split(path.sep).join('/');
        const manifest: ManifestRecord = {
          path: relativePath,
          sha256: s.hash,
          size: s.bytes.length,
          dossierId: dossier.id,
          kind: s.job.document.kind,
          documentId: s.job.document.id,
          at: now().toISOString(),
          host,
          ...(s.moved?.length ? { movedFrom: s.moved } : {}),
        };
        const append = Boolean(s.moved?.length) || !s.known.some((f) => f.path === relativePath && f.sha256 === s.hash);
        if (append) records.push(manifest);
        done.push({ s, result: s.result, manifest, append });
      }
      let manifestNote: string | null = null;
      try {
        await appendManifestRecords(fsPort, realRoot, records);
      } catch (error) {
        // The files are complete under their names; only the other desktops' view of them is missing.
        manifestNote = `written, but the manifest beside the exports could not be updated: ${toExportError(error).message}`;
      }
      const outcomes = new Map<Staged, Outcome>();
      for (const d of done) outcomes.set(d.s, written(d.s, d.result, d.append ? manifestNote : null));

      // Files, history and retries of the whole batch in one commit; every file and folder is flushed by now.
      const recorded: Array<{ job: Job; entry: ExportHistoryEntry }> = [];
      const stopped = ledger.batch(() => {
        if (done.length) ledger.recordFiles(done.map((d) => ({ ...d.manifest, root: realRoot, origin: 'local' as const })));
        for (const [index, p] of prepared.entries()) {
          const outcome = 'job' in p ? (outcomes.get(p) ?? failed(p.job, p.failure, p.relativePath, p.hash, p.bytes)) : p;
          const entry = outcome.entry();
          recorded.push({ job: 'job' in p ? p.job : batch[index]!, entry });
          if (entry.reason && stopsTheRun(entry.reason)) {
            const further = batch.length - index - 1 + left;
            if (further > 0) runLevelFailure(entry.reason, `Stopped: ${further} further document(s) not attempted; the next export or retry writes them`, realRoot);
            return true;
          }
        }
        return false;
      });
      if (source.recordOutcome) {
        for (const { job, entry } of recorded) {
          try {
            await source.recordOutcome(job.document, { status: entry.status, reason: entry.reason });
          } catch (error) {
            options.log?.warn('the cache could not record an export outcome', error);
          }
        }
      }
      return !stopped;
    };

    // One run at a time per dossier folder tree, not per root: runs of different dossiers write different
    // folders and may overlap (their fsyncs then run side by side), as two desktops sharing a root already do —
    // names are claimed with link (EEXIST when taken) and the shared manifest is appended with O_APPEND.
    return withRootLock(`${realRoot}\0${dossier.id}`, async () => {
      for (let at = 0; at < jobs.length; at += BATCH_SIZE) {
        const batch = jobs.slice(at, at + BATCH_SIZE);
        if (!(await runBatch(batch, jobs.length - at - batch.length))) break;
      }
      return finish(runId, dossier.id, entries);
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
      const known = new Map<string, LedgerManifestEntry[]>();
      for (const kind of new Set(batch.map((j) => j.document.kind))) {
        const ids = batch.filter((j) => j.document.kind === kind).map((j) => j.document.id);
        for (const [id, files] of ledger.filesOfDocuments(realRoot, dossier.id, kind, ids)) known.set(`${kind}\0${id}`, files);
      }
      for (const { document } of batch) {
        const files = known.get(`${document.kind}\0${document.id}`);
        if (!files?.length) continue;
        const resolved = resolveTemplate(document.kind, profile.kinds[document.kind], templateValues(dossier, document));
        if (!resolved.ok) continue;
        const to = resolved.path.relativePath;
        const hash = document.sha256 ?? (await source.read(document).then(sha256, () => null));
        const elsewhere = files.filter((f) => f.sha256 === hash && f.path !== to);
        let from: string | null = null;
        for (const f of elsewhere) {
          const stat = await lstatOrNull(fsPort, path.join(realRoot, ...f.path.split('/'))).catch(() => null);
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
