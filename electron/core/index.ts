import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../shared/api';
import { appHandlers } from './app-info';
import { openCache } from './cache';
import { dispatch } from './dispatch';
import { createEventBus, type EventListener } from './events';
import { createFileLogger, type Logger } from './log';
import { logDirOf } from './paths';
import { createSecretStore } from './secrets';
import { settingsHandlers } from './secrets/settings-handlers';
import { browserExportHost, createExportModule, type DragOut, type ExportHost } from './export';
import { defaultProfile } from '../../shared/export';
import { cacheExportSource, createSyncModule, systemClock, type Clock, type EngineOptions } from './sync';
import { accountVerifier, connect, type ConnectTiming, type RunningDemoOffice } from './sync/connect';
import type { DemoOffice, DemoOfficeOptions } from '../demo/office';

export interface CoreConfig {
  dataDir: string;
  version: string;
  host: 'electron' | 'browser';
  /** Echo log lines on stdout (command-line hosts). */
  logToConsole?: boolean;
  /**
   * The demo office used when no account is configured: the world to seed and the faults to inject, or a
   * demo office already running elsewhere (a test's, outliving the cores it starts). Default: the built-in world.
   */
  demo?: Omit<DemoOfficeOptions, 'feeds'> | { office: RunningDemoOffice };
  /** The office's export root when none is chosen yet (demo default: `<dataDir>/Exports`). */
  exportRoot?: string;
  /** What the host can do with exported files (default: the browser host's downloads). */
  exportHost?: ExportHost;
  /** Retry and timeout knobs of both clients (tests keep them tiny). */
  timing?: ConnectTiming;
  /** Time for the schedule, the feed's once-a-minute rule and backoff waits (tests inject one). */
  clock?: Clock;
  /** Sync engine knobs (concurrency, page size, feed interval, offline probe). */
  sync?: EngineOptions;
  /** Start a sync at start-up when one is due (default true). */
  syncOnStartup?: boolean;
  /** The keychain service the credentials are stored under (default: the app id; tests use their own). */
  keychainService?: string;
  /** What only a desktop host can do for the core (Electron passes it; browser mode has none). */
  desktop?: DesktopCapabilities;
}

export interface DesktopCapabilities {
  /** Open a folder in the OS's file manager; '' when done, else the OS's error. */
  openFolder(dir: string): Promise<string>;
  /** The OS's folder picker; null when cancelled. */
  pickFolder(title: string): Promise<string | null>;
}

/** Everything a host needs: the handler map, the event stream and a clean shutdown. */
export interface Core {
  readonly handlers: Handlers;
  readonly log: Logger;
  /** Validate, run, and wrap a call from a host: the only way hosts reach a handler. */
  call(channel: unknown, input: unknown): ReturnType<typeof dispatch>;
  subscribe(listener: EventListener): () => void;
  /** The demo office this core started, when it runs in demo mode with its own (for tests and the demo CLI). */
  readonly demoOffice: DemoOffice | null;
  /** Prepared drag-out files: the Electron host starts OS drags from them, the web host serves them as downloads. */
  readonly dragOut: DragOut;
  /** A link the OS handed the app (`billit-venice-link://oauth/callback?code=…&state=…`, Billit's OAuth redirect). */
  handleDeepLink(url: string): Promise<void>;
  close(): Promise<void>;
}

/** The one factory both hosts use; its handler map *is* the API. */
export async function createCore(config: CoreConfig): Promise<Core> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const logDir = logDirOf(config.dataDir);
  const log = createFileLogger(logDir, config.logToConsole);
  const events = createEventBus();
  const closers: Array<() => Promise<void> | void> = [];

  const cache = openCache(path.join(config.dataDir, 'cache.sqlite'), { log });
  closers.push(() => cache.close());
  const secrets = createSecretStore({ log, service: config.keychainService });
  void secrets.probe(); // at start; calls that need the result wait for it

  const clock = config.clock ?? systemClock;
  const connection = await connect({ cache, secrets, log, clock, demo: config.demo, timing: config.timing });
  closers.push(() => connection.close());
  const exportsModule = createExportModule({
    dataDir: config.dataDir,
    source: cacheExportSource(cache),
    host: config.exportHost ?? browserExportHost(),
    log,
    onChanged: (summary) => events.emit('exports.changed', summary),
  });
  closers.push(() => exportsModule.close());
  const exportRoot = config.exportRoot ?? (connection.mode === 'demo' ? path.join(config.dataDir, 'Exports') : null);
  if (exportRoot && !exportsModule.ledger.getProfile(null)) {
    fs.mkdirSync(exportRoot, { recursive: true });
    await exportsModule.service.setProfile(null, defaultProfile(exportRoot));
  }
  const sync = createSyncModule({
    cache,
    billit: connection.billit,
    workers: connection.workers,
    venice: connection.venice,
    exports: exportsModule,
    events,
    log,
    clock,
    engine: config.sync,
  });
  closers.push(() => sync.close());

  const handlers: Handlers = {
    ...appHandlers({
      config,
      logDir,
      mode: connection.mode,
      accounts: () => cache.accounts.list().map(({ kind, label, environment, lastVerifiedAt }) => ({ kind, label, environment, lastVerifiedAt })),
      keychain: () => secrets.status(),
    }),
    ...settingsHandlers({ cache, secrets, log, verifyAccount: accountVerifier({ secrets, log, clock, timing: config.timing }) }),
    ...exportsModule.handlers,
    ...sync.handlers,
  };
  if (config.syncOnStartup !== false) await sync.startup();

  log.info(`core started (${config.host}, data in ${config.dataDir})`);
  return {
    handlers,
    log,
    call: (channel, input) => dispatch(handlers, channel, input, log),
    subscribe: events.subscribe,
    demoOffice: connection.demoOffice,
    dragOut: exportsModule.dragOut,
    async handleDeepLink() {
      // The OAuth sign-in that completes here is not built yet; the link carries a single-use code, so it is
      // neither kept nor logged.
      log.info('deep link received; no sign-in is waiting for it');
    },
    async close() {
      for (const close of closers.reverse()) await close();
      log.info('core stopped');
    },
  };
}

