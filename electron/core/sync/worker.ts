/**
 * A sync worker thread (started by `workers.ts`; messages in `worker-wire.ts`): its own Billit client (ky
 * over keep-alive sockets, the same retries and typed errors), doing the jobs of `reads.ts` it is handed.
 *
 * It holds no credential of its own: headers and renewals come from the main thread's client, which alone
 * refreshes and stores tokens; backoff waits are the main thread's clock's (tests move that clock by hand);
 * log lines go to the main thread's log. Secrets it sees are registered for redaction here too, since this
 * thread has its own copy of the log module.
 */
import { setMaxListeners } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import { AppError } from '../../../shared/api/errors';
import { createBillitClient } from '../billit/client';
import type { AuthProvider } from '../billit/http';
import { abortable } from '../lib/time';
import { describe, redact, type Logger } from '../log';
import { confirmDelivered, orderDownloads, readCoda, readDocument } from './reads';
import { fromWire, toWire, type FromWorker, type JobKind, type Jobs, type ToWorker, type WireError, type WorkerData } from './worker-wire';

const port = parentPort!;
const data = workerData as WorkerData;
const post = (message: FromWorker, transfer: ArrayBuffer[] = []) => port.postMessage(message, transfer);

// ---- questions to the main thread

const questions = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>();
let nextQuestion = 1;
function ask<T>(what: 'headers' | 'renew' | 'sleep', arg?: unknown): Promise<T> {
  const id = nextQuestion++;
  post({ t: 'ask', id, what, arg });
  return new Promise<T>((resolve, reject) => questions.set(id, { resolve: resolve as (v: unknown) => void, reject }));
}

function remember(headers: Record<string, string>): Record<string, string> {
  for (const value of Object.values(headers)) {
    redact(value);
    redact(value.replace(/^Bearer\s+/i, ''));
  }
  return headers;
}

// Headers are asked again every few seconds, so a token the main thread renewed ahead of its expiry
// reaches this thread before the old one is refused.
const HEADERS_FOR_MS = 5_000;
let headers: { value: Record<string, string>; at: number } | null = null;
const auth: AuthProvider = {
  async headers() {
    if (!headers || Date.now() - headers.at > HEADERS_FOR_MS) headers = { value: remember(await ask('headers')), at: Date.now() };
    return headers.value;
  },
  async renewAfter401(errors, _signal, sent) {
    const answer = await ask<{ renewed: boolean; headers?: Record<string, string> }>('renew', { errors, sent });
    if (answer.renewed && answer.headers) headers = { value: remember(answer.headers), at: Date.now() };
    return answer.renewed;
  },
};

/** Backoff waits are the main thread's (its clock), cut short here when the job is cancelled. */
function sleepOnMainClock(ms: number, signal?: AbortSignal): Promise<void> {
  return abortable(ask<void>('sleep', ms), signal);
}

// ---- log lines: with the next job's answer, or in a message of their own at the end of the tick

let lines: Array<[level: 'info' | 'warn' | 'error', message: string]> = [];
/** The lines gathered so far, taken (each message to the main thread costs as much as a request). */
const takeLines = () => {
  const taken = lines;
  lines = [];
  return taken.length ? taken : undefined;
};
let later: NodeJS.Timeout | null = null;
let soon: NodeJS.Immediate | null = null;
const flushLines = () => {
  if (later) clearTimeout(later);
  if (soon) clearImmediate(soon);
  later = soon = null;
  const taken = takeLines();
  if (taken) post({ t: 'log', lines: taken });
};
/**
 * Info lines wait a little for the answer of the job they belong to (a message of their own per request
 * was a third of this thread's messages); a warning or an error goes at the end of the tick.
 */
const INFO_WAIT_MS = 250;
const say = (level: 'info' | 'warn' | 'error') => (message: string, ...details: unknown[]) => {
  lines.push([level, describe(message, details)]);
  if (level !== 'info') soon ??= setImmediate(flushLines);
  else later ??= setTimeout(flushLines, INFO_WAIT_MS);
};
const log: Logger = { info: say('info'), warn: say('warn'), error: say('error') };

// ---- reading

const client = createBillitClient({
  baseUrl: data.baseUrl,
  auth,
  accountantPartyId: data.accountantPartyId,
  timing: { ...data.timing, sleep: sleepOnMainClock },
  logger: log,
});
const downloads = orderDownloads(client);
const running = new Map<number, AbortController>();
const CONFIRMS_AT_ONCE = 16;

const jobs: { [K in JobKind]: (arg: Jobs[K]['arg'], signal: AbortSignal) => Promise<Jobs[K]['result']> } = {
  document: (job, signal) => readDocument(downloads, job, signal),
  coda: (item, signal) => readCoda(client, item, signal),
  confirm: async ({ items, delivered }, signal) => {
    const confirmed: number[] = [];
    const failed: Array<{ feedItemId: number; error: WireError }> = [];
    let next = 0;
    // As many at once as the main thread would have had in flight one by one.
    const lane = async () => {
      while (next < items.length) {
        const item = items[next++]!;
        try {
          await confirmDelivered(client, item, delivered, signal);
          confirmed.push(item.feedItemId);
        } catch (error) {
          if (signal.aborted) throw error;
          failed.push({ feedItemId: item.feedItemId, error: toWire(error) });
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONFIRMS_AT_ONCE, items.length) }, lane));
    return { confirmed, failed };
  },
};

/** The bytes' own buffers move to the main thread instead of being copied. */
function transferable(result: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const take = (b: unknown) => {
    if (b instanceof Uint8Array && b.byteOffset === 0 && b.byteLength === b.buffer.byteLength && b.buffer instanceof ArrayBuffer) out.add(b.buffer);
  };
  const r = result as { ubl?: unknown; pdf?: unknown; converted?: { statements: Array<{ input: { coda?: unknown } }> } } | null;
  take(r?.ubl);
  take(r?.pdf);
  for (const s of r?.converted?.statements ?? []) take(s.input.coda);
  return [...out];
}

port.on('message', (message: ToWorker) => {
  if (message.t === 'job') {
    const abort = new AbortController();
    // A page of confirmations has a request in flight per lane, each listening for the cancel.
    setMaxListeners(0, abort.signal);
    running.set(message.id, abort);
    const run = jobs[message.kind] as (arg: unknown, signal: AbortSignal) => Promise<unknown>;
    run(message.arg, abort.signal).then(
      (result) => {
        running.delete(message.id);
        post({ t: 'done', id: message.id, result, lines: takeLines() }, transferable(result));
      },
      (error: unknown) => {
        running.delete(message.id);
        post({ t: 'done', id: message.id, error: toWire(error), lines: takeLines() });
      },
    );
  } else if (message.t === 'cancel') {
    running.get(message.id)?.abort(new AppError('cancelled', 'The job was cancelled'));
  } else if (message.t === 'answer') {
    const q = questions.get(message.id);
    if (!q) return;
    questions.delete(message.id);
    if (message.error) q.reject(fromWire(message.error));
    else q.resolve(message.value);
  }
});
