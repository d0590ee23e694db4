import ky, { type Options } from 'ky';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type { Logger } from '../log';
import { scrub } from '../log';
import { BillitError, errorForStatus, readErrors, type BillitErrorDetails } from './errors';
import { backoffDelay, parseRetryAfter } from '../http/retry';
import { sleep as defaultSleep } from '../lib/time';
import { createNodeFetch, type AbortInit } from '../http/fetch';
import { parseReply } from '../http/reply';
import type * as z from 'zod/mini';

/**
 * The one way this client talks HTTP to Billit: ky for the requests, and around it timeouts, retries with
 * exponential backoff and jitter (network errors, timeouts, 5xx, 429 honouring Retry-After), an idempotency
 * key on every POST (the same key on each retry, so a retried create never makes two), context headers,
 * credentials from an auth provider, and typed errors. Nothing here ever logs a header or a body.
 */

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** Timing knobs; tests keep delays tiny by injecting `sleep`, `random` and `now`. */
export interface TimingOptions {
  /** Per attempt, headers and body. Default 30 s. */
  timeoutMs?: number;
  /** Retries after the first attempt. Default 4. */
  retries?: number;
  /** First backoff step. Default 500 ms; doubles each retry. */
  baseDelayMs?: number;
  /** Backoff ceiling. Default 30 s. */
  maxDelayMs?: number;
  /** A longer Retry-After is not waited for: the call fails with 'rate-limited' and the delay. Default 120 s. */
  maxRetryAfterMs?: number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** [0, 1). */
  random?: () => number;
  now?: () => number;
}

export interface ResolvedTiming {
  timeoutMs: number;
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  random: () => number;
  now: () => number;
}

export function resolveTiming(t: TimingOptions = {}): ResolvedTiming {
  return {
    timeoutMs: t.timeoutMs ?? 30_000,
    retries: t.retries ?? 4,
    baseDelayMs: t.baseDelayMs ?? 500,
    maxDelayMs: t.maxDelayMs ?? 30_000,
    maxRetryAfterMs: t.maxRetryAfterMs ?? 120_000,
    sleep: t.sleep ?? defaultSleep,
    random: t.random ?? Math.random,
    now: t.now ?? Date.now,
  };
}

// Backoff, Retry-After and the cancellable sleep are shared with the Venice Cloud client.
export { backoffDelay, parseRetryAfter };

export interface RequestContext {
  /** The company the call acts for. */
  partyId?: number;
  /** The accountant's own company. */
  contextPartyId?: number;
}

export interface AuthProvider {
  /** Headers that authenticate a request (`ApiKey` or `Authorization`). */
  headers(signal?: AbortSignal): Promise<Record<string, string>>;
  /**
   * Called on a 401: return true when the credentials were renewed and the request should be sent again
   * (once). `errors` is Billit's errors array; `sent` the credential headers the refused request carried
   * (renewed meanwhile by another request: nothing to renew).
   */
  renewAfter401?(errors: ReturnType<typeof readErrors>, signal?: AbortSignal, sent?: Record<string, string>): Promise<boolean>;
}

export interface BillitRequest<S extends z.ZodMiniType = z.ZodMiniType> {
  method: HttpMethod;
  /**
   * The schema a 2xx reply must match (see `./schemas`): one that does not is refused whole with a
   * ReplyShapeError naming the field, and is not retried (the same question gets the same answer).
   */
  reply: S;
  /** `/v1/orders`, or a path + query taken from a NextPageLink. */
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  json?: unknown;
  context?: RequestContext;
  /** Default true; false for calls Billit documents as needing no credentials. */
  authenticated?: boolean;
  /** POST: default a fresh UUID, reused by every retry of this call. */
  idempotencyKey?: string;
  signal?: AbortSignal;
  /** Default true. */
  retry?: boolean;
}

export interface BillitResponse<T> {
  status: number;
  data: T;
  headers: Headers;
  attempts: number;
}

export interface TransportOptions {
  baseUrl: string;
  auth?: AuthProvider;
  timing?: TimingOptions;
  logger?: Logger;
  /** Extra headers on every request (e.g. a User-Agent). */
  headers?: Record<string, string>;
  /** Default: node:http with keep-alive (see `../http/fetch`). */
  fetch?: typeof globalThis.fetch;
}

// One pool of keep-alive sockets for every transport of the process: the sync and the UI talk to one host.
let sharedFetch: typeof globalThis.fetch | null = null;

/** Both spellings the docs use; Billit honours one of them. */
export const IDEMPOTENCY_HEADERS = ['Idempotency-Key', 'Idempotent-Key'] as const;

class AttemptFailure extends Error {
  constructor(
    readonly kind: 'network' | 'timeout' | 'status',
    message: string,
    readonly status = 0,
    readonly errors: ReturnType<typeof readErrors> = [],
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

export interface Transport {
  readonly baseUrl: string;
  readonly timing: ResolvedTiming;
  request<S extends z.ZodMiniType>(req: BillitRequest<S>): Promise<BillitResponse<z.output<S>>>;
  /** Resolve a NextPageLink to a URL on our own base (never send credentials to another host). */
  resolveLink(link: string): string;
}

function stripSlash(url: string): string {
  return url.replace(/\/+$/, '');
}

export function createTransport(options: TransportOptions): Transport {
  const baseUrl = stripSlash(options.baseUrl);
  const base = new URL(baseUrl);
  const timing = resolveTiming(options.timing);
  const log = options.logger;
  const client = ky.create({ retry: 0, timeout: false, throwHttpErrors: false, fetch: options.fetch ?? (sharedFetch ??= createNodeFetch()) });
  const fixedHeaders: Record<string, string> = { Accept: 'application/json', ...options.headers };

  function buildUrl(req: BillitRequest): string {
    const url = /^https?:\/\//i.test(req.path) ? new URL(req.path) : new URL(baseUrl + (req.path.startsWith('/') ? '' : '/') + req.path);
    for (const [k, v] of Object.entries(req.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.toString();
  }

  /** What the log and the errors show of a URL: path and query, relative to the base. */
  function showPath(url: string): string {
    const u = new URL(url);
    const prefix = base.pathname.replace(/\/$/, '');
    const path = prefix && u.pathname.startsWith(prefix) ? u.pathname.slice(prefix.length) : u.pathname;
    let shown = path + u.search;
    try {
      shown = decodeURIComponent(shown);
    } catch {
      // keep it encoded
    }
    return scrub(shown);
  }

  async function attempt(
    req: BillitRequest,
    url: string,
    headers: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: unknown; text: string }> {
    // One controller ends the attempt, on its timeout or on the caller's signal: cheaper per request than
    // combining signals with AbortSignal.any, which a sync does hundreds of thousands of times.
    const attemptEnd = new AbortController();
    const timer = setTimeout(() => attemptEnd.abort(new AttemptFailure('timeout', 'timed out')), timing.timeoutMs);
    const cancel = () => attemptEnd.abort(req.signal!.reason);
    req.signal?.addEventListener('abort', cancel, { once: true });
    try {
      req.signal?.throwIfAborted();
      const init: Options & AbortInit = {
        method: req.method,
        headers,
        body: req.json === undefined ? undefined : JSON.stringify(req.json),
        abortSignal: attemptEnd.signal,
      };
      const response = await client(url, init);
      const text = await response.text();
      let body: unknown;
      if (text.length > 0) {
        try {
          body = JSON.parse(text);
        } catch {
          body = undefined;
          const type = response.headers.get('content-type') ?? '';
          // A JSON reply that does not parse arrived incomplete: treat it like a dropped connection.
          if (/json/i.test(type)) throw new AttemptFailure('network', 'incomplete JSON reply');
        }
      }
      return { status: response.status, headers: response.headers, body, text };
    } catch (error) {
      if (error instanceof AttemptFailure) throw error;
      if (req.signal?.aborted) throw new AppError('cancelled', 'The Billit call was cancelled');
      if (attemptEnd.signal.aborted) throw new AttemptFailure('timeout', `no complete reply within ${timing.timeoutMs} ms`);
      const cause = (error as { cause?: { code?: string; message?: string } }).cause;
      throw new AttemptFailure('network', cause?.code ?? cause?.message ?? (error as Error).message ?? 'network error');
    } finally {
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', cancel);
    }
  }

  async function request<S extends z.ZodMiniType>(req: BillitRequest<S>): Promise<BillitResponse<z.output<S>>> {
    const url = buildUrl(req);
    const shown = showPath(url);
    const idempotencyKey = req.method === 'POST' ? (req.idempotencyKey ?? randomUUID()) : undefined;
    const maxAttempts = req.retry === false ? 1 : timing.retries + 1;
    let renewed = false;
    let attempts = 0;
    let lastFailure: AttemptFailure | null = null;

    while (attempts < maxAttempts) {
      attempts++;
      const headers: Record<string, string> = { ...fixedHeaders };
      if (req.json !== undefined) headers['Content-Type'] = 'application/json';
      if (req.context?.partyId !== undefined) headers.PartyID = String(req.context.partyId);
      if (req.context?.contextPartyId !== undefined) headers.ContextPartyID = String(req.context.contextPartyId);
      if (idempotencyKey) for (const h of IDEMPOTENCY_HEADERS) headers[h] = idempotencyKey;
      const credentials = req.authenticated !== false && options.auth ? await options.auth.headers(req.signal) : {};
      Object.assign(headers, credentials);

      const started = timing.now();
      let failure: AttemptFailure;
      try {
        const res = await attempt(req, url, headers);
        const ms = timing.now() - started;
        if (res.status >= 200 && res.status < 300) {
          log?.info(`billit ${req.method} ${shown} → ${res.status} (${ms} ms${attempts > 1 ? `, attempt ${attempts}` : ''})`);
          const data = parseReply(req.reply, res.body, { service: 'billit', operation: `${req.method} ${shown}` });
          return { status: res.status, data, headers: res.headers, attempts };
        }
        const errors = readErrors(res.body);
        log?.warn(`billit ${req.method} ${shown} → ${res.status} (${ms} ms)${errors.length ? ' ' + errors.map((e) => e.Code).join(',') : ''}`);
        if (res.status === 401 && !renewed && req.authenticated !== false && options.auth?.renewAfter401) {
          renewed = true;
          if (await options.auth.renewAfter401(errors, req.signal, credentials)) {
            attempts--; // renewing credentials is not a retry
            continue;
          }
        }
        const retryAfterMs = res.status === 429 ? parseRetryAfter(res.headers.get('retry-after'), timing.now()) : undefined;
        failure = new AttemptFailure('status', `HTTP ${res.status}`, res.status, errors, retryAfterMs);
        const retryable = res.status === 429 || res.status >= 500;
        if (!retryable) {
          const alreadyApplied =
            res.status === 409 && attempts > 1 && errors.some((e) => /idempot/i.test(e.Code) || /idempot/i.test(e.Description ?? ''));
          throw errorForStatus(details(req, shown, res.status, errors, attempts, retryAfterMs), alreadyApplied);
        }
      } catch (error) {
        if (!(error instanceof AttemptFailure)) throw error;
        failure = error;
        log?.warn(`billit ${req.method} ${shown}: ${failure.kind === 'timeout' ? 'timeout' : 'network error'} (${scrub(failure.message)})`);
      }
      lastFailure = failure;
      if (attempts >= maxAttempts) break;

      let delay = backoffDelay(attempts, timing);
      if (failure.status === 429 && failure.retryAfterMs !== undefined) {
        if (failure.retryAfterMs > timing.maxRetryAfterMs) break;
        delay = Math.max(failure.retryAfterMs, 0);
      }
      log?.warn(`billit ${req.method} ${shown}: retry ${attempts}/${maxAttempts - 1} in ${delay} ms`);
      try {
        await timing.sleep(delay, req.signal);
      } catch {
        throw new AppError('cancelled', 'The Billit call was cancelled');
      }
    }

    const f = lastFailure!;
    if (f.kind === 'timeout')
      throw new BillitError('timeout', `Billit did not answer ${req.method} ${shown} in time (${attempts} attempts).`, details(req, shown, 0, [], attempts));
    if (f.kind === 'network')
      throw new BillitError(
        'network',
        `Could not reach Billit for ${req.method} ${shown} (${scrub(f.message)}; ${attempts} attempts): check the network and the Billit address.`,
        details(req, shown, 0, [], attempts),
      );
    throw errorForStatus(details(req, shown, f.status, f.errors, attempts, f.retryAfterMs));
  }

  function details(
    req: BillitRequest,
    path: string,
    status: number,
    errors: BillitErrorDetails['errors'],
    attempts: number,
    retryAfterMs?: number,
  ): BillitErrorDetails {
    return { status, method: req.method, path, errors, attempts, ...(retryAfterMs !== undefined ? { retryAfterMs } : {}) };
  }

  return {
    baseUrl,
    timing,
    request,
    resolveLink(link: string): string {
      const target = new URL(link, baseUrl + '/');
      if (target.origin === base.origin) return target.toString();
      // Another host (or scheme): keep only path and query, on our own base.
      return base.origin + target.pathname + target.search;
    },
  };
}
