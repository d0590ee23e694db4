import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { BillitError, decodeBase64, errorForStatus, readErrors } from '../../../electron/core/billit';
import { backoffDelay, parseRetryAfter } from '../../../electron/core/billit/http';
import { redact } from '../../../electron/core/log';

describe('Billit errors', () => {
  it('turns a 401 into an auth error that says to check the API key and environment', () => {
    const e = errorForStatus({ status: 401, method: 'GET', path: '/v1/orders', errors: [{ Code: 'ApiKeyNotValid' }], attempts: 1 });
    expect(e).toBeInstanceOf(AppError);
    expect(e.code).toBe('auth');
    expect(e.message).toContain('check your API key / environment');
    expect(e.toData().details).toMatchObject({ status: 401, errors: [{ Code: 'ApiKeyNotValid' }] });
  });

  it('maps statuses to codes and keeps Billit’s errors array', () => {
    const d = (status: number) => ({ status, method: 'POST', path: '/v1/orders', errors: [{ Code: 'X', Description: 'y' }], attempts: 2 });
    expect(errorForStatus(d(429)).code).toBe('rate-limited');
    expect(errorForStatus(d(500)).code).toBe('remote');
    expect(errorForStatus(d(400)).code).toBe('remote');
    expect(errorForStatus(d(404)).code).toBe('not-found');
    const dup = errorForStatus(d(409), true);
    expect([dup.code, dup.alreadyApplied]).toEqual(['conflict', true]);
    expect(errorForStatus(d(400)).errors).toEqual([{ Code: 'X', Description: 'y' }]);
  });

  it('never carries a registered secret, even when Billit echoes it', () => {
    const secret = 'abcd-secret-key-echoed-1234';
    redact(secret);
    const e = new BillitError('auth', `bad key ${secret}`, {
      status: 401,
      method: 'GET',
      path: `/v1/x?k=${secret}`,
      errors: [{ Code: 'ApiKeyNotValid', Description: `Key ${secret} is not valid` }],
      attempts: 1,
    });
    expect(JSON.stringify(e.toData()) + e.message).not.toContain(secret);
  });

  it('reads the error body in the shapes Billit uses', () => {
    expect(readErrors({ errors: [{ Code: 'A', Description: 'b' }] })).toEqual([{ Code: 'A', Description: 'b' }]);
    expect(readErrors({ Code: 'InvalidAccessToken' })).toEqual([{ Code: 'InvalidAccessToken', Description: undefined }]);
    expect(readErrors('<html>')).toEqual([]);
  });
});

describe('backoff and Retry-After', () => {
  it('grows exponentially with jitter inside [step/2, step] and stops at the ceiling', () => {
    const t = (r: number) => ({ baseDelayMs: 100, maxDelayMs: 1000, random: () => r });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, t(0)))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, t(0.999999)))).toEqual([100, 200, 400, 800, 1000]);
  });

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-05-01T10:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Fri, 01 May 2026 10:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe('helpers', () => {
  it('decodes base64 and refuses what is not', () => {
    expect(Buffer.from(decodeBase64('SGVsbG8=', 'x')).toString()).toBe('Hello');
    expect(() => decodeBase64('Hello!', 'x')).toThrow(/not valid base64/);
  });
});
