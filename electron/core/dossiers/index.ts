/**
 * The dossiers room: the office's Venice dossiers and their Billit companies. What Billit knows of each
 * enterprise number, "Add or resync" (the company, and the dossier's customers and suppliers), the link
 * request and its state (looked at on a timer while one is pending), and "send login data".
 */
import type { Cache } from '../cache';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { Clock } from '../lib/time';
import { dossierHandlers } from './handlers';
import { watchLinks, type LinkWatch } from './link-watch';
import { DossierLinks } from './links';
import type { BillitCompanies, VeniceSource } from './ports';

export { dossierOrThrow } from './handlers';
export type { DossierLinks } from './links';
export type { LinkWatch } from './link-watch';

export interface DossiersModuleOptions {
  cache: Cache;
  billit: BillitCompanies;
  venice: VeniceSource;
  events: EventBus;
  log: Logger;
  clock: Clock;
  /** How often pending link requests are looked at (default once a minute). */
  linkPollMs?: number;
  /** Told to work offline: no link check. */
  offline(): boolean;
}

export interface DossiersModule {
  handlers: ReturnType<typeof dossierHandlers>;
  links: DossierLinks;
  linkWatch: LinkWatch;
  close(): Promise<void>;
}

export function createDossiersModule(options: DossiersModuleOptions): DossiersModule {
  const { cache, events, log, clock } = options;
  const links = new DossierLinks({
    billit: options.billit,
    venice: options.venice,
    cache,
    log,
    now: () => clock.now(),
    onChanged: (ids) => events.emit('dossiers.changed', { ids }),
    onLinkChanged: (change) => {
      log.info(`dossier ${change.id}: Billit state ${change.previous} → ${change.status}`);
      events.emit('dossiers.linkChanged', change);
    },
  });
  const linkWatch = watchLinks({ links, log, intervalMs: options.linkPollMs, paused: options.offline });
  return {
    handlers: dossierHandlers({ cache, links, linkWatch }),
    links,
    linkWatch,
    close: () => linkWatch.close(),
  };
}
