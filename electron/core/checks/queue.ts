/**
 * The background queue of the official checks: every stored UBL file without a result under the rules in
 * force is checked, newest documents first; a document the user opens goes to the front (checked alone, at
 * once). Results are stored per file SHA-256 and release, and `onChecked` names the documents they cover.
 *
 * Never on the sync's critical path: while a sync runs, the pool takes no background batch (only what the
 * user opens), and the queue reads no more of the cache than a page of ids at a time.
 */
import type { Cache, CheckResultInput } from '../cache';
import type { Logger } from '../log';
import type { CheckResult } from './engine';
import type { CheckPool } from './pool';

/**
 * Documents per background job: xmllint compiles the schemas once per job (~250 ms) and the CEN rules are
 * prepared once per job. 32 typical invoices take a worker ~2 s: a document the user opens meanwhile waits
 * at most that long for a free worker (its pre-check findings show at once).
 */
export const CHECK_BATCH = 32;
/** Files above this size are checked alone. */
const ALONE_BYTES = 2 * 1024 * 1024;
const PAGE = 256;

export interface CheckQueueOptions {
  cache: Cache;
  pool: CheckPool;
  log: Logger;
  onChecked(documentIds: number[]): void;
}

interface Item {
  sha256: string;
}

export class CheckQueue {
  private readonly release: string;
  /** Files waiting, in order; `queued` holds the same keys. */
  private waiting: Item[] = [];
  private readonly queued = new Set<string>();
  private readonly inFlight = new Set<string>();
  /** Files that failed this session (tried again at the next start). */
  private readonly failed = new Set<string>();
  private cursor: [string, number] | null = null;
  private exhausted = false;
  private running = 0;
  private syncRunning = false;
  private closed = false;
  private started = false;
  private idleWaiters: Array<() => void> = [];

  constructor(private readonly options: CheckQueueOptions) {
    this.release = options.pool.release;
  }

  /** Forgets other releases' results, then starts checking. */
  async start(): Promise<void> {
    const dropped = await this.options.cache.checks.keepOnly(this.release);
    if (dropped) this.options.log.info(`checks: ${dropped} result(s) of other rules releases dropped; documents are checked again under ${this.release}`);
    this.started = true;
    this.wake();
  }

  /** New documents may have arrived: read the cache again from the newest. */
  wake(): void {
    if (!this.started) return;
    this.cursor = null;
    this.exhausted = false;
    this.pump();
  }

  /** The user opened this document: check it now, alone, before any background work. */
  prioritize(sha256: string): void {
    if (this.closed || this.inFlight.has(sha256) || this.failed.has(sha256)) return;
    this.inFlight.add(sha256);
    this.dispatch([sha256], true);
  }

  setSyncRunning(running: boolean): void {
    if (this.syncRunning === running) return;
    this.syncRunning = running;
    this.options.pool.setBackgroundLimit(running ? 0 : this.options.pool.size);
    if (!running) this.wake();
  }

  get pending(): number {
    return this.options.cache.checks.countUnchecked(this.release);
  }

  get paused(): boolean {
    return this.syncRunning;
  }

  /** Resolves when nothing is waiting or running (tests, benchmarks). */
  idle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  close(): void {
    this.closed = true;
    this.waiting = [];
    for (const w of this.idleWaiters.splice(0)) w();
  }

  private isIdle(): boolean {
    return this.running === 0 && this.waiting.length === 0 && (this.exhausted || this.closed || !this.started);
  }

  private refill(): void {
    // A page may hold only files already under way: read on until something is new or the cache is read.
    while (!this.exhausted && this.waiting.length < PAGE / 2) {
      const rows = this.options.cache.checks.unchecked(this.release, this.cursor, PAGE);
      if (rows.length < PAGE) this.exhausted = true;
      const last = rows[rows.length - 1];
      if (last) this.cursor = [last.issueDate, last.id];
      for (const r of rows) {
        if (this.queued.has(r.sha256) || this.inFlight.has(r.sha256) || this.failed.has(r.sha256)) continue;
        this.queued.add(r.sha256);
        this.waiting.push({ sha256: r.sha256 });
      }
      if (this.waiting.length) break;
    }
  }

  private pump(): void {
    if (this.closed) return;
    // Keep every worker fed, one batch ahead; while a sync runs the pool holds background batches anyway.
    while (this.running < this.options.pool.size + 1 && !this.syncRunning) {
      this.refill();
      if (!this.waiting.length) break;
      const batch: string[] = [];
      let bytes = 0;
      while (this.waiting.length && batch.length < CHECK_BATCH) {
        const next = this.waiting[0]!;
        const size = this.options.cache.blobs.size(next.sha256) ?? 0;
        if (batch.length && (size > ALONE_BYTES || bytes + size > ALONE_BYTES)) break;
        this.waiting.shift();
        this.queued.delete(next.sha256);
        if (this.inFlight.has(next.sha256)) continue;
        this.inFlight.add(next.sha256);
        batch.push(next.sha256);
        bytes += size;
      }
      if (batch.length) this.dispatch(batch, false);
    }
    if (this.isIdle()) for (const w of this.idleWaiters.splice(0)) w();
  }

  private dispatch(shas: string[], priority: boolean): void {
    this.running++;
    void this.run(shas, priority).finally(() => {
      this.running--;
      for (const s of shas) this.inFlight.delete(s);
      this.pump();
    });
  }

  private async run(shas: string[], priority: boolean): Promise<void> {
    const { cache, pool, log } = this.options;
    const docs = shas.flatMap((sha256) => {
      const bytes = cache.blobs.get(sha256);
      return bytes ? [{ key: sha256, bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) }] : [];
    });
    if (!docs.length) return;
    let results: CheckResult[];
    try {
      results = await pool.check(docs, { priority });
    } catch (error) {
      if (this.closed) return;
      if (docs.length > 1) {
        // One file may have brought the worker down: each is tried alone before any is given up.
        await Promise.all(docs.map((d) => this.run([d.key], priority)));
        return;
      }
      log.warn(`checks: file ${docs[0]!.key.slice(0, 12)} could not be checked`, error);
      this.failed.add(docs[0]!.key);
      await this.store([{ sha256: docs[0]!.key, state: 'failed', findings: [] }]);
      return;
    }
    if (this.closed) return;
    await this.store(results.map((r) => ({ sha256: r.key, state: 'done', findings: r.findings })));
  }

  private async store(results: CheckResultInput[]): Promise<void> {
    const { cache, onChecked, log } = this.options;
    try {
      await cache.checks.put(this.release, results);
    } catch (error) {
      if (!this.closed) log.warn('checks: results could not be stored', error);
      return;
    }
    const ids = cache.checks.documentsOf(results.map((r) => r.sha256)).map((d) => d.id);
    if (ids.length) onChecked(ids);
  }
}
