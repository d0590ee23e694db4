/**
 * The check workers: threads that each load the rules once (`worker.ts`) and check the batches handed to
 * them, so SaxonJS never runs on the main thread. Jobs marked `priority` (a document the user opened, a
 * large read for the document view) go before background work; `setBackgroundLimit` caps how many workers
 * may take background work at once (0 while a sync runs: the checks never compete with it for the cores).
 *
 * Workers start on the first job and stop after a while without work (each holds ~150 MB of rules).
 */
import { createRequire } from 'node:module';
import os from 'node:os';
import type { Worker } from 'node:worker_threads';
import { startWorkerThread } from '../lib/worker-thread';
import type { CheckDocument, CheckOptions, CheckResult } from './engine';
import type { InvoiceReading } from './invoice-reading';
import type { RulesLocation } from './rules';
import type { CheckWorkerData, FromCheckWorker, ToCheckWorker } from './worker-wire';

export interface CheckPoolOptions {
  rules: RulesLocation;
  /** Threads (default: one per core, at most 2). */
  size?: number;
  /** Stop a worker after this long without work (default 2 minutes). */
  idleMs?: number;
  /**
   * Run the threads at a lower OS priority where threads have their own (Linux), so background checks yield
   * the cores to the sync and the UI. Default true; a benchmark of the pool's capacity turns it off.
   */
  lowPriority?: boolean;
  onWorkerError?(error: Error): void;
}

export interface WorkerStats {
  /** Load of the rules and schemas, and the first (priming) check, in ms. */
  loadMs: number;
  primeMs: number;
  /** Largest V8 heap this thread reported, in bytes. */
  peakHeap: number;
  jobs: number;
}

export interface CheckPool {
  readonly size: number;
  readonly release: string;
  check(docs: CheckDocument[], options?: CheckOptions & { priority?: boolean }): Promise<CheckResult[]>;
  /** A stored UBL read for the document view, on a worker. */
  readInvoice(bytes: Uint8Array): Promise<InvoiceReading>;
  setBackgroundLimit(workers: number): void;
  /** Starts every worker and waits until each is primed. */
  warm(): Promise<void>;
  stats(): WorkerStats[];
  close(): Promise<void>;
}

/**
 * SaxonJS and xmllint as their packages ship them. Packaged, they stay inside app.asar with the packages they
 * require (SaxonJS loads axios when it starts): Electron's worker threads read asar archives through Node's
 * APIs; only a worker's entry file must be on the real file system.
 */
export function engineFiles(): Pick<CheckWorkerData, 'saxonPath' | 'xmllintPath' | 'wasmPath'> {
  const require = createRequire(import.meta.url);
  return {
    saxonPath: require.resolve('saxon-js'),
    xmllintPath: require.resolve('xmllint-wasm/xmllint-node.js'),
    wasmPath: require.resolve('xmllint-wasm/xmllint.wasm'),
  };
}

/**
 * A young generation larger than V8's default: SaxonJS allocates many short-lived objects per rule, and a
 * small nursery spent ~10 % of a check in scavenges. The old generation holds the rules (~100 MB).
 */
const resourceLimits = { maxYoungGenerationSizeMb: 32, maxOldGenerationSizeMb: 1024 };

interface Job {
  id: number;
  message: ToCheckWorker;
  priority: boolean;
  resolve(value: FromCheckWorker & { t: 'done' }): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  ready: boolean;
  readyPromise: Promise<void>;
  job: Job | null;
  stats: WorkerStats;
  idleTimer: NodeJS.Timeout | null;
}

export function createCheckPool(options: CheckPoolOptions): CheckPool {
  const size = Math.max(1, options.size ?? Math.min(2, os.availableParallelism()));
  const idleMs = options.idleMs ?? 120_000;
  const data: CheckWorkerData = {
    ruleSets: options.rules.release.ruleSets,
    schemaDir: options.rules.schemaDir,
    lowPriority: options.lowPriority !== false,
    ...engineFiles(),
  };
  const slots: Slot[] = [];
  const queue: Job[] = [];
  const retired: WorkerStats[] = [];
  let backgroundLimit = size;
  let nextId = 1;
  let closed = false;

  function spawn(): Slot {
    const worker = startWorkerThread(import.meta.url, { source: './worker.ts', bundled: './checks-worker.js' }, { workerData: data, resourceLimits });
    let markReady!: () => void;
    const slot: Slot = {
      worker,
      ready: false,
      readyPromise: new Promise<void>((r) => (markReady = r)),
      job: null,
      stats: { loadMs: 0, primeMs: 0, peakHeap: 0, jobs: 0 },
      idleTimer: null,
    };
    worker.on('message', (m: FromCheckWorker) => {
      if (m.t === 'ready') {
        slot.ready = true;
        slot.stats.loadMs = m.loadMs;
        slot.stats.primeMs = m.primeMs;
        markReady();
        pump();
        return;
      }
      const job = slot.job;
      slot.job = null;
      slot.stats.peakHeap = Math.max(slot.stats.peakHeap, m.heap);
      slot.stats.jobs++;
      if (job && job.id === m.id) {
        if (m.error) job.reject(new Error(m.error));
        else job.resolve(m);
      }
      pump();
    });
    const lost = (error: Error) => {
      const i = slots.indexOf(slot);
      if (i < 0) return;
      slots.splice(i, 1);
      retired.push(slot.stats);
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      markReady();
      if (slot.job) slot.job.reject(error);
      slot.job = null;
      if (!closed) pump();
    };
    worker.on('error', (error) => {
      options.onWorkerError?.(error);
      lost(error);
    });
    worker.on('exit', (code) => lost(new Error(`A check worker stopped (exit ${code})`)));
    slots.push(slot);
    return slot;
  }

  function idle(slot: Slot) {
    if (slot.idleTimer) clearTimeout(slot.idleTimer);
    slot.worker.unref();
    slot.idleTimer = setTimeout(() => void slot.worker.terminate(), idleMs);
    slot.idleTimer.unref();
  }

  function pump() {
    if (closed) return;
    for (;;) {
      const busyBackground = slots.filter((s) => s.job && !s.job.priority).length;
      const index = queue.findIndex((j) => j.priority || busyBackground < backgroundLimit);
      if (index < 0) break;
      const slot = slots.find((s) => s.ready && !s.job);
      if (!slot) {
        // Start another worker while more jobs wait than workers are starting, up to the pool's size.
        if (slots.length < size && slots.filter((s) => !s.ready).length < queue.length) spawn();
        break;
      }
      const [job] = queue.splice(index, 1);
      slot.job = job!;
      if (slot.idleTimer) clearTimeout(slot.idleTimer);
      slot.idleTimer = null;
      slot.worker.ref();
      slot.worker.postMessage(job!.message);
    }
    for (const s of slots) if (s.ready && !s.job && !s.idleTimer) idle(s);
  }

  function submit(make: (id: number) => ToCheckWorker, priority: boolean): Promise<FromCheckWorker & { t: 'done' }> {
    if (closed) return Promise.reject(new Error('The check pool is closed'));
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const job: Job = { id, message: make(id), priority, resolve, reject };
      if (priority) queue.unshift(job);
      else queue.push(job);
      if (slots.length === 0) spawn();
      pump();
    });
  }

  return {
    size,
    release: options.rules.release.name,
    async check(docs, opts = {}) {
      const { priority = false, ...checkOptions } = opts;
      const done = await submit((id) => ({ t: 'check', id, docs, options: checkOptions }), priority);
      return done.results ?? [];
    },
    async readInvoice(bytes) {
      const done = await submit((id) => ({ t: 'read-invoice', id, bytes }), true);
      return done.invoice ?? { lines: [], invoice: null };
    },
    setBackgroundLimit(workers) {
      backgroundLimit = Math.max(0, workers);
      pump();
    },
    async warm() {
      while (slots.length < size) spawn();
      await Promise.all(slots.map((s) => s.readyPromise));
      pump();
    },
    stats: () => [...retired, ...slots.map((s) => s.stats)],
    async close() {
      closed = true;
      for (const job of queue.splice(0)) job.reject(new Error('The check pool is closed'));
      await Promise.all(slots.map((s) => s.worker.terminate()));
    },
  };
}
