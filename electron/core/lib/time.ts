/**
 * Time as the core uses it: one `sleep` that an abort cuts short, and the `Clock` the schedule, the feed's
 * once-a-minute rule and backoff waits read (tests inject one).
 */

/** Waits `ms`, or rejects with the signal's reason when it aborts first (the timer is cleared then). */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The same wait as `wait`, or the signal's reason when it aborts first (for waits that are not a local timer). */
export function abortable<T>(wait: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return wait;
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    wait.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

export interface Clock {
  now(): number;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep };
