/**
 * One export run of one dossier, a batch at a time: plan (recognise what is already exported, read, hash,
 * name, make the folder), write (temp files side by side, names claimed in order, folders flushed, files of
 * an older layout moved), record (the manifest beside the exports, then the ledger in one commit, then the
 * cache's statuses). Nothing is recorded as exported before its file and folder are flushed; see README.md
 * for the promises this keeps.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import type { ExportFailureReason, ExportHistoryEntry } from '../../../shared/api/exports';
import { resolveTemplate, templateValues, type ExportProfile, type ResolvedPath, type SegmentNote } from '../../../shared/export';
import type { Logger } from '../log';
import { ExportError, exportError, stopsTheRun, toExportError } from './errors';
import { lstatOrNull, type ExportFs } from './fs-port';
import type { ExportLedger, LedgerManifestEntry, NewHistoryEntry } from './ledger';
import { appendManifestRecords, type ManifestRecord } from './manifest';
import type { ExportDocument, ExportDossier, ExportSource } from './source';
import {
  checkPathLength,
  ensureFolder,
  pathLimitBelow,
  publish,
  realRootOf,
  rootRelative,
  sameBytes,
  sweepLeftovers,
  tempName,
  underRoot,
  writeTemp,
  type PublishResult,
} from './writer';
import { sha256 } from '../lib/hash';
import { eachLimit } from '../lib/limit';

/** Documents per batch: one manifest read and append, one fsync per folder. */
export const BATCH_SIZE = 64;
/** Temp files written (and flushed) at once: enough to keep libuv's four threads busy. */
const WRITE_CONCURRENCY = 8;

export interface Job {
  document: ExportDocument;
  /** Bytes kept from a failed attempt (retry); otherwise read from the source. */
  bytes?: Uint8Array;
}

/** What a run needs of the service around it. */
export interface RunDeps {
  ledger: ExportLedger;
  source: ExportSource;
  fs: ExportFs;
  log?: Logger;
  now: () => Date;
  platform: NodeJS.Platform;
  /** This desktop, as the shared manifest names it. */
  host: string;
  /** Learn what other desktops (or earlier runs) appended to the manifest beside the exports. */
  syncManifest(realRoot: string): Promise<void>;
}

/** One run: what it writes, and the history entries it recorded so far. */
export interface Run {
  readonly deps: RunDeps;
  readonly id: string;
  readonly dossier: ExportDossier;
  readonly profile: ExportProfile;
  /** Write again what the manifest says was exported. */
  readonly includeAlreadyExported: boolean;
  /** Files delivered before under another path are moved to the new one (else a copy is written). */
  readonly move: boolean;
  readonly entries: ExportHistoryEntry[];
}

/** A run whose export root exists: its real path, and the folders already tidied in this run. */
interface RootedRun extends Run {
  readonly realRoot: string;
  readonly swept: Set<string>;
}

/** Planned and ready to write. */
interface Staged {
  state: 'staged';
  job: Job;
  bytes: Uint8Array;
  hash: string;
  folder: string;
  fileName: string;
  /** The path the templates give (the written one differs after a name conflict). */
  relativePath: string;
  changes: SegmentNote[];
  /** What the manifest knows of this document under this root. */
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

/** What planning decided for one document: nothing to write (already exported, or failed), or a write. */
type Planned =
  | { state: 'exported'; job: Job; same: LedgerManifestEntry; hash: string }
  | { state: 'failed'; job: Job; failure: ExportError; relativePath: string | null; hash: string | null; bytes?: Uint8Array }
  | Staged;

/** A written (or recognised) file, flushed, and whether the manifest was told of it in this batch. */
interface Published {
  staged: Staged;
  result: PublishResult;
  manifest: ManifestRecord;
  appended: boolean;
}

export function startRun(deps: RunDeps, dossier: ExportDossier, profile: ExportProfile, options: { includeAlreadyExported: boolean; move: boolean }): Run {
  return { deps, id: crypto.randomUUID(), dossier, profile, ...options, entries: [] };
}

// ------------------------------------------------------------------ the one I/O-error logger

/** The export error for what went wrong; an I/O error no one foresaw is logged with its stack (an ExportError already says why). */
function failureOf(deps: RunDeps, error: unknown, where?: string): ExportError {
  const failure = toExportError(error, where);
  if (!(error instanceof ExportError) && failure.reason === 'io-error') deps.log?.error('export write failed', error);
  return failure;
}

// ------------------------------------------------------------------ history entries

type EntryFields = Omit<NewHistoryEntry, 'runId' | 'at' | 'dossierId'>;

/** Add a history entry of the run; a failure with its bytes is kept for a retry. */
function record(run: Run, fields: EntryFields, keep?: { document: ExportDocument; bytes: Uint8Array }): ExportHistoryEntry {
  const { ledger, now } = run.deps;
  const full: NewHistoryEntry = { runId: run.id, at: now().toISOString(), dossierId: run.dossier.id, ...fields };
  const id = ledger.addHistory(full);
  if (keep && fields.reason) ledger.keepForRetry({ historyId: id, document: keep.document, bytes: keep.bytes, reason: fields.reason });
  const entry: ExportHistoryEntry = { ...full, id, retryable: Boolean(keep) };
  run.entries.push(entry);
  return entry;
}

/** A failure of the run as a whole (no root, root unreachable, stopped early): one entry without a document. */
function recordRunFailure(run: Run, reason: ExportFailureReason, message: string, root: string | null): void {
  record(run, { kind: null, documentId: null, label: null, status: 'failed', reason, message, root, relativePath: null, sha256: null, conflictWith: null });
}

function entryBase(run: RootedRun, document: ExportDocument) {
  return { kind: document.kind, documentId: document.id, label: document.label ?? document.number ?? document.statementNumber ?? null, root: run.realRoot };
}

function describeChanges(changes: SegmentNote[]): string | null {
  if (changes.length === 0) return null;
  return changes.map((c) => `"${c.raw}" → "${c.name}" (${c.notes.join(', ')})`).join('; ');
}

function recordFailed(run: RootedRun, job: Job, failure: ExportError, relativePath: string | null, hash: string | null, bytes: Uint8Array | undefined) {
  return record(
    run,
    { ...entryBase(run, job.document), status: 'failed', reason: failure.reason, message: failure.message, relativePath, sha256: hash, conflictWith: null },
    bytes ? { document: job.document, bytes } : undefined,
  );
}

function recordAlreadyExported(run: RootedRun, job: Job, same: LedgerManifestEntry, hash: string) {
  run.deps.ledger.dropRetry(run.dossier.id, job.document.kind, job.document.id);
  return record(run, {
    ...entryBase(run, job.document),
    status: 'already-exported',
    reason: null,
    message: same.origin === 'shared' && same.host !== run.deps.host ? `exported by ${same.host} on ${same.at}` : `exported on ${same.at}`,
    relativePath: same.path,
    sha256: hash,
    conflictWith: null,
  });
}

/** The written (or recognised) file's entry; its folder is already flushed. */
function recordWritten(run: RootedRun, { staged: s, result, manifest, appended }: Published, manifestNote: string | null) {
  const notes: string[] = [];
  if (appended && manifestNote) notes.push(manifestNote);
  run.deps.ledger.dropRetry(run.dossier.id, s.job.document.kind, s.job.document.id);
  const conflictWith = result.conflicts[0] ?? null;
  if (conflictWith) notes.unshift(`"${conflictWith}" holds a different file; this one is "${result.fileName}"`);
  const changes = describeChanges(s.changes);
  if (changes) notes.push(`name made safe: ${changes}`);
  if (s.moved?.length) notes.unshift(`moved from ${s.moved.join(', ')}`);
  const left = s.moving?.filter((p) => !s.moved?.includes(p)) ?? [];
  if (left.length) notes.push(`${left.join(', ')} could not be removed`);
  return record(run, {
    ...entryBase(run, s.job.document),
    status: s.moved?.length ? 'moved' : result.outcome === 'present' ? 'already-present' : conflictWith ? 'conflict' : 'written',
    reason: null,
    message: notes.length ? notes.join('; ') : null,
    relativePath: manifest.path,
    sha256: s.hash,
    conflictWith,
  });
}

// ------------------------------------------------------------------ the root

/** The run's export root as a real path, or null once the run recorded why it cannot write there. */
export async function openRoot(run: Run, documents: number): Promise<RootedRun | null> {
  const { root } = run.profile;
  if (!root) {
    const error = exportError('root-not-set', 'choose an export folder first');
    recordRunFailure(run, error.reason, `${error.message} — ${documents} document(s) not exported`, null);
    return null;
  }
  try {
    return { ...run, realRoot: await realRootOf(run.deps.fs, root), swept: new Set() };
  } catch (error) {
    const failure = toExportError(error, root);
    recordRunFailure(run, failure.reason, `${failure.message} — ${documents} document(s) not exported`, root);
    return null;
  }
}

/**
 * One batch: planned in order, written side by side, then recorded. `left` is how many documents of the
 * run come after it. Returns false when a failure stops the run.
 */
export async function exportBatch(run: RootedRun, batch: Job[], left: number): Promise<boolean> {
  const planned = await plan(run, batch);
  const staged = planned.filter((p): p is Staged => p.state === 'staged');
  await write(run, staged);
  return recordBatch(run, planned, batch.length + left);
}

// ------------------------------------------------------------------ plan

/** Every document of the batch in order, up to the first failure that stops the run. */
async function plan(run: RootedRun, batch: Job[]): Promise<Planned[]> {
  const filesOf = knownFiles(run, batch);
  const folders = new Map<string, Promise<string>>();
  const planned: Planned[] = [];
  for (const job of batch) {
    const p = await planJob(run, job, filesOf, folders);
    planned.push(p);
    // Nothing after a failure that stops the run is attempted (as if the batch were one by one).
    if (p.state === 'failed' && stopsTheRun(p.failure.reason)) break;
  }
  return planned;
}

/**
 * What the manifest knows of each document of the batch. The manifest is read, and the ledger asked for the
 * whole batch at once, the first time a document needs it; nothing of this dossier and root is recorded
 * until the batch ends (one run per dossier and root at a time).
 */
function knownFiles(run: RootedRun, batch: Job[]): (document: ExportDocument) => Promise<LedgerManifestEntry[]> {
  let known: Promise<(document: ExportDocument) => LedgerManifestEntry[]> | null = null;
  const lookUp = async () => {
    await run.deps.syncManifest(run.realRoot);
    return filesOfBatch(run.deps.ledger, run.realRoot, run.dossier.id, batch);
  };
  return async (document) => (await (known ??= lookUp()))(document);
}

/** What the ledger knows of each document of a batch under this root, asked once per kind. */
export function filesOfBatch(ledger: ExportLedger, realRoot: string, dossierId: string, batch: readonly Job[]): (document: ExportDocument) => LedgerManifestEntry[] {
  const found = new Map<string, LedgerManifestEntry[]>();
  for (const kind of new Set(batch.map((j) => j.document.kind))) {
    const ids = batch.filter((j) => j.document.kind === kind).map((j) => j.document.id);
    for (const [id, files] of ledger.filesOfDocuments(realRoot, dossierId, kind, ids)) found.set(`${kind}\0${id}`, files);
  }
  return (document) => found.get(`${document.kind}\0${document.id}`) ?? [];
}

/**
 * Everything up to the write: recognise what is already exported, read, hash, resolve the name and make
 * the folder (each folder resolved once per batch, its leftovers swept once per run).
 */
async function planJob(
  run: RootedRun,
  job: Job,
  filesOf: (document: ExportDocument) => Promise<LedgerManifestEntry[]>,
  folders: Map<string, Promise<string>>,
): Promise<Planned> {
  const { document } = job;
  let bytes = job.bytes;
  let relativePath: string | null = null;
  let hash: string | null = null;
  try {
    if (!bytes && document.sha256 && !run.includeAlreadyExported) {
      // The cache knows the hash: an exported document is recognised without reading its file.
      const same = (await filesOf(document)).find((f) => f.sha256 === document.sha256);
      if (same) return { state: 'exported', job, same, hash: same.sha256 };
    }
    bytes ??= await readSource(run, document);
    hash = sha256(bytes);
    const target = targetOf(run, document);
    relativePath = target.relativePath;

    const known = await filesOf(document);
    const same = known.find((f) => f.sha256 === hash);
    if (same && !run.includeAlreadyExported) return { state: 'exported', job, same, hash };

    // Before any folder is created: a path that cannot be written leaves nothing behind.
    checkPathLength(path.join(run.realRoot, ...target.folders, target.fileName), run.deps.platform);
    const folder = await folderOf(run, target.folders, folders);
    const moveFrom = run.move ? known.filter((f) => f.sha256 === hash && f.path !== relativePath).map((f) => f.path) : [];
    return {
      state: 'staged',
      job,
      bytes,
      hash,
      folder,
      fileName: target.fileName,
      relativePath,
      changes: target.changes,
      known,
      moveFrom,
    };
  } catch (error) {
    return { state: 'failed', job, failure: failureOf(run.deps, error), relativePath, hash, bytes };
  }
}

/** Where the document goes by its kind's templates; a template that gives no path is the document's failure. */
function targetOf(run: RootedRun, document: ExportDocument): ResolvedPath {
  const resolved = resolveTemplate(document.kind, run.profile.kinds[document.kind], templateValues(run.dossier, document), pathLimitBelow(run.realRoot, run.deps.platform));
  if (resolved.ok) return resolved.path;
  const missing = resolved.problems.every((p) => p.code === 'missing-value');
  throw exportError(missing ? 'missing-value' : 'template', resolved.problems.map((p) => p.message).join('; '));
}

async function readSource(run: Run, document: ExportDocument): Promise<Uint8Array> {
  try {
    return await run.deps.source.read(document);
  } catch (error) {
    throw exportError('source-missing', error instanceof Error ? error.message : String(error));
  }
}

/** The real folder for these names under the root, made once per batch and tidied once per run. */
async function folderOf(run: RootedRun, names: string[], folders: Map<string, Promise<string>>): Promise<string> {
  const key = names.join('\0');
  let pending = folders.get(key);
  if (!pending) {
    pending = ensureFolder(run.deps.fs, run.realRoot, names);
    folders.set(key, pending);
    // A failed look is not remembered: the next document of the batch tries (and reports) it itself.
    void pending.catch(() => folders.delete(key));
  }
  const folder = await pending;
  if (!run.swept.has(folder)) {
    run.swept.add(folder);
    await sweepLeftovers(run.deps.fs, folder);
  }
  return folder;
}

// ------------------------------------------------------------------ write

/**
 * Temp files written and flushed side by side (the fsyncs overlap in the thread pool), names claimed in
 * order with `link`, each folder flushed once, then the files this batch moved removed from their old
 * paths. Each staged document ends with a `result` or a `failure`, or neither when an earlier one stopped
 * the run.
 */
async function write(run: RootedRun, staged: Staged[]): Promise<void> {
  const free = await freeNames(run, staged);
  await writeTemps(run, staged.filter((s) => free.has(s) || s.moveFrom.length > 0));
  await oneByOneFromFirstStop(run, staged);
  await publishInOrder(run, staged, free);
  await flushFolders(run, staged);
  await removeMovedOriginals(run, staged);
}

/** The documents whose name is free now. A name already taken is settled by `publish` itself (same bytes, or the next free name). */
async function freeNames(run: RootedRun, staged: Staged[]): Promise<Set<Staged>> {
  const free = new Set<Staged>();
  await eachLimit(staged, WRITE_CONCURRENCY, async (s) => {
    if (!(await lstatOrNull(run.deps.fs, path.join(s.folder, s.fileName)).catch(() => null))) free.add(s);
  });
  return free;
}

/**
 * Started in document order (each lane opens its file before its first await), so when space runs out it
 * is the later documents that miss it. A file delivered before under an older layout is linked here instead
 * of written again: published, it is that very file, moved.
 */
async function writeTemps(run: RootedRun, staged: Staged[]): Promise<void> {
  await eachLimit(staged, WRITE_CONCURRENCY, async (s) => {
    try {
      if (s.moveFrom.length) s.tmp = (await linkAside(run, s)) ?? undefined;
      s.tmp ??= await writeTemp(run.deps.fs, s.folder, s.bytes);
    } catch (error) {
      s.failure = failureOf(run.deps, error, s.folder);
    }
  });
}

/**
 * The first older delivery still holding these bytes, hard-linked beside the new name as the temp file to
 * publish (no copy of the bytes; the old name goes once this one is in place). Null where none is left
 * (Venice imported them) or the file system has no hard links: the bytes are written instead, and the old
 * files still go.
 */
async function linkAside(run: RootedRun, s: Staged): Promise<string | null> {
  const { fs } = run.deps;
  s.moving = [];
  for (const from of s.moveFrom) {
    if (await sameBytes(fs, underRoot(run.realRoot, from), s.bytes.length, s.hash).catch(() => false)) s.moving.push(from);
  }
  const [first] = s.moving;
  if (!first) return null;
  const tmp = path.join(s.folder, tempName());
  return fs.link(underRoot(run.realRoot, first), tmp).then(
    () => tmp,
    () => null,
  );
}

/**
 * Side by side, the temp files of later documents may be what filled the disk: from the first such failure
 * on, the batch goes one by one (their temp files dropped, `publish` writes each itself), so as much gets
 * through as when writing one at a time.
 */
async function oneByOneFromFirstStop(run: RootedRun, staged: Staged[]): Promise<void> {
  const firstStop = staged.findIndex((s) => s.failure && stopsTheRun(s.failure.reason));
  if (firstStop < 0) return;
  for (const s of staged.slice(firstStop)) {
    if (s.tmp) await run.deps.fs.unlink(s.tmp).catch(() => undefined);
    s.tmp = undefined;
    s.failure = undefined;
  }
}

/** Claim each name in document order; after a failure that stops the run, the rest is left untouched. */
async function publishInOrder(run: RootedRun, staged: Staged[], free: Set<Staged>): Promise<void> {
  const { fs, platform } = run.deps;
  let stopped = false;
  for (const s of staged) {
    if (stopped) {
      if (s.tmp) await fs.unlink(s.tmp).catch(() => undefined);
      continue;
    }
    if (!s.failure) {
      try {
        s.result = await publish(fs, s.folder, s.fileName, s.bytes, s.hash, { platform, tmp: s.tmp, syncFolder: false, nameFree: free.has(s) });
      } catch (error) {
        s.failure = failureOf(run.deps, error);
      }
    }
    if (s.failure && stopsTheRun(s.failure.reason)) stopped = true;
  }
}

/** Each folder a file was written into, flushed once; a file whose folder could not be flushed failed. */
async function flushFolders(run: RootedRun, staged: Staged[]): Promise<void> {
  const written = staged.filter((s) => s.result?.outcome === 'written');
  const failures = new Map<string, ExportError>();
  await eachLimit([...new Set(written.map((s) => s.folder))], WRITE_CONCURRENCY, async (folder) => {
    try {
      await run.deps.fs.fsyncDir(folder);
    } catch (error) {
      failures.set(folder, toExportError(error, folder));
    }
  });
  for (const s of written) s.failure ??= failures.get(s.folder);
}

/**
 * Moved: the file is safely at its new path, so the old one goes (a crash before this leaves both, and the
 * next move finds the new one present and removes the old).
 */
async function removeMovedOriginals(run: RootedRun, staged: Staged[]): Promise<void> {
  const { fs, log } = run.deps;
  const emptied = new Set<string>();
  for (const s of staged) {
    if (!s.result || s.failure || !s.moving?.length) continue;
    s.moved = [];
    for (const from of s.moving) {
      const file = underRoot(run.realRoot, from);
      try {
        if (await sameBytes(fs, file, s.bytes.length, s.hash)) await fs.unlink(file);
        s.moved.push(from);
        emptied.add(path.dirname(file));
      } catch (error) {
        log?.warn(`export: ${from} was moved but could not be removed`, error);
      }
    }
  }
  await eachLimit([...emptied], WRITE_CONCURRENCY, (folder) => fs.fsyncDir(folder).catch(() => undefined));
}

// ------------------------------------------------------------------ record

/**
 * The manifest beside the exports appended once, then files, history and retries of the whole batch in one
 * commit (every file and folder is flushed by now), then the cache told what became of each document.
 * `remaining` counts this batch and the documents after it. Returns false when a failure stops the run.
 */
async function recordBatch(run: RootedRun, planned: Planned[], remaining: number): Promise<boolean> {
  const { published, manifestNote } = await appendToManifest(run, planned.filter((p): p is Staged => p.state === 'staged'));
  const { recorded, stopped } = commit(run, planned, published, manifestNote, remaining);
  await tellSource(run, recorded);
  return !stopped;
}

/** Tell the shared manifest of every file this batch published that it does not know yet (or that moved). */
async function appendToManifest(run: RootedRun, staged: Staged[]): Promise<{ published: Map<Staged, Published>; manifestNote: string | null }> {
  const { fs, now, host } = run.deps;
  const published = new Map<Staged, Published>();
  const records: ManifestRecord[] = [];
  for (const s of staged) {
    if (!s.result || s.failure) continue;
    const relativePath = rootRelative(run.realRoot, path.join(s.folder, s.result.fileName));
    const manifest: ManifestRecord = {
      path: relativePath,
      sha256: s.hash,
      size: s.bytes.length,
      dossierId: run.dossier.id,
      kind: s.job.document.kind,
      documentId: s.job.document.id,
      at: now().toISOString(),
      host,
      ...(s.moved?.length ? { movedFrom: s.moved } : {}),
    };
    const appended = Boolean(s.moved?.length) || !s.known.some((f) => f.path === relativePath && f.sha256 === s.hash);
    if (appended) records.push(manifest);
    published.set(s, { staged: s, result: s.result, manifest, appended });
  }
  try {
    await appendManifestRecords(fs, run.realRoot, records);
    return { published, manifestNote: null };
  } catch (error) {
    // The files are complete under their names; only the other desktops' view of them is missing.
    return { published, manifestNote: `written, but the manifest beside the exports could not be updated: ${toExportError(error).message}` };
  }
}

/** The ledger's one commit for the batch: its files, then each document's history entry in order. */
function commit(
  run: RootedRun,
  planned: Planned[],
  published: Map<Staged, Published>,
  manifestNote: string | null,
  remaining: number,
): { recorded: Array<{ job: Job; entry: ExportHistoryEntry }>; stopped: boolean } {
  const { ledger } = run.deps;
  const recorded: Array<{ job: Job; entry: ExportHistoryEntry }> = [];
  const stopped = ledger.batch(() => {
    if (published.size) ledger.recordFiles([...published.values()].map((p) => ({ ...p.manifest, root: run.realRoot, origin: 'local' as const })));
    for (const [index, p] of planned.entries()) {
      const entry = recordPlanned(run, p, published, manifestNote);
      recorded.push({ job: p.job, entry });
      if (entry.reason && stopsTheRun(entry.reason)) {
        const further = remaining - index - 1;
        if (further > 0) recordRunFailure(run, entry.reason, `Stopped: ${further} further document(s) not attempted; the next export or retry writes them`, run.realRoot);
        return true;
      }
    }
    return false;
  });
  return { recorded, stopped };
}

function recordPlanned(run: RootedRun, p: Planned, published: Map<Staged, Published>, manifestNote: string | null): ExportHistoryEntry {
  switch (p.state) {
    case 'exported':
      return recordAlreadyExported(run, p.job, p.same, p.hash);
    case 'failed':
      return recordFailed(run, p.job, p.failure, p.relativePath, p.hash, p.bytes);
    case 'staged': {
      const done = published.get(p);
      if (done) return recordWritten(run, done, manifestNote);
      return recordFailed(run, p.job, failureOf(run.deps, p.failure), p.relativePath, p.hash, p.bytes);
    }
  }
}

/** The cache keeps its own status per document ('exported', 'export-failed'); a failure to tell it is only logged. */
async function tellSource(run: Run, recorded: Array<{ job: Job; entry: ExportHistoryEntry }>): Promise<void> {
  const { source, log } = run.deps;
  if (!source.recordOutcome) return;
  for (const { job, entry } of recorded) {
    try {
      await source.recordOutcome(job.document, { status: entry.status, reason: entry.reason });
    } catch (error) {
      log?.warn('the cache could not record an export outcome', error);
    }
  }
}
