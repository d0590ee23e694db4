import fs from 'node:fs';
import type { Logger } from '../log';
import { blobsRepo } from './blobs';
import { checksRepo } from './checks';
import { statementCache, type Ctx } from './context';
import { documentsRepo } from './documents';
import { dossiersRepo, partiesRepo } from './dossiers';
import { Maintenance } from './maintenance';
import { latestVersion } from './migrations';
import { openConnections } from './open';
import { accountsRepo, auditRepo } from './records';
import { searchRepo } from './search';
import { statementsRepo } from './statements';
import { cursorsRepo, feedRepo, runsRepo } from './sync';
import type { IntegrityReport } from './types';
import { WriteQueue, type Tx } from './writer';

export * from './types';
export type { DossierPageArgs, PartyPageArgs } from './dossiers';
export { accountId } from './records';
export { latestVersion } from './migrations';
export type { Tx } from './writer';
export type { CheckResultRecord, CheckResultInput, StoredRuleFinding, Decision, SameNumberDocument } from './checks';

const walLimitBytes = 64 * 1024 * 1024;

export interface CacheOptions {
  log?: Logger;
  /** How long a write may hold the JS thread before yielding (default 10 ms: GC and the commit come on top). */
  sliceMs?: number;
  /** Clock, for tests. */
  now?: () => Date;
}

export interface Cache {
  readonly file: string;
  readonly schemaVersion: number;
  /** The schema version the file had before this open (0 = new file). */
  readonly migratedFrom: number;
  /** The copy of the file made before migrating, if any. */
  readonly backups: string[];
  readonly accounts: ReturnType<typeof accountsRepo>;
  readonly dossiers: ReturnType<typeof dossiersRepo>;
  readonly parties: ReturnType<typeof partiesRepo>;
  readonly documents: ReturnType<typeof documentsRepo>;
  readonly statements: ReturnType<typeof statementsRepo>;
  readonly blobs: ReturnType<typeof blobsRepo>;
  readonly cursors: ReturnType<typeof cursorsRepo>;
  readonly runs: ReturnType<typeof runsRepo>;
  /** Accountant-feed items fetched and not yet delivered. */
  readonly feed: ReturnType<typeof feedRepo>;
  readonly audit: ReturnType<typeof auditRepo>;
  /** The official check results per UBL file and rules release, and hold-back decisions. */
  readonly checks: ReturnType<typeof checksRepo>;
  /** Full-text search across dossiers: a string, or { q, dossierId?, kinds?, after?, limit? }. */
  readonly search: ReturnType<typeof searchRepo>;
  /**
   * One write transaction around several calls: every cache write made inside `fn` (awaited in
   * its async flow) joins it, so e.g. documents and the cursor that covers them commit together
   * or not at all. Do no network or file work inside: other writes wait until `fn` settles.
   */
  transaction<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T>;
  /**
   * Makes every commit so far durable against power loss, off the JS thread. Commits are safe against a
   * crash of the app as soon as they return; before something that cannot be taken back (confirming a
   * feed item to Billit), await this.
   */
  durable(): Promise<void>;
  /** integrity_check, foreign_key_check and blob references, on a worker thread. */
  integrityCheck(): Promise<IntegrityReport>;
  /** Waits for pending writes, then closes (the WAL is checkpointed and removed). */
  close(): Promise<void>;
}

/**
 * Opens (creating or migrating) the cache file. Throws AppError('database') when the file
 * belongs to a newer app version or to something else, leaving it untouched.
 */
export function openCache(file: string, options: CacheOptions = {}): Cache {
  const now = options.now ?? (() => new Date());
  // NORMAL: a commit is in the WAL (safe if the app is killed) without an fsync on the JS thread, which
  // took tens of milliseconds per commit on a busy disk; `durable()` syncs the WAL where power loss matters.
  const connections = openConnections(file, { synchronous: 'NORMAL', autoCheckpoint: false });
  const { writer, reader } = connections;
  const maintenance = new Maintenance(file, (error) => {
    // Without the worker the writer checkpoints itself, on the JS thread.
    options.log?.warn('cache maintenance worker failed; checkpointing on the main thread', error);
    if (writer.open) writer.pragma('wal_autocheckpoint = 1000');
  });
  if (!maintenance.available) writer.pragma('wal_autocheckpoint = 1000');

  const wal = `${file}-wal`;
  const queue = new WriteQueue(
    writer,
    options.sliceMs ?? 10,
    () => maintenance.checkpointSoon(),
    // A WAL past 64 MB: let the checkpoint catch up before writing more (the JS thread stays free).
    () => ((fs.statSync(wal, { throwIfNoEntry: false })?.size ?? 0) > walLimitBytes ? maintenance.settle() : undefined),
  );
  const ctx: Ctx = {
    r: statementCache(reader),
    w: statementCache(writer),
    write: (fn) => queue.run(fn),
    now: () => now().toISOString(),
  };

  const runs = runsRepo(ctx);
  void runs.markInterrupted().catch((error) => options.log?.warn('could not mark interrupted sync runs', error));
  if (connections.migratedFrom !== latestVersion) {
    options.log?.info(`cache ${file}: schema ${connections.migratedFrom} → ${latestVersion}`);
  }

  let closed = false;
  return {
    file,
    schemaVersion: latestVersion,
    migratedFrom: connections.migratedFrom,
    backups: connections.backups,
    accounts: accountsRepo(ctx),
    dossiers: dossiersRepo(ctx),
    parties: partiesRepo(ctx),
    documents: documentsRepo(ctx),
    statements: statementsRepo(ctx),
    blobs: blobsRepo(ctx),
    cursors: cursorsRepo(ctx),
    runs,
    feed: feedRepo(ctx),
    audit: auditRepo(ctx),
    checks: checksRepo(ctx),
    search: searchRepo(ctx),
    transaction: (fn) => queue.run(fn),
    async durable() {
      await queue.idle();
      let handle: fs.promises.FileHandle;
      try {
        handle = await fs.promises.open(`${file}-wal`, 'r+');
      } catch (error) {
        // No WAL: everything was checkpointed into the database file, and a checkpoint syncs it.
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
        throw error;
      }
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    },

    async integrityCheck() {
      const started = performance.now();
      const checks = [
        {
          sql: `SELECT count(*) FROM documents d WHERE (d.ubl_sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM blobs WHERE sha256 = d.ubl_sha256))
                  OR (d.pdf_sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM blobs WHERE sha256 = d.pdf_sha256))`,
          label: '{n} document(s) refer to a UBL or PDF that is missing',
        },
        {
          sql: `SELECT count(*) FROM statements s WHERE s.coda_sha256 IS NOT NULL AND NOT EXISTS (SELECT 1 FROM blobs WHERE sha256 = s.coda_sha256)`,
          label: '{n} statement(s) refer to a CODA file that is missing',
        },
      ];
      let problems: string[];
      if (maintenance.available) {
        problems = await maintenance.integrity(checks);
      } else {
        // Without the worker: the same checks on the JS thread (the UI waits meanwhile).
        problems = [];
        for (const row of reader.pragma('integrity_check(100)') as Record<string, unknown>[]) {
          const text = String(Object.values(row)[0]);
          if (text !== 'ok') problems.push(text);
        }
        for (const row of reader.pragma('foreign_key_check') as Record<string, unknown>[]) {
          problems.push(`foreign key: ${row.table} row ${row.rowid} refers to a missing ${row.parent}`);
        }
        for (const check of checks) {
          const n = reader.prepare(check.sql).pluck().get() as number;
          if (n > 0) problems.push(check.label.replace('{n}', String(n)));
        }
      }
      return {
        ok: problems.length === 0,
        problems,
        checkedAt: now().toISOString(),
        durationMs: Math.round(performance.now() - started),
        file,
        sizeBytes: fs.statSync(file).size,
        schemaVersion: latestVersion,
      };
    },

    async close() {
      if (closed) return;
      closed = true;
      await queue.close();
      await maintenance.close();
      reader.close();
      try {
        writer.pragma('analysis_limit = 400');
        writer.pragma('optimize');
      } catch (error) {
        options.log?.warn('cache optimize failed', error);
      }
      writer.close();
    },
  };
}
