/**
 * What the export code remembers between runs, behind one small interface so the core does not care
 * where it lives: the profiles, the manifest of every file known to be in a root (written here, or read
 * from the shared manifest another desktop appended to), the history per dossier, and the files kept
 * after a failure for a retry.
 *
 * `createSqliteLedger` stores it in `export_*` tables of any better-sqlite3 database: the cache's own
 * file when the cache hands its handle over, or a file of its own (`openLedgerFile`) until then.
 */
import Database from 'better-sqlite3';
import { ensurePrivateFile, SQLITE_COMPANIONS } from '../paths';
import type { ExportFailureReason, ExportHistoryEntry, ExportStatus } from '../../../shared/api/exports';
import type { ExportKind, ExportProfile } from '../../../shared/export';
import type { ManifestRecord } from './manifest';
import type { ExportDocument } from './source';

export interface LedgerManifestEntry extends ManifestRecord {
  root: string;
  /** `local`: written by this desktop; `shared`: learnt from the manifest file beside the exports. */
  origin: 'local' | 'shared';
}

export type NewHistoryEntry = Omit<ExportHistoryEntry, 'id' | 'retryable'>;

export interface RetryItem {
  historyId: number;
  document: ExportDocument;
  bytes: Uint8Array;
  reason: ExportFailureReason;
}

export interface ExportLedger {
  getProfile(dossierId: string | null): ExportProfile | null;
  setProfile(dossierId: string | null, profile: ExportProfile | null): void;
  /** Every root some profile points at (for drag-out and reveal checks). */
  profileRoots(): string[];

  /** Insert what is not known yet (same root, path and hash = same entry); a file moved here is forgotten where it was. */
  recordFiles(entries: LedgerManifestEntry[]): void;
  /** Files recorded for one document in one root, newest first. */
  filesOfDocument(root: string, dossierId: string, kind: ExportKind, documentId: string): LedgerManifestEntry[];
  /** `filesOfDocument` for many documents of one kind in one query, by document id. */
  filesOfDocuments(root: string, dossierId: string, kind: ExportKind, documentIds: readonly string[]): Map<string, LedgerManifestEntry[]>;
  manifestOffset(root: string): number;
  setManifestOffset(root: string, offset: number): void;

  addHistory(entry: NewHistoryEntry): number;
  historyEntry(id: number): ExportHistoryEntry | null;
  /** Newest first; `before` is the last id of the previous page. */
  history(dossierId: string, options: { before?: number; limit: number }): ExportHistoryEntry[];

  /** Keep a document's bytes after a failure (one per document: the latest failure). */
  keepForRetry(item: RetryItem): void;
  retryItems(dossierId: string, historyIds?: readonly number[]): RetryItem[];
  pendingRetries(dossierId: string): number;
  dropRetry(dossierId: string, kind: ExportKind, documentId: string): void;

  /**
   * Every write made inside `work` in one commit (a nested call joins the outer one): a batch of
   * documents costs one commit instead of one per history entry. `work` must not await.
   */
  batch<T>(work: () => T): T;
}

const schema = `
CREATE TABLE IF NOT EXISTS export_profiles (
  dossier_id TEXT PRIMARY KEY,
  json TEXT NOT NULL,
  updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS export_files (
  root TEXT NOT NULL,
  rel_path TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  size INTEGER NOT NULL,
  dossier_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  document_id TEXT NOT NULL,
  written_at TEXT NOT NULL,
  host TEXT NOT NULL,
  origin TEXT NOT NULL,
  PRIMARY KEY (root, rel_path, sha256)
);
CREATE INDEX IF NOT EXISTS export_files_document ON export_files (root, dossier_id, kind, document_id);
CREATE TABLE IF NOT EXISTS export_files_offsets (
  root TEXT PRIMARY KEY,
  offset INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS export_history (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id TEXT NOT NULL,
  at TEXT NOT NULL,
  dossier_id TEXT NOT NULL,
  kind TEXT,
  document_id TEXT,
  label TEXT,
  status TEXT NOT NULL,
  reason TEXT,
  message TEXT,
  root TEXT,
  rel_path TEXT,
  sha256 TEXT,
  conflict_with TEXT
);
CREATE INDEX IF NOT EXISTS export_history_dossier ON export_history (dossier_id, id);
CREATE TABLE IF NOT EXISTS export_retry (
  dossier_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  document_id TEXT NOT NULL,
  history_id INTEGER NOT NULL,
  document_json TEXT NOT NULL,
  bytes BLOB NOT NULL,
  reason TEXT NOT NULL,
  PRIMARY KEY (dossier_id, kind, document_id)
);
`;

interface HistoryRow {
  id: number;
  run_id: string;
  at: string;
  dossier_id: string;
  kind: string | null;
  document_id: string | null;
  label: string | null;
  status: string;
  reason: string | null;
  message: string | null;
  root: string | null;
  rel_path: string | null;
  sha256: string | null;
  conflict_with: string | null;
  retryable: number;
}

interface ManifestRow {
  root: string;
  rel_path: string;
  sha256: string;
  size: number;
  dossier_id: string;
  kind: string;
  document_id: string;
  written_at: string;
  host: string;
  origin: string;
}

const defaultKey = '';

export function createSqliteLedger(db: Database.Database): ExportLedger {
  db.exec(schema);
  const historyColumns = `h.*, EXISTS (SELECT 1 FROM export_retry r WHERE r.history_id = h.id) AS retryable`;
  const q = {
    getProfile: db.prepare<[string], { json: string }>('SELECT json FROM export_profiles WHERE dossier_id = ?'),
    putProfile: db.prepare(
      `INSERT INTO export_profiles (dossier_id, json, updated_at) VALUES (?, ?, ?)
       ON CONFLICT (dossier_id) DO UPDATE SET json = excluded.json, updated_at = excluded.updated_at`,
    ),
    dropProfile: db.prepare('DELETE FROM export_profiles WHERE dossier_id = ?'),
    roots: db.prepare<[], { root: string | null }>(`SELECT DISTINCT json_extract(json, '$.root') AS root FROM export_profiles`),
    insertFile: db.prepare(
      `INSERT OR IGNORE INTO export_files (root, rel_path, sha256, size, dossier_id, kind, document_id, written_at, host, origin)
       VALUES (@root, @path, @sha256, @size, @dossierId, @kind, @documentId, @at, @host, @origin)`,
    ),
    forgetFile: db.prepare('DELETE FROM export_files WHERE root = ? AND rel_path = ? AND sha256 = ?'),
    filesOf: db.prepare<[string, string, string, string], ManifestRow>(
      `SELECT * FROM export_files WHERE root = ? AND dossier_id = ? AND kind = ? AND document_id = ?
       ORDER BY written_at DESC`,
    ),
    filesOfMany: db.prepare<[string, string, string, string], ManifestRow>(
      `SELECT * FROM export_files WHERE root = ? AND dossier_id = ? AND kind = ? AND document_id IN (SELECT value FROM json_each(?))
       ORDER BY written_at DESC`,
    ),
    offset: db.prepare<[string], { offset: number }>('SELECT offset FROM export_files_offsets WHERE root = ?'),
    setOffset: db.prepare(
      `INSERT INTO export_files_offsets (root, offset) VALUES (?, ?)
       ON CONFLICT (root) DO UPDATE SET offset = excluded.offset`,
    ),
    addHistory: db.prepare(
      `INSERT INTO export_history (run_id, at, dossier_id, kind, document_id, label, status, reason, message, root, rel_path, sha256, conflict_with)
       VALUES (@runId, @at, @dossierId, @kind, @documentId, @label, @status, @reason, @message, @root, @relativePath, @sha256, @conflictWith)`,
    ),
    historyEntry: db.prepare<[number], HistoryRow>(`SELECT ${historyColumns} FROM export_history h WHERE h.id = ?`),
    history: db.prepare<[string, number, number], HistoryRow>(
      `SELECT ${historyColumns} FROM export_history h WHERE h.dossier_id = ? AND h.id < ? ORDER BY h.id DESC LIMIT ?`,
    ),
    keepRetry: db.prepare(
      `INSERT INTO export_retry (dossier_id, kind, document_id, history_id, document_json, bytes, reason)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (dossier_id, kind, document_id) DO UPDATE SET
         history_id = excluded.history_id, document_json = excluded.document_json, bytes = excluded.bytes, reason = excluded.reason`,
    ),
    retryAll: db.prepare<[string], { history_id: number; document_json: string; bytes: Buffer; reason: string }>(
      'SELECT history_id, document_json, bytes, reason FROM export_retry WHERE dossier_id = ? ORDER BY history_id',
    ),
    retryCount: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM export_retry WHERE dossier_id = ?'),
    dropRetry: db.prepare('DELETE FROM export_retry WHERE dossier_id = ? AND kind = ? AND document_id = ?'),
  };

  const toEntry = (row: HistoryRow): ExportHistoryEntry => ({
    id: row.id,
    runId: row.run_id,
    at: row.at,
    dossierId: row.dossier_id,
    kind: row.kind as ExportKind | null,
    documentId: row.document_id,
    label: row.label,
    status: row.status as ExportStatus,
    reason: row.reason as ExportFailureReason | null,
    message: row.message,
    root: row.root,
    relativePath: row.rel_path,
    sha256: row.sha256,
    conflictWith: row.conflict_with,
    retryable: row.retryable === 1,
  });
  const toFile = (row: ManifestRow): LedgerManifestEntry => ({
    root: row.root,
    path: row.rel_path,
    sha256: row.sha256,
    size: row.size,
    dossierId: row.dossier_id,
    kind: row.kind as ExportKind,
    documentId: row.document_id,
    at: row.written_at,
    host: row.host,
    origin: row.origin as 'local' | 'shared',
  });
  const recordFiles = db.transaction((entries: LedgerManifestEntry[]) => {
    for (const entry of entries) {
      for (const from of entry.movedFrom ?? []) q.forgetFile.run(entry.root, from, entry.sha256);
      const { movedFrom: _moved, ...row } = entry;
      q.insertFile.run(row);
    }
  });
  const batch = db.transaction((work: () => unknown) => work());

  return {
    getProfile(dossierId) {
      const row = q.getProfile.get(dossierId ?? defaultKey);
      return row ? (JSON.parse(row.json) as ExportProfile) : null;
    },
    setProfile(dossierId, profile) {
      if (profile === null) q.dropProfile.run(dossierId ?? defaultKey);
      else q.putProfile.run(dossierId ?? defaultKey, JSON.stringify(profile), new Date().toISOString());
    },
    profileRoots() {
      return q.roots.all().flatMap((r) => (typeof r.root === 'string' ? [r.root] : []));
    },
    recordFiles(entries) {
      if (entries.length > 0) recordFiles(entries);
    },
    filesOfDocument(root, dossierId, kind, documentId) {
      return q.filesOf.all(root, dossierId, kind, documentId).map(toFile);
    },
    filesOfDocuments(root, dossierId, kind, documentIds) {
      const byDocument = new Map<string, LedgerManifestEntry[]>();
      if (documentIds.length === 0) return byDocument;
      for (const row of q.filesOfMany.all(root, dossierId, kind, JSON.stringify(documentIds))) {
        const list = byDocument.get(row.document_id);
        if (list) list.push(toFile(row));
        else byDocument.set(row.document_id, [toFile(row)]);
      }
      return byDocument;
    },
    manifestOffset(root) {
      return q.offset.get(root)?.offset ?? 0;
    },
    setManifestOffset(root, offset) {
      q.setOffset.run(root, offset);
    },
    addHistory(entry) {
      return Number(q.addHistory.run(entry).lastInsertRowid);
    },
    historyEntry(id) {
      const row = q.historyEntry.get(id);
      return row ? toEntry(row) : null;
    },
    history(dossierId, { before, limit }) {
      return q.history.all(dossierId, before ?? Number.MAX_SAFE_INTEGER, limit).map(toEntry);
    },
    keepForRetry(item) {
      const d = item.document;
      q.keepRetry.run(d.dossierId, d.kind, d.id, item.historyId, JSON.stringify(d), Buffer.from(item.bytes), item.reason);
    },
    retryItems(dossierId, historyIds) {
      const wanted = historyIds ? new Set(historyIds) : null;
      return q
        .retryAll.all(dossierId)
        .filter((row) => !wanted || wanted.has(row.history_id))
        .map((row) => ({
          historyId: row.history_id,
          document: JSON.parse(row.document_json) as ExportDocument,
          bytes: new Uint8Array(row.bytes),
          reason: row.reason as ExportFailureReason,
        }));
    },
    pendingRetries(dossierId) {
      return q.retryCount.get(dossierId)?.n ?? 0;
    },
    dropRetry(dossierId, kind, documentId) {
      q.dropRetry.run(dossierId, kind, documentId);
    },
    batch<T>(work: () => T): T {
      return batch(work) as T;
    },
  };
}

/** A ledger in a SQLite file of its own (WAL), for when no cache database is handed over. */
export function openLedgerFile(file: string): { ledger: ExportLedger; close(): void } {
  ensurePrivateFile(file, SQLITE_COMPANIONS);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // NORMAL in WAL mode: a power cut may lose the last rows, never corrupt; the manifest beside the exports
  // (flushed per file) is read back on the next run, so a lost row is relearnt.
  db.pragma('synchronous = NORMAL');
  db.pragma('busy_timeout = 5000');
  return { ledger: createSqliteLedger(db), close: () => db.close() };
}
