/**
 * Retrying HTTP calls, shared by the Billit and Venice Cloud clients.
 *
 * One attempt = one request *and* reading its body, so a dropped connection or a truncated body is
 * retried like a failed request. Retried: network errors, per-attempt timeouts, incomplete bodies, 5xx,
 * 408 and 429 (honouring `Retry-After`, seconds or an HTTP date). Not retried: other 4xx, and a
 * cancellation by the caller. Delays grow exponentially with jitter, capped.
 *
 * The clients use ky for the request itself with ky's own retry and timeout turned off: this module owns
 * both, because ky's timeout stops at the response headers and its retry never sees body errors.
 */
import { HTTPError } from 'ky';
import { sleep } from '../lib/time';

export interface RetryPolicy {
  /** Retries after the first attempt (default 4: five attempts in all). */
  retries: number;
  /** First backoff delay before jitter (default 250 ms). */
  baseDelayMs: number;
  /** Cap on one backoff delay (default 8 s). */
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the call fails as rate-limited (default 60 s). */
  maxRetryAfterMs: number;
  /** Per-attempt time limit covering the request and the whole body (default 30 s). */
  timeoutMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  retries: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  timeoutMs: 30_000,
};

export type FailureKind =
  /** The connection failed, was dropped, or the body ended early. */
  | 'network'
  /** The attempt ran past its time limit. */
  | 'timeout'
  /** The caller's signal aborted. */
  | 'cancelled'
  /** The server answered with an error status. */
  | 'http'
  /** Anything else (a bug, a body that is not what was expected). */
  | 'other';

export interface ClassifiedFailure {
  kind: FailureKind;
  retryable: boolean;
  status?: number;
  /** From a Retry-After header, in ms. */
  retryAfterMs?: number;
}

/** `Retry-After: 3` or `Retry-After: Wed, 21 Oct 2015 07:28:00 GMT` → milliseconds from `now` (≥ 0); undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (value == null || value.trim() === '') return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const at = Date.parse(text);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

function errorCode(error: unknown): string | undefined {
  let e: unknown = error;
  for (let depth = 0; depth < 4 && e && typeof e === 'object'; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/**
 * An error status a client read itself (with `throwHttpErrors: false`), after reading the body so the
 * server's error payload is at hand. ky's own `HTTPError` is classified the same way.
 */
export class HttpStatusError extends Error {
  override readonly name = 'HttpStatusError';
  constructor(
    readonly status: number,
    /** The parsed body (JSON) or its text, for the client's error mapping. */
    readonly body: unknown,
    readonly retryAfterMs?: number,
  ) {
    super(`HTTP ${status}`);
  }
}

/** Marks a failure the caller decided is a truncated/incomplete body (e.g. JSON that does not parse). */
export class IncompleteBodyError extends Error {
  override readonly name = 'IncompleteBodyError';
}

export function classifyFailure(error: unknown, callerSignal?: AbortSignal): ClassifiedFailure {
  if (callerSignal?.aborted) return { kind: 'cancelled', retryable: false };
  if (error instanceof HttpStatusError) {
    const status = error.status;
    const retryable = status === 408 || status === 429 || status >= 500;
    return { kind: 'http', status, retryable, ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}) };
  }
  if (error instanceof HTTPError) {
    const status = error.response.status;
    const retryable = status === 408 || status === 429 || status >= 500;
    const retryAfterMs = parseRetryAfter(error.response.headers.get('retry-after'));
    return { kind: 'http', status, retryable, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }
  const name = (error as { name?: unknown })?.name;
  if (name === 'TimeoutError') return { kind: 'timeout', retryable: true };
  if (name === 'AbortError') return { kind: 'cancelled', retryable: false };
  if (error instanceof IncompleteBodyError) return { kind: 'network', retryable: true };
  const code = errorCode(error);
  if (code && NETWORK_CODES.has(code)) return { kind: 'network', retryable: true };
  // undici: "fetch failed" (connect/reset), "terminated" (body cut short), "other side closed".
  if (error instanceof TypeError && /fetch failed|terminated|other side closed|socket|network/i.test(error.message))
    return { kind: 'network', retryable: true };
  return { kind: 'other', retryable: false };
}

/**
 * Exponential backoff with "equal jitter": the step is min(max, base·2^(retry−1)); half of it is fixed and
 * half random, so clients spread out yet never retry at once.
 */
export function backoffDelay(retry: number, timing: { baseDelayMs: number; maxDelayMs: number; random?: () => number }): number {
  const step = Math.min(timing.maxDelayMs, timing.baseDelayMs * 2 ** Math.max(0, retry - 1));
  return Math.round(step / 2 + (timing.random ?? Math.random)() * (step / 2));
}

export interface RetryInfo {
  /** 1-based number of the retry about to happen. */
  retry: number;
  delayMs: number;
  failure: ClassifiedFailure;
  error: unknown;
}

export interface RetryOptions extends Partial<RetryPolicy> {
  signal?: AbortSignal;
  /** Called before each wait (for logging). */
  onRetry?: (info: RetryInfo) => void;
  /**
   * Decide whether a retryable failure may be retried for this call (e.g. a create after an ambiguous
   * failure). Default: yes.
   */
  mayRetry?: (failure: ClassifiedFailure, error: unknown) => boolean | Promise<boolean>;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export class RetryExhaustedError extends Error {
  override readonly name = 'RetryExhaustedError';
  constructor(
    readonly lastError: unknown,
    readonly failure: ClassifiedFailure,
    readonly attempts: number,
    /** Set when the server asked for a wait longer than the policy allows. */
    readonly retryAfterTooLong = false,
  ) {
    super(`Gave up after ${attempts} attempt(s)`);
  }
}

/** A signal for one attempt: aborts after `timeoutMs` (a TimeoutError) or when the caller's signal does. */
export function attemptSignal(timeoutMs: number, callerSignal?: AbortSignal): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
}

/**
 * Runs `attempt` until it succeeds, a failure is not retryable, or the retries are used up. `attempt`
 * receives the signal to pass to the request (per-attempt timeout + caller cancellation).
 * Throws `RetryExhaustedError` carrying the last error and its classification.
 */
export async function withRetry<T>(attempt: (signal: AbortSignal, attemptNumber: number) => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const policy: RetryPolicy = {
    retries: options.retries ?? defaultRetryPolicy.retries,
    baseDelayMs: options.baseDelayMs ?? defaultRetryPolicy.baseDelayMs,
    maxDelayMs: options.maxDelayMs ?? defaultRetryPolicy.maxDelayMs,
    maxRetryAfterMs: options.maxRetryAfterMs ?? defaultRetryPolicy.maxRetryAfterMs,
    timeoutMs: options.timeoutMs ?? defaultRetryPolicy.timeoutMs,
  };
  const wait = options.sleep ?? sleep;
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptSignal(policy.timeoutMs, options.signal), attemptNumber);
    } catch (error) {
      const failure = classifyFailure(error, options.signal);
      const retry = attemptNumber;
      if (!failure.retryable || retry > policy.retries) throw new RetryExhaustedError(error, failure, attemptNumber);
      if (failure.retryAfterMs !== undefined && failure.retryAfterMs > policy.maxRetryAfterMs)
        throw new RetryExhaustedError(error, failure, attemptNumber, true);
      if (options.mayRetry && !(await options.mayRetry(failure, error))) throw new RetryExhaustedError(error, failure, attemptNumber);
      // The server's Retry-After is a floor; jitter is added on top so clients do not return in step.
      const backoff = backoffDelay(retry, { ...policy, ...(options.random ? { random: options.random } : {}) });
      const delayMs = failure.retryAfterMs !== undefined ? failure.retryAfterMs + Math.round(backoff / 4) : backoff;
      options.onRetry?.({ retry, delayMs, failure, error });
      try {
        await wait(delayMs, options.signal);
      } catch {
        throw new RetryExhaustedError(error, { kind: 'cancelled', retryable: false }, attemptNumber);
      }
    }
  }
}
