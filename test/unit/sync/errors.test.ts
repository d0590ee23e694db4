import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { BillitError, BillitIntegrityError, FeedPollTooSoonError, errorForStatus } from '../../../electron/core/billit/errors';
import { RetryExhaustedError } from '../../../electron/core/http/retry';
import { isOffline } from '../../../electron/core/sync/engine';
import { fromWire, toWire } from '../../../electron/core/sync/worker-wire';

/** What a message between threads does to a value: the structured clone `postMessage` makes. */
const acrossThreads = (error: unknown) => fromWire(structuredClone(toWire(error)));

const details = (status: number) => ({ status, method: 'POST', path: '/v1/orders', errors: [{ Code: 'X', Description: 'y' }], attempts: 3 });

describe('errors from a sync worker', () => {
  it('arrive as the class they were thrown as, with the same code and Billit details', () => {
    const thrown = errorForStatus(details(503));
    const arrived = acrossThreads(thrown);
    expect(arrived).toBeInstanceOf(BillitError);
    expect(arrived).not.toBeInstanceOf(BillitIntegrityError);
    const billit = arrived as BillitError;
    expect([billit.code, billit.message, billit.status, billit.attempts, billit.errors]).toEqual([thrown.code, thrown.message, 503, 3, thrown.errors]);
    expect(billit.toData()).toEqual(thrown.toData());
  });

  it('keep "an earlier attempt already did it", which decides whether the main thread tries again', () => {
    const arrived = acrossThreads(errorForStatus(details(409), true));
    expect(arrived).toBeInstanceOf(BillitError);
    expect([arrived.code, (arrived as BillitError).alreadyApplied]).toEqual(['conflict', true]);
  });

  it('tell a file whose checksum failed apart from other Billit failures', () => {
    const arrived = acrossThreads(new BillitIntegrityError('remote', 'SHA-256 mismatch', { ...details(200), errors: [] }));
    expect(arrived).toBeInstanceOf(BillitIntegrityError);
    expect(arrived.code).toBe('remote');
  });

  it('keep an app error’s code and details, and turn anything else into an internal error with its message', () => {
    const app = acrossThreads(new AppError('network', 'gone', { attempts: 5 }));
    expect(app).toBeInstanceOf(AppError);
    expect(app).not.toBeInstanceOf(BillitError);
    expect(app.toData()).toEqual({ code: 'network', message: 'gone', details: { attempts: 5 } });
    expect(acrossThreads(new TypeError('boom')).toData()).toEqual({ code: 'internal', message: 'boom' });
  });
});

describe('offline, as the sync decides it', () => {
  it('is a network or timeout failure of a client, on either thread', () => {
    expect(isOffline(new AppError('network', 'gone'))).toBe(true);
    expect(isOffline(errorForStatus(details(503)))).toBe(false);
    expect(isOffline(acrossThreads(new BillitError('timeout', 'slow', { ...details(0), errors: [] })))).toBe(true);
    expect(isOffline(new RetryExhaustedError(new Error('reset'), { kind: 'network', retryable: true }, 5))).toBe(true);
    expect(isOffline(new RetryExhaustedError(new Error('401'), { kind: 'http', status: 401, retryable: false }, 1))).toBe(false);
    expect(isOffline(new FeedPollTooSoonError('feed', 1_000))).toBe(false);
  });

  it('is never read from a look-alike that is not one of the app’s errors', () => {
    expect(isOffline({ code: 'network' })).toBe(false);
    expect(isOffline(Object.assign(new Error('x'), { failure: { kind: 'timeout' } }))).toBe(false);
  });
});
