/**
 * Errors cross the boundary as data with a code the UI translates; the message is
 * for logs and support, never shown raw when a translation exists.
 */
export const errorCodes = [
  'invalid-input',
  'unknown-call',
  'not-found',
  'conflict',
  'auth',
  'network',
  'timeout',
  'rate-limited',
  'remote',
  'keychain-unavailable',
  'database',
  'file-system',
  'busy',
  'cancelled',
  'internal',
  /** Billit or Venice Cloud answered with a reply that does not have the shape the app relies on. */
  'invalid-reply',
  /** "Export again" would copy files already delivered under an older layout: asked again with `relayout`. */
  'export-layout-changed',
  /** `exports.profile.set` asked to remove the office default profile. */
  'office-default-required',
  /** The app was told to work offline: calls that need Billit or Venice are refused until it is back. */
  'offline',
  /** "Send login data" for a dossier without an e-mail address. */
  'login-data.no-email',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

export interface ApiErrorData {
  code: ErrorCode;
  message: string;
  details?: unknown;
}

export class AppError extends Error {
  override readonly name = 'AppError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }

  toData(): ApiErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }
}

/** What a call resolves to on the wire: never a thrown exception across processes. */
export type Envelope<T> = { ok: true; value: T } | { ok: false; error: ApiErrorData };

export function isApiErrorData(value: unknown): value is ApiErrorData {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ApiErrorData).code === 'string' &&
    typeof (value as ApiErrorData).message === 'string'
  );
}
