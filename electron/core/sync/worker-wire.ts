/** What the sync's main thread and its worker threads say to each other (`workers.ts`, `worker.ts`). */
import { AppError, type ErrorCode } from '../../../shared/api/errors';
import { BillitError, BillitIntegrityError, type BillitErrorDetails } from '../billit/errors';
import type { TimingOptions } from '../billit/http';
import type { DocumentInput } from '../cache/types';
import type { FeedItemView, ReadCoda, ReadJob } from './ports';

/**
 * An error on its way between threads. Structured cloning keeps only an Error's message, so the class
 * travels as `kind` and the other side builds the same class again.
 */
export type WireError =
  | { kind: 'app'; code: ErrorCode; message: string; details?: unknown }
  | { kind: 'billit' | 'billit-integrity'; code: ErrorCode; message: string; details: BillitErrorDetails; alreadyApplied: boolean };

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

/** An error that crossed from the other thread: the same class, code and details as where it was thrown. */
export function fromWire(error: WireError): AppError {
  switch (error.kind) {
    case 'billit':
      return new BillitError(error.code, error.message, error.details, error.alreadyApplied);
    case 'billit-integrity':
      return new BillitIntegrityError(error.code, error.message, error.details, error.alreadyApplied);
    case 'app':
      return new AppError(error.code, error.message, error.details);
  }
}

export function toWire(error: unknown): WireError {
  if (error instanceof BillitError) {
    const kind = error instanceof BillitIntegrityError ? 'billit-integrity' : 'billit';
    return { kind, code: error.code, message: error.message, details: error.details, alreadyApplied: error.alreadyApplied };
  }
  if (error instanceof AppError) return { kind: 'app', code: error.code, message: error.message, details: error.details };
  return { kind: 'app', code: 'internal', message: error instanceof Error ? error.message : String(error) };
}
