/**
 * A check worker thread (started by `pool.ts`): loads the rules of one release and the UBL schemas once,
 * primes them on a small invoice (the first transform of a stylesheet costs about a second), then checks
 * the batches it is handed. It also reads large stored UBL files for the document view, off the main thread.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import v8 from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { CheckEngine } from './engine';
import { readInvoice } from './invoice-reading';
import { PRIMING_INVOICE } from './priming';
import type { CheckWorkerData, FromCheckWorker, ToCheckWorker } from './worker-wire';

const port = parentPort!;
const data = workerData as CheckWorkerData;

// Background work yields the cores to everything else (the sync, the UI): where the OS gives a thread its own
// priority (Linux: a thread is a task with its own nice value), this one runs at a lower one.
try {
  const tid = data.lowPriority ? Number(fs.readlinkSync('/proc/thread-self').split('/').pop()) : 0;
  if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, 10);
} catch {
  // elsewhere, the pool's pause during syncs is what keeps the checks out of the way
}
const post = (m: FromCheckWorker) => port.postMessage(m);

const started = performance.now();
const load = (file: string) => createRequire(file)(file) as unknown;
const engine = new CheckEngine({
  ...data,
  saxon: load(data.saxonPath) as ConstructorParameters<typeof CheckEngine>[0]['saxon'],
  xmllint: load(data.xmllintPath) as ConstructorParameters<typeof CheckEngine>[0]['xmllint'],
});
const loadMs = performance.now() - started;
void engine.check([{ key: 'priming', bytes: new TextEncoder().encode(PRIMING_INVOICE) }]).then(() => {
  post({ t: 'ready', loadMs, primeMs: performance.now() - started - loadMs });
  port.on('message', (m: ToCheckWorker) => {
    if (m.t === 'read-invoice') {
      let invoice;
      try {
        invoice = readInvoice(m.bytes);
      } catch (error) {
        post({ t: 'done', id: m.id, error: String((error as Error)?.message ?? error), heap: heapBytes() });
        return;
      }
      post({ t: 'done', id: m.id, invoice, heap: heapBytes() });
      return;
    }
    engine.check(m.docs, m.options).then(
      (results) => post({ t: 'done', id: m.id, results, heap: heapBytes() }),
      (error: unknown) => post({ t: 'done', id: m.id, error: String((error as Error)?.message ?? error), heap: heapBytes() }),
    );
  });
});

/** This thread's own heap (the process RSS is shared by every thread). */
function heapBytes(): number {
  return v8.getHeapStatistics().total_heap_size;
}
