import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Work that would hold the JS thread for seconds on a large cache runs on a worker thread with
 * its own connection: WAL checkpoints (copying committed pages into the database file) and the
 * integrity check. The source is plain CommonJS evaluated in the worker, so it runs the same
 * under tsx, vitest and the esbuild bundle.
 */
const workerSource = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
db.pragma('busy_timeout = 5000');
parentPort.on('message', (msg) => {
  const reply = { id: msg.id };
  try {
    if (msg.op === 'checkpoint') {
      reply.result = db.pragma('wal_checkpoint(PASSIVE)')[0];
    } else if (msg.op === 'integrity') {
      const problems = [];
      for (const row of db.pragma('integrity_check(100)')) {
        const text = String(Object.values(row)[0]);
        if (text !== 'ok') problems.push(text);
      }
      for (const row of db.pragma('foreign_key_check')) {
        if (problems.length >= 100) break;
        problems.push('foreign key: ' + row.table + ' row ' + row.rowid + ' refers to a missing ' + row.parent);
      }
      for (const check of msg.checks) {
        const n = db.prepare(check.sql).pluck().get();
        if (n > 0) problems.push(check.label.replace('{n}', String(n)));
      }
      reply.result = problems;
    } else if (msg.op === 'close') {
      db.close();
      reply.result = true;
    }
  } catch (error) {
    reply.error = String((error && error.message) || error);
  }
  parentPort.postMessage(reply);
  if (msg.op === 'close') parentPort.close();
});
`;

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

/** What `PRAGMA wal_checkpoint` answers: frames in the WAL, and how many are in the database file. */
interface CheckpointResult {
  busy: number;
  log: number;
  checkpointed: number;
}

export interface Check {
  /** Counting query: a result > 0 is a problem. */
  sql: string;
  /** '{n}' is replaced by the count. */
  label: string;
}

export class Maintenance {
  private readonly worker: Worker | null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private inFlight: Promise<CheckpointResult> | null = null;
  private again = false;
  private failed: Error | null = null;

  constructor(
    file: string,
    private readonly onFailure: (error: Error) => void,
  ) {
    let worker: Worker | null = null;
    try {
      const driver = createRequire(import.meta.url).resolve('better-sqlite3');
      worker = new Worker(workerSource, { eval: true, workerData: { file, driver } });
      worker.unref();
      worker.on('message', (msg: { id: number; result?: unknown; error?: string }) => {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        this.refCount();
        if (msg.error !== undefined) p.reject(new Error(msg.error));
        else p.resolve(msg.result);
      });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (this.pending.size) this.fail(new Error(`maintenance worker exited (${code})`));
      });
    } catch (error) {
      this.failed = error as Error;
    }
    this.worker = worker;
  }

  get available(): boolean {
    return this.worker !== null && this.failed === null;
  }

  private fail(error: Error): void {
    if (this.failed) return;
    this.failed = error;
    for (const p of this.pending.values()) p.reject(error);
    this.pending.clear();
    this.onFailure(error);
  }

  private refCount(): void {
    if (!this.worker) return;
    if (this.pending.size) this.worker.ref();
    else this.worker.unref();
  }

  private request<T>(op: string, extra: object = {}): Promise<T> {
    if (!this.worker || this.failed) return Promise.reject(this.failed ?? new Error('no maintenance worker'));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.refCount();
      this.worker!.postMessage({ id, op, ...extra });
    });
  }

  /** One passive checkpoint: copies committed pages into the database file, never waits for the writer. */
  private checkpoint(): Promise<CheckpointResult> {
    if (this.inFlight) {
      this.again = true;
      return this.inFlight;
    }
    this.inFlight = this.request<CheckpointResult>('checkpoint').finally(() => {
      this.inFlight = null;
      if (this.again) {
        this.again = false;
        this.checkpointSoon();
      }
    });
    return this.inFlight;
  }

  /** Asks for a checkpoint after a commit; requests made while one runs coalesce into one more. */
  checkpointSoon(): void {
    if (this.available) this.checkpoint().catch(() => undefined);
  }

  /**
   * Waits until every committed page is in the database file, so the next write transaction
   * starts the WAL over (and cuts it back to journal_size_limit). Called before a transaction
   * when the WAL has grown: under a stream of back-to-back writes a checkpoint never catches up
   * on its own, and a WAL of hundreds of MB slows every read.
   */
  async settle(): Promise<void> {
    if (!this.available) return;
    for (let attempt = 0; attempt < 3; attempt++) {
      if (this.inFlight) await this.inFlight.catch(() => undefined);
      const result = await this.checkpoint().catch(() => null);
      if (!result || result.log === result.checkpointed) return;
    }
  }

  integrity(checks: Check[]): Promise<string[]> {
    return this.request<string[]>('integrity', { checks });
  }

  async close(): Promise<void> {
    if (!this.worker) return;
    if (!this.failed) await this.request('close').catch(() => undefined);
    await this.worker.terminate();
  }
}
