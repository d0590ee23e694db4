import { AppError, type ErrorCode } from '../../../shared/api/errors';
import { scrub } from '../log';

/** One entry of Billit's error body `{"errors":[{"Code","Description"}]}`. */
export interface BillitErrorEntry {
  Code: string;
  Description?: string;
}

export interface BillitErrorDetails {
  /** HTTP status, 0 when no response arrived. */
  status: number;
  method: string;
  /** Path (and query) of the request; never carries a credential. */
  path: string;
  /** Billit's own errors array, as sent. */
  errors: BillitErrorEntry[];
  /** Attempts made (1 = no retry). */
  attempts: number;
  /** For 429: how long Billit asked us to wait. */
  retryAfterMs?: number;
}

export const AUTH_HINT = 'check your API key / environment (production or sandbox) and the company (PartyID)';

/**
 * A failed Billit call, as an AppError (so it crosses to the UI as `{code, message, details}`), carrying
 * Billit's errors array. Messages pass through `scrub()` so a secret echoed by the server never leaks.
 */
export class BillitError extends AppError {
  declare readonly details: BillitErrorDetails;
  readonly status: number;
  readonly errors: BillitErrorEntry[];
  readonly method: string;
  readonly path: string;
  readonly attempts: number;
  readonly retryAfterMs?: number;
  /**
   * True when a retried POST was refused because its idempotency key had already succeeded: the change was
   * made by an earlier attempt whose reply was lost.
   */
  readonly alreadyApplied: boolean;

  constructor(code: ErrorCode, message: string, details: BillitErrorDetails, alreadyApplied = false) {
    const safe = scrub(message);
    const errors = details.errors.map((e) => ({ Code: scrub(e.Code), Description: e.Description === undefined ? undefined : scrub(e.Description) }));
    super(code, safe, { ...details, path: scrub(details.path), errors });
    this.status = details.status;
    this.errors = errors;
    this.method = details.method;
    this.path = scrub(details.path);
    this.attempts = details.attempts;
    this.retryAfterMs = details.retryAfterMs;
    this.alreadyApplied = alreadyApplied;
  }

  /** True when Billit's errors array contains this code (case-insensitive). */
  hasCode(code: string): boolean {
    return this.errors.some((e) => e.Code.toLowerCase() === code.toLowerCase());
  }
}

/**
 * The client's own refusal to poll an accountant feed again within Billit's minute: nothing reached Billit.
 * `details.retryAfterMs` says when the next poll may go, as Billit's own 429 would.
 */
export class FeedPollTooSoonError extends AppError {
  declare readonly details: { retryAfterMs: number };
  constructor(
    feed: string,
    readonly retryAfterMs: number,
  ) {
    super('rate-limited', `Billit's feed '${feed}' may be polled once a minute; next poll in ${Math.ceil(retryAfterMs / 1000)} s.`, { retryAfterMs });
  }
}

/** A downloaded file whose SHA-256 does not match the one Billit published: never written anywhere. */
export class BillitIntegrityError extends BillitError {}

/** Billit's error body, whatever shape it came in. */
export function readErrors(body: unknown): BillitErrorEntry[] {
  if (!body || typeof body !== 'object') return [];
  const list = (body as { errors?: unknown; Errors?: unknown }).errors ?? (body as { Errors?: unknown }).Errors;
  if (Array.isArray(list)) {
    return list
      .filter((e): e is Record<string, unknown> => !!e && typeof e === 'object')
      .map((e) => ({
        Code: String(e.Code ?? e.code ?? 'Unknown'),
        Description: e.Description === undefined && e.description === undefined ? undefined : String(e.Description ?? e.description),
      }));
  }
  const single = body as Record<string, unknown>;
  if (typeof single.Code === 'string') return [{ Code: single.Code, Description: typeof single.Description === 'string' ? single.Description : undefined }];
  if (typeof single.ErrorMessage === 'string') return [{ Code: String(single.ErrorEnum ?? 'Error'), Description: single.ErrorMessage }];
  return [];
}

export function describeErrors(errors: BillitErrorEntry[]): string {
  return errors.map((e) => (e.Description ? `${e.Code}: ${e.Description}` : e.Code)).join('; ');
}

/** Map an HTTP failure to an AppError code and a message a person can act on. */
export function errorForStatus(details: BillitErrorDetails, alreadyApplied = false): BillitError {
  const { status, method, path } = details;
  const what = describeErrors(details.errors);
  const suffix = what ? ` (${what})` : '';
  if (status === 401 || status === 403) {
    return new BillitError('auth', `Billit refused the credentials for ${method} ${path}${suffix}: ${AUTH_HINT}.`, details);
  }
  if (status === 429) {
    const wait = details.retryAfterMs !== undefined ? `; retry after ${Math.ceil(details.retryAfterMs / 1000)} s` : '';
    return new BillitError('rate-limited', `Billit is rate-limiting ${method} ${path}${wait}${suffix}.`, details);
  }
  if (status === 404) return new BillitError('not-found', `Billit: not found for ${method} ${path}${suffix}.`, details);
  if (status === 409)
    return new BillitError(
      'conflict',
      alreadyApplied
        ? `Billit already processed ${method} ${path} (an earlier attempt succeeded)${suffix}.`
        : `Billit refused ${method} ${path} as a conflict${suffix}.`,
      details,
      alreadyApplied,
    );
  if (status >= 500) return new BillitError('remote', `Billit failed on ${method} ${path} (HTTP ${status})${suffix}.`, details);
  return new BillitError('remote', `Billit refused ${method} ${path} (HTTP ${status})${suffix}.`, details);
}
