/**
 * Venice Cloud failures as `AppError`s the UI can translate. Venice answers errors as
 * `{"error":{"code":"errRecordLocked","message":"…"}}` (code may be empty); that code and the HTTP status
 * travel in `details`, never a credential (messages pass through `scrub`).
 */
import { AppError, type ErrorCode } from '../../../shared/api';
import { scrub } from '../log';
import type { RetryExhaustedError } from '../http/retry';
import { HttpStatusError } from '../http/retry';

export interface VeniceErrorDetails {
  service: 'venice';
  /** What the client was doing, e.g. "list the customers of dossier ACME001". */
  operation: string;
  status?: number;
  /** Venice's `error.code`. */
  veniceCode?: string;
  attempts?: number;
  retryAfterMs?: number;
}

export class VeniceError extends AppError {
  declare readonly details: VeniceErrorDetails;
  constructor(code: ErrorCode, message: string, details: VeniceErrorDetails) {
    super(code, scrub(message), details);
  }
  get status(): number | undefined {
    return this.details.status;
  }
  get veniceCode(): string | undefined {
    return this.details.veniceCode;
  }
}

/** `{"error":{"code","message"}}` from a parsed body, or nothing. */
export function veniceErrorBody(body: unknown): { code: string; message: string } | null {
  const error = (body as { error?: { code?: unknown; message?: unknown } } | null)?.error;
  if (!error || typeof error !== 'object') return null;
  return { code: typeof error.code === 'string' ? error.code : '', message: typeof error.message === 'string' ? error.message : '' };
}

export function fromFailure(failure: RetryExhaustedError, operation: string): VeniceError {
  const { lastError, attempts } = failure;
  const base: VeniceErrorDetails = { service: 'venice', operation, attempts };
  const kind = failure.failure.kind;
  if (kind === 'cancelled') return new VeniceError('cancelled', `Cancelled: ${operation}.`, base);
  if (kind === 'timeout') return new VeniceError('timeout', `Venice Cloud did not answer in time (${operation}).`, base);
  if (kind === 'network')
    return new VeniceError('network', `Could not reach Venice Cloud (${operation}): the connection failed or was cut off.`, base);
  if (lastError instanceof HttpStatusError) {
    const status = lastError.status;
    const body = veniceErrorBody(lastError.body);
    const details: VeniceErrorDetails = { ...base, status, ...(body?.code ? { veniceCode: body.code } : {}) };
    const said = body?.message ? ` Venice says: ${body.message}` : '';
    if (status === 401)
      return new VeniceError('auth', 'Venice Cloud refused the login: check the Venice login (user name and password of the office administrator).', details);
    if (status === 403)
      return /webconnect/i.test(`${body?.code} ${body?.message}`)
        ? new VeniceError('remote', `WebConnect is not activated for this dossier in Venice (${operation}): activate it in Venice first.`, details)
        : new VeniceError('auth', `The Venice login has no access here (${operation}): check the Venice login's rights.${said}`, details);
    if (status === 404) return new VeniceError('not-found', `Not found in Venice Cloud (${operation}).${said}`, details);
    if (status === 409 || status === 423 || /locked/i.test(body?.code ?? ''))
      return new VeniceError('busy', `Venice Cloud reports the record is in use (${operation}).${said}`, details);
    if (status === 429) {
      const retryAfterMs = lastError.retryAfterMs;
      return new VeniceError('rate-limited', `Venice Cloud asks to slow down (${operation}); try again later.`, {
        ...details,
        ...(retryAfterMs !== undefined ? { retryAfterMs } : {}),
      });
    }
    if (status >= 500) return new VeniceError('remote', `Venice Cloud had an error (${operation}, HTTP ${status}).${said}`, details);
    return new VeniceError('remote', `Venice Cloud refused the request (${operation}, HTTP ${status}).${said}`, details);
  }
  const message = lastError instanceof Error ? lastError.message : String(lastError);
  return new VeniceError('internal', `Unexpected failure talking to Venice Cloud (${operation}): ${message}`, base);
}
