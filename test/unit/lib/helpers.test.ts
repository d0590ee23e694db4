/**
 * The core's one copy of each small helper: hashing, waiting, bounded concurrency. Everything that hashes
 * a file, waits for a retry or limits requests relies on these, so they are checked here once.
 */
import { describe, expect, it } from 'vitest';
import { sha256 } from '../../../electron/core/lib/hash';
import { eachLimit, Limiter, mapLimit } from '../../../electron/core/lib/limit';
import { abortable, sleep } from '../../../electron/core/lib/time';

describe('sha256', () => {
  it('gives the standard digest of bytes and of a string’s UTF-8', () => {
    // FIPS 180-2 test vector.
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(sha256('abc')).toBe(abc);
    expect(sha256(new Uint8Array([0x61, 0x62, 0x63]))).toBe(abc);
    expect(sha256('é')).toBe(sha256(new Uint8Array([0xc3, 0xa9])));
  });
});

describe('sleep', () => {
  it('is cut short by an abort, with the signal’s reason', async () => {
    const controller = new AbortController();
    const waiting = sleep(60_000, controller.signal);
    controller.abort(new Error('stopped by the accountant'));
    await expect(waiting).rejects.toThrow('stopped by the accountant');
    await expect(sleep(10, AbortSignal.abort(new Error('already stopped')))).rejects.toThrow('already stopped');
  });

  it('abortable gives up on a wait that is not a timer, and passes its value through otherwise', async () => {
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const waiting = abortable(never, controller.signal);
    controller.abort(new Error('gone'));
    await expect(waiting).rejects.toThrow('gone');
    await expect(abortable(Promise.resolve(7), new AbortController().signal)).resolves.toBe(7);
  });
});

describe('bounded concurrency', () => {
  /** Work that records how many run at once and finishes in an order unrelated to the input's. */
  function tracked() {
    let active = 0;
    let peak = 0;
    const work = async (n: number) => {
      active++;
      peak = Math.max(peak, active);
      await new Promise((r) => setTimeout(r, (n * 7) % 5));
      active--;
      return n * 10;
    };
    return { work, peak: () => peak };
  }

  it('mapLimit keeps the input order and never runs more than the limit', async () => {
    const { work, peak } = tracked();
    const items = Array.from({ length: 20 }, (_, i) => i);
    expect(await mapLimit(items, 3, work)).toEqual(items.map((n) => n * 10));
    expect(peak()).toBe(3);
  });

  it('mapLimit stops taking new work after the first error and rethrows it', async () => {
    const started: number[] = [];
    const run = mapLimit([1, 2, 3, 4, 5, 6], 2, async (n) => {
      started.push(n);
      if (n === 2) throw new Error('item 2 failed');
      await new Promise((r) => setTimeout(r, 5));
      return n;
    });
    await expect(run).rejects.toThrow('item 2 failed');
    expect(started.length).toBeLessThan(6);
  });

  it('eachLimit runs every item; an empty list is no work', async () => {
    const seen: number[] = [];
    await eachLimit([3, 1, 2], 2, async (n) => void seen.push(n));
    expect(seen.sort()).toEqual([1, 2, 3]);
    await eachLimit([], 4, async () => {
      throw new Error('never called');
    });
  });

  it('a Limiter shared by several callers bounds them together', async () => {
    const limiter = new Limiter(2);
    const { work, peak } = tracked();
    await Promise.all([0, 1, 2].map((caller) => mapLimit([1, 2, 3, 4], 4, (n) => limiter.run(() => work(caller * 4 + n)))));
    expect(peak()).toBe(2);
  });
});
