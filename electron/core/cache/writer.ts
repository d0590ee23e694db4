import { AsyncLocalStorage } from 'node:async_hooks';
import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';

/**
 * Every write goes through one queue on the writer connection, one transaction at a time.
 * A large batch stays ONE transaction (all or nothing, even if the process is killed), but
 * gives the event loop back every `sliceMs`: the JS thread is never held longer than a slice,
 * and the UI's reads (on the reader connection) keep seeing the last committed state.
 */
export class Tx {
  private sliceStart = performance.now();
  constructor(
    readonly db: Database.Database,
    private readonly sliceMs: number,
  ) {}

  /** Yields to the event loop when the current slice is used up (else returns nothing to await). */
  breathe(): Promise<void> | undefined {
    if (performance.now() - this.sliceStart < this.sliceMs) return undefined;
    return new Promise<void>((resolve) =>
      setImmediate(() => {
        this.sliceStart = performance.now();
        resolve();
      }),
    );
  }

  /** Runs `fn` for each item, yielding between slices. */
  async each<T>(items: readonly T[], fn: (item: T, index: number) => void): Promise<void> {
    for (let i = 0; i < items.length; i++) {
      fn(items[i]!, i);
      const pause = this.breathe();
      if (pause) await pause;
    }
  }
}

interface Token {
  tx: Tx;
  active: boolean;
  /** Writes that joined this transaction; it commits only after all of them settled. */
  joined: Promise<unknown>[];
}

export class WriteQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private readonly als = new AsyncLocalStorage<Token>();
  private closed = false;

  constructor(
    private readonly db: Database.Database,
    private readonly sliceMs: number,
    private readonly afterCommit: () => void,
    /** Runs before each transaction begins (it may wait, e.g. for a checkpoint, without holding the thread). */
    private readonly beforeBegin: () => Promise<void> | void = () => undefined,
  ) {}

  /**
   * Runs `fn` in a write transaction. Called from inside another transaction of this cache
   * (in its async context) it joins that transaction instead of waiting behind it.
   * Never await network or disk work inside: the write lock is held until `fn` settles.
   */
  run<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T> {
    const token = this.als.getStore();
    if (token?.active) {
      const joined = Promise.resolve().then(() => fn(token.tx));
      token.joined.push(joined);
      return joined;
    }
    if (this.closed) return Promise.reject(new Error('The cache is closed.'));
    const result = this.tail.then(() => this.exec(fn));
    this.tail = result.catch(() => undefined);
    return result;
  }

  private async exec<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T> {
    await this.beforeBegin();
    const token: Token = { tx: new Tx(this.db, this.sliceMs), active: true, joined: [] };
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const value = await this.als.run(token, () => fn(token.tx));
      // A write started inside `fn` but not awaited still belongs to this transaction.
      while (token.joined.length) await Promise.all(token.joined.splice(0));
      this.db.exec('COMMIT');
      token.active = false;
      this.afterCommit();
      return value;
    } catch (error) {
      token.active = false;
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw error;
    }
  }

  /** Settles when the writes queued so far have (committed or failed). */
  idle(): Promise<void> {
    return this.tail.then(() => undefined);
  }

  /** Waits for queued writes, then refuses new ones. */
  async close(): Promise<void> {
    const tail = this.tail;
    this.closed = true;
    await tail;
  }
}
