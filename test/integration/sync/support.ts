/**
 * Shared by the sync tests: a clock tests move by hand, waiting for a run to finish through the events
 * the UI listens to, and a canonical dump of what a sync left behind (cache + export folders) to compare
 * runs that should end the same.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { Core } from '../../../electron/core';
import type { Clock } from '../../../electron/core/sync';
import type { SyncRunSummary } from '../../../shared/api';

/** Time moves only when the test says so, or by what a wait asks for (backoff, retry-after, probes). */
export function testClock(start = Date.parse('2026-04-01T08:00:00Z')): Clock & { advance(ms: number): void } {
  let now = start;
  return {
    now: () => now,
    advance(ms) {
      now += ms;
    },
    sleep(ms, signal) {
      return new Promise<void>((resolve, reject) => {
        if (signal?.aborted) return reject(signal.reason as Error);
        now += ms;
        setImmediate(resolve);
      });
    },
  };
}

export async function call<T = unknown>(core: Core, channel: string, input?: unknown): Promise<T> {
  const envelope = await core.call(channel, input);
  if (!envelope.ok) throw new Error(`${channel} failed: ${envelope.error.code} ${envelope.error.message}`);
  return envelope.value as T;
}

/** Start a sync through the API and wait for its `sync.finished` event. */
export async function syncNow(core: Core, input?: { dossierIds?: string[] }): Promise<SyncRunSummary> {
  let resolve!: (s: SyncRunSummary) => void;
  const finished = new Promise<SyncRunSummary>((r) => (resolve = r));
  let runId: string | null = null;
  const early: SyncRunSummary[] = [];
  const off = core.subscribe((event, payload) => {
    if (event !== 'sync.finished') return;
    const s = payload as SyncRunSummary;
    if (runId === null) early.push(s);
    else if (s.runId === runId) resolve(s);
  });
  try {
    runId = (await call<{ runId: string }>(core, 'sync.start', input)).runId;
    const already = early.find((s) => s.runId === runId);
    return already ?? (await finished);
  } finally {
    off();
  }
}

function sha(bytes: Uint8Array): string {
  return crypto.createHash('sha256').update(bytes).digest('hex');
}

/** Every file under a folder (relative path → SHA-256), and the names that are not finished files. */
export function folderFiles(root: string): { files: Record<string, string>; partial: string[] } {
  const files: Record<string, string> = {};
  const partial: string[] = [];
  const walk = (dir: string) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const rel = path.relative(root, full).split(path.sep).join('/');
        if (entry.name.startsWith('.billit-venice-manifest')) continue;
        if (entry.name.startsWith('.')) partial.push(rel);
        else files[rel] = sha(fs.readFileSync(full));
      }
    }
  };
  walk(root);
  return { files, partial };
}

/** What a sync must leave identical whatever happened on the way: documents, statements, exported files. */
export function canonicalDump(dbFile: string, exportRoot: string) {
  const db = new Database(dbFile, { readonly: true, fileMustExist: true });
  try {
    const documents = db
      .prepare(
        `SELECT d.source_id AS id, v.venice_id AS dossier, d.status, d.ubl_sha256 AS ubl, d.pdf_sha256 AS pdf
         FROM documents d JOIN dossiers v ON v.id = d.dossier_id ORDER BY v.venice_id, CAST(d.source_id AS INTEGER)`,
      )
      .all();
    const statements = db
      .prepare(
        `SELECT s.account_iban AS account, s.statement_number AS number, s.closing_date AS date, s.coda_sha256 AS coda, s.status,
                (SELECT count(*) FROM movements m WHERE m.statement_id = s.id) AS movements
         FROM statements s ORDER BY account, date, number`,
      )
      .all();
    const { files, partial } = folderFiles(exportRoot);
    return { documents, statements, files, partial };
  } finally {
    db.close();
  }
}
