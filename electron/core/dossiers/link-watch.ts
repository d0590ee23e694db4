/**
 * Link states that do not wait for a sync: while a link request is pending, Billit is asked again on a
 * timer, so "accepted" or "refused" shows up (and raises a notice) without the accountant doing anything.
 * Billit documents no rate limit; the one it states (the accountant feed) is once a minute, so that is
 * the default here too: one look per pending dossier per minute.
 */
import type { Logger } from '../log';
import type { DossierLinks } from './links';
import { systemClock, type Clock } from '../lib/time';

export const LINK_POLL_MS = 60_000;

export interface LinkWatchDeps {
  links: Pick<DossierLinks, 'anyPending' | 'pollPending' | 'refreshUnsettled'>;
  /** Wall-clock waits by default: a test clock that jumps ahead on every sleep would poll Billit in a loop. */
  clock?: Pick<Clock, 'sleep'>;
  log: Logger;
  intervalMs?: number;
  /** While true (offline), the timer keeps going but asks nothing. */
  paused(): boolean;
}

export interface LinkWatch {
  /** Something may have made a link pending: make sure the timer runs. */
  kick(): void;
  /** At start-up: one look at every unsettled dossier, then the timer while any link is pending. */
  start(): void;
  close(): Promise<void>;
}

export function watchLinks(deps: LinkWatchDeps): LinkWatch {
  const interval = deps.intervalMs ?? LINK_POLL_MS;
  const stop = new AbortController();
  let armed = false;
  let busy: Promise<unknown> = Promise.resolve();

  const look = (what: () => Promise<unknown>) => {
    busy = what().catch((error: unknown) => {
      if (!stop.signal.aborted) deps.log.warn('link states not refreshed', error);
    });
    return busy;
  };

  const arm = () => {
    if (armed || stop.signal.aborted || !deps.links.anyPending()) return;
    armed = true;
    (deps.clock ?? systemClock).sleep(interval, stop.signal).then(
      async () => {
        if (!deps.paused()) await look(() => deps.links.pollPending(null, stop.signal));
        armed = false;
        arm();
      },
      () => {
        armed = false;
      },
    );
  };

  return {
    kick: arm,
    start() {
      if (deps.paused()) return arm();
      void look(() => deps.links.refreshUnsettled(stop.signal)).then(arm);
    },
    async close() {
      stop.abort();
      await busy;
    },
  };
}
