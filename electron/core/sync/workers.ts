/**
 * The sync's worker threads (`SyncWorkers` in `ports.ts`). Downloading orders, UBL and CODA files and
 * reading them is most of what a sync costs; on the main thread it would compete with the cache, the
 * export folders and the UI's calls. Each worker (`worker.ts`) has its own Billit client; this side
 * answers its questions (headers, renewals, backoff waits) from the main thread's client and clock, and
 * writes its log lines.
 *
 * Workers start on the first job and hold the process open only while they have work.
 */
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { AppError } from '../../../shared/api/errors';
import type { AuthProvider } from '../billit/http';
import type { BillitErrorEntry } from '../billit/errors';
import { startWorkerThread } from '../lib/worker-thread';
import type { Logger } from '../log';
import type { Clock } from '../lib/time';
import type { SyncWorkers } from './ports';
import { fromWire, toWire, type FromWorker, type JobKind, type Jobs, type LogLines, type ToWorker, type WorkerData } from './worker-wire';

export interface SyncWorkersOptions extends WorkerData {
  /** The main thread's credentials (the Billit client's `auth`). */
  auth: AuthProvider;
  clock: Clock;
  log: Logger;
  /** Default: one per core but one, at least one. */
  workers?: number;
}

/**
 * Heap limits that make V8 collect early: with its defaults a busy worker's heap swelled by ~140 MB of RSS,
 * which the app's 400 MB budget cannot spare; with these it took ~75 MB, at the same speed (measured over
 * 6,000 documents). 512 MB still leaves room to read a UBL file at the parser's 64 MB limit.
 */
const resourceLimits = { maxYoungGenerationSizeMb: 8, maxOldGenerationSizeMb: 512 };

function startWorker(data: WorkerData): Worker {
  return startWorkerThread(import.meta.url, { source: './worker.ts', bundled: './sync-worker.js' }, { workerData: data, resourceLimits });
}

interface Slot {
  worker: Worker;
  pending: Map<number, { resolve(result: unknown): void; reject(error: Error): void }>;
}

export function createSyncWorkers(options: SyncWorkersOptions): SyncWorkers {
  const size = Math.max(1, options.workers ?? Math.min(4, os.availableParallelism() - 1));
  const data: WorkerData = { baseUrl: options.baseUrl, accountantPartyId: options.accountantPartyId, timing: options.timing };
  const slots: Slot[] = [];
  let nextId = 1;
  let closed = false;

  function answer(slot: Slot, id: number, work: () => Promise<unknown>) {
    work().then(
      (value) => slot.worker.postMessage({ t: 'answer', id, value } satisfies ToWorker),
      (error: unknown) => slot.worker.postMessage({ t: 'answer', id, error: toWire(error) } satisfies ToWorker),
    );
  }

  function spawn(): Slot {
    const slot: Slot = { worker: startWorker(data), pending: new Map() };
    slot.worker.unref();
    const lost = (why: string) => {
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      for (const p of slot.pending.values()) p.reject(new AppError('internal', `A sync worker thread stopped (${why})`));
      slot.pending.clear();
    };
    const write = (lines: LogLines = []) => {
      for (const [level, line] of lines) options.log[level](line);
    };
    slot.worker.on('message', (m: FromWorker) => {
      if (m.t === 'done') {
        write(m.lines);
        const p = slot.pending.get(m.id);
        if (!p) return;
        slot.pending.delete(m.id);
        if (slot.pending.size === 0) slot.worker.unref();
        if (m.error) p.reject(fromWire(m.error));
        else p.resolve(m.result);
      } else if (m.t === 'ask') {
        if (m.what === 'headers') answer(slot, m.id, () => options.auth.headers());
        else if (m.what === 'renew')
          answer(slot, m.id, async () => {
            const { errors, sent } = m.arg as { errors: BillitErrorEntry[]; sent?: Record<string, string> };
            const renewed = (await options.auth.renewAfter401?.(errors, undefined, sent)) ?? false;
            return { renewed, headers: renewed ? await options.auth.headers() : undefined };
          });
        else answer(slot, m.id, () => options.clock.sleep(Number(m.arg)));
      } else if (m.t === 'log') write(m.lines);
    });
    slot.worker.on('error', (error) => {
      options.log.error('a sync worker thread failed', error);
      lost(error.message);
    });
    slot.worker.on('exit', (code) => lost(`exit ${code}`));
    slots.push(slot);
    return slot;
  }

  /** The least busy worker, or a new one while there are fewer than `size`. */
  function pick(): Slot {
    let best: Slot | null = null;
    for (const s of slots) if (!best || s.pending.size < best.pending.size) best = s;
    if (!best || (best.pending.size > 0 && slots.length < size)) return spawn();
    return best;
  }

  function run<K extends JobKind>(kind: K, arg: Jobs[K]['arg'], signal?: AbortSignal): Promise<Jobs[K]['result']> {
    if (closed) return Promise.reject(new AppError('cancelled', 'The sync workers are closed'));
    if (signal?.aborted) return Promise.reject(signal.reason as Error);
    const slot = pick();
    const id = nextId++;
    return new Promise<Jobs[K]['result']>((resolve, reject) => {
      const onAbort = () => {
        slot.pending.delete(id);
        if (slot.pending.size === 0) slot.worker.unref();
        slot.worker.postMessage({ t: 'cancel', id } satisfies ToWorker);
        reject(signal!.reason as Error);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      slot.pending.set(id, {
        resolve: (result) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(result as Jobs[K]['result']);
        },
        reject: (error) => {
          signal?.removeEventListener('abort', onAbort);
          reject(error);
        },
      });
      slot.worker.ref();
      slot.worker.postMessage({ t: 'job', id, kind, arg } satisfies ToWorker);
    });
  }

  return {
    readDocument: (job, signal) => run('document', job, signal),
    readCoda: (item, signal) => run('coda', item, signal),
    confirm: async (items, delivered, signal) => {
      const outcome = await run('confirm', { items, delivered }, signal);
      return { confirmed: outcome.confirmed, failed: outcome.failed.map((f) => ({ feedItemId: f.feedItemId, error: fromWire(f.error) })) };
    },
    async close() {
      closed = true;
      await Promise.all(slots.splice(0).map((s) => s.worker.terminate()));
    },
  };
}
