import { describe, expect, it } from 'vitest';
import {
  HttpStatusError,
  IncompleteBodyError,
  RetryExhaustedError,
  backoffDelay,
  classifyFailure,
  parseRetryAfter,
  withRetry,
} from '../../../electron/core/http/retry';

const noSleep = { sleep: async () => {}, random: () => 0.5 };

describe('retry policy', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter('3', now)).toBe(3000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter('Thu, 01 Jan 2026 00:00:05 GMT', now)).toBe(5000);
    expect(parseRetryAfter('Wed, 31 Dec 2025 00:00:05 GMT', now)).toBe(0);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });

  it('backs off exponentially, capped, with jitter in [step/2, step]', () => {
    const policy = (r: number) => ({ baseDelayMs: 100, maxDelayMs: 1000, random: () => r });
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy(0)))).toEqual([50, 100, 200, 400, 500]);
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy(0.999999)))).toEqual([100, 200, 400, 800, 1000]);
    const draws = new Set(Array.from({ length: 50 }, () => backoffDelay(4, { baseDelayMs: 100, maxDelayMs: 1000 })));
    expect(draws.size).toBeGreaterThan(10);
  });

  it('retries network errors, timeouts, incomplete bodies, 5xx, 408 and 429 — not other 4xx', () => {
    const retryable = (e: unknown) => classifyFailure(e).retryable;
    expect(retryable(new TypeError('fetch failed'))).toBe(true);
    expect(retryable(new TypeError('terminated'))).toBe(true);
    expect(retryable(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(retryable(new DOMException('timed out', 'TimeoutError'))).toBe(true);
    expect(retryable(new IncompleteBodyError('half'))).toBe(true);
    for (const s of [500, 502, 503, 504, 408, 429]) expect(retryable(new HttpStatusError(s, null))).toBe(true);
    for (const s of [400, 401, 403, 404, 409]) expect(retryable(new HttpStatusError(s, null))).toBe(false);
    expect(retryable(new Error('bug'))).toBe(false);
    const aborted = new AbortController();
    aborted.abort();
    expect(classifyFailure(new TypeError('fetch failed'), aborted.signal).kind).toBe('cancelled');
  });

  it('waits what Retry-After asks, plus a little jitter', async () => {
    const waits: number[] = [];
    let n = 0;
    const result = await withRetry(
      async () => {
        if (++n < 3) throw new HttpStatusError(429, null, 2000);
        return 'ok';
      },
      { ...noSleep, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe('ok');
    expect(waits).toHaveLength(2);
    for (const w of waits) expect(w).toBeGreaterThanOrEqual(2000);
  });

  it('gives up after the retries with the last failure, and refuses a Retry-After beyond the limit', async () => {
    let n = 0;
    const failing = withRetry(
      async () => {
        n++;
        throw new HttpStatusError(503, { error: { code: '', message: 'down' } });
      },
      { ...noSleep, retries: 2 },
    );
    await expect(failing).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(n).toBe(3);
    const tooLong = await withRetry(async () => {
      throw new HttpStatusError(429, null, 10 * 60_000);
    }, noSleep).catch((e: RetryExhaustedError) => e);
    expect(tooLong.retryAfterTooLong).toBe(true);
    expect(tooLong.attempts).toBe(1);
  });

  it('does not retry what the caller forbids, nor a non-retryable status', async () => {
    let n = 0;
    await expect(
      withRetry(
        async () => {
          n++;
          throw new TypeError('fetch failed');
        },
        { ...noSleep, mayRetry: () => false },
      ),
    ).rejects.toBeInstanceOf(RetryExhaustedError);
    expect(n).toBe(1);
    n = 0;
    await expect(
      withRetry(async () => {
        n++;
        throw new HttpStatusError(401, null);
      }, noSleep),
    ).rejects.toMatchObject({ failure: { kind: 'http', status: 401, retryable: false } });
    expect(n).toBe(1);
  });

  it('times out an attempt that hangs and tries again', async () => {
    let n = 0;
    const result = await withRetry(
      (signal) =>
        new Promise<string>((resolve, reject) => {
          n++;
          if (n > 1) return resolve('second');
          signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        }),
      { ...noSleep, timeoutMs: 50 },
    );
    expect(result).toBe('second');
  });
});
