/** What the sync's main thread and its worker threads say to each other (`workers.ts`, `worker.ts`). */
import { AppError, type ErrorCode } from '../../../shared/api/errors';
import { BillitError, type BillitErrorDetails } from '../billit/errors';
import type { TimingOptions } from '../billit/http';
import type { DocumentInput } from '../cache/types';
import type { FeedItemView, ReadCoda, ReadJob } from './ports';

export interface WireError {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export interface WorkerData {
  baseUrl: string;
  accountantPartyId?: number;
  timing: Pick<TimingOptions, 'timeoutMs' | 'retries' | 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>;
}

/** The work a worker does, with its argument and its result. */
export interface Jobs {
  document: { arg: ReadJob; result: DocumentInput };
  coda: { arg: FeedItemView; result: ReadCoda };
  confirm: { arg: { items: FeedItemView[]; delivered: string }; result: { confirmed: number[]; failed: Array<{ feedItemId: number; error: WireError }> } };
}
export type JobKind = keyof Jobs;

export type ToWorker =
  | { t: 'job'; id: number; kind: JobKind; arg: unknown }
  | { t: 'cancel'; id: number }
  | { t: 'answer'; id: number; value?: unknown; error?: WireError };

export type LogLines = Array<['info' | 'warn' | 'error', string]>;

export type FromWorker =
  | { t: 'done'; id: number; result?: unknown; error?: WireError; lines?: LogLines }
  | { t: 'ask'; id: number; what: 'headers' | 'renew' | 'sleep'; arg?: unknown }
  | { t: 'log'; lines: LogLines };

/** A Billit error that crossed from a worker: the same class, code and details as where it was thrown. */
export function fromWire(error: WireError): AppError {
  const d = error.details as Partial<BillitErrorDetails> | undefined;
  if (d && typeof d.status === 'number' && typeof d.method === 'string' && typeof d.path === 'string' && Array.isArray(d.errors))
    return new BillitError(error.code, error.message, d as BillitErrorDetails);
  return new AppError(error.code, error.message, error.details);
}

export function toWire(error: unknown): WireError {
  if (error instanceof AppError) return { code: error.code, message: error.message, details: error.details };
  return { code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
