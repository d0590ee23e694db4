/**
 * The core, assembled: the cache, the keychain, the office's Billit and Venice Cloud (its accounts, or the
 * demo office the host passes in), and the rooms, whose handlers make the API (`handlers.ts`).
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../shared/api';
import { defaultProfile } from '../../shared/export';
import { appHandlers, type DesktopCapabilities } from './app/handlers';
import { createNetwork } from './app/network';
import { openCache } from './cache';
import { createChecksModule, type ChecksModule } from './checks';
import { dispatch } from './dispatch';
import { documentHandlers } from './documents/handlers';
import { createDossiersModule } from './dossiers';
import { createEventBus, type EventListener } from './events';
import { browserExportHost, createExportModule, type DragOut, type ExportHost } from './export';
import { handlerMap } from './handlers';
import { createFileLogger, type Logger } from './log';
import { accountVerifier, billitBases, connect, connectAccounts, runningElsewhere, switchable, type ConnectTiming, type DemoOfficeChoice, type StartedOffice } from './office/connect';
import { ensurePrivateDir, logDirOf } from './paths';
import { createSecretStore } from './secrets';
import { createSettingsModule } from './settings';
import { systemClock, type Clock } from './lib/time';
import { cacheExportSource, createSyncModule, serviceExporter, type EngineOptions } from './sync';

export type { DemoOfficeChoice, OfficeEndpoints, StartedOffice, StartOffice } from './office/connect';

export interface CoreConfig<O extends StartedOffice = StartedOffice> {
  dataDir: string;
  version: string;
  host: 'electron' | 'browser';
  /** Echo log lines on stdout (command-line hosts). */
  logToConsole?: boolean;
  /**
   * The demo office used when no account is configured: how to start one (the host that assembles the app
   * decides which, and the core never carries it), or one already running elsewhere (a test's, outliving the
   * cores it starts).
   */
  demo: DemoOfficeChoice<O>;
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
  /** How often pending link requests are looked at (default once a minute; tests make it short). */
  linkPollMs?: number;
  /**
   * What only a desktop host can do (Electron: `shell.openPath`, `dialog.showOpenDialog`). Browser mode has
   * none: "open logs" shows the last log lines instead, and the export root is typed.
   */
  desktop?: DesktopCapabilities;
  /**
   * The official checks: the rules folder (default the app's `resources/rules`), worker threads (default one
   * per core, at most 2), and whether stored documents are checked in the background (default true; a
   * document the user opens is checked either way).
   */
  checks?: { rulesDir?: string; workers?: number; background?: boolean };
}

export type { DesktopCapabilities };

/** Everything a host needs: the handler map, the event stream and a clean shutdown. */
export interface Core<O extends StartedOffice = StartedOffice> {
  readonly handlers: Handlers;
  readonly log: Logger;
  /** Validate, run, and wrap a call from a host: the only way hosts reach a handler. */
  call(channel: unknown, input: unknown): ReturnType<typeof dispatch>;
  subscribe(listener: EventListener): () => void;
  /** The demo office this core started, when it runs in demo mode with its own (for tests and the demo CLI). */
  readonly demoOffice: O | null;
  /**
   * Billit sent the browser back after an OAuth sign-in (`billit-venice-link://oauth/callback?code=…&state=…`,
   * or the web host's `/oauth/callback?…`). The outcome reaches the UI as `settings.signIn`.
   */
  handleDeepLink(url: string): Promise<void>;
  /** Where Billit must send the browser back after a sign-in (browser mode: the web host's own address). */
  setOAuthRedirectUri(uri: string): void;
  /** Prepared drag-out files: the Electron host starts OS drags from them, the web host serves them as downloads. */
  readonly dragOut: DragOut;
  /** The official and Venice checks (tests wait on `checks.idle()`). */
  readonly checks: ChecksModule;
  close(): Promise<void>;
}

/** The one factory both hosts use; its handler map *is* the API. */
export async function createCore<O extends StartedOffice>(config: CoreConfig<O>): Promise<Core<O>> {
  ensurePrivateDir(config.dataDir);
  const logDir = logDirOf(config.dataDir);
  const log = createFileLogger(logDir, config.logToConsole);
  const events = createEventBus();
  const closers: Array<() => Promise<void> | void> = [];

  const cache = openCache(path.join(config.dataDir, 'cache.sqlite'), { log });
  closers.push(() => cache.close());
  const secrets = createSecretStore({ log, service: config.keychainService });
  void secrets.probe(); // at start; calls that need the result wait for it

  const clock = config.clock ?? systemClock;
  const connectOptions = { cache, secrets, log, clock, demo: config.demo, timing: config.timing };
  const connection = switchable(await connect(connectOptions));
  closers.push(() => connection.close());
  const demoUrls = () => connection.demoOffice ?? runningElsewhere(config.demo);

  const network = createNetwork((offline) => {
    log.info(offline ? 'working offline' : 'back online');
    // The demo office really goes away: what still works offline is what the cache serves.
    connection.demoOffice?.setOffline(offline);
    events.emit('app.network', { offline });
  });
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
  // Released documents are exported by the same path as the sync's; the checks decide what that path holds back.
  const checks: ChecksModule = createChecksModule({
    cache,
    events,
    log,
    exporter: serviceExporter(exportsModule.service, cache, (dossier, ids) => checks.toHold(dossier, ids)),
    ...config.checks,
  });
  closers.push(() => checks.close());
  const offline = () => network.offline;
  const dossiers = createDossiersModule({
    cache,
    billit: connection.billit,
    venice: connection.venice,
    events,
    log,
    clock,
    linkPollMs: config.linkPollMs,
    offline,
  });
  closers.push(() => dossiers.close());
  const sync = createSyncModule({
    cache,
    billit: connection.billit,
    workers: connection.workers,
    dossiers,
    exports: exportsModule,
    events,
    log,
    clock,
    engine: config.sync,
    offline,
    checks,
  });
  closers.push(() => sync.close());

  const settings = createSettingsModule({
    cache,
    secrets,
    events,
    log,
    now: () => clock.now(),
    verifyAccount: accountVerifier({ secrets, log, clock, timing: config.timing, demo: demoUrls }),
    billitBases: (environment) => billitBases(environment, demoUrls),
  });

  /** First run, "use my accounts": the core leaves the demo office for them. */
  const useAccounts = async () => {
    const next = await connectAccounts(connectOptions);
    if (!next) return connection.mode;
    await sync.runner.cancelAndWait();
    const wasDemo = connection.mode === 'demo';
    await connection.replace(next);
    // The demo office's dossiers are not the office's: they leave the cache with everything cached for them.
    if (wasDemo) for (const d of cache.dossiers.all()) await cache.dossiers.remove(d.id);
    events.emit('dossiers.changed', { ids: [] });
    log.info('now using the configured accounts');
    return connection.mode;
  };

  const handlers: Handlers = handlerMap(
    {
      app: appHandlers({
        config,
        logDir,
        mode: () => connection.mode,
        accounts: () => cache.accounts.list().map(({ kind, label, environment, lastVerifiedAt }) => ({ kind, label, environment, lastVerifiedAt })),
        keychain: () => secrets.status(),
        choices: { get: (key) => cache.cursors.get(key), set: (key, value) => cache.cursors.set(key, value) },
        offline: {
          get: () => network.offline,
          set: (offline) => {
            if (network.set(offline) && !offline) dossiers.linkWatch.kick();
          },
        },
        useAccounts,
        exportRoot: () => exportsModule.service.profile(null).profile.root,
        onLanguage: (language) => events.emit('app.language', { language }),
      }),
      settings: settings.handlers,
      dossiers: dossiers.handlers,
      documents: documentHandlers({ cache, exports: exportsModule, checks }),
      sync: sync.handlers,
      exports: exportsModule.handlers,
      checks: checks.handlers,
    },
    network,
  );
  await checks.startup();
  dossiers.linkWatch.start();
  if (config.syncOnStartup !== false) await sync.startup();

  log.info(`core started (${config.host}, data in ${config.dataDir})`);
  return {
    handlers,
    log,
    call: (channel, input) => dispatch(handlers, channel, input, log),
    subscribe: events.subscribe,
    get demoOffice() {
      return connection.demoOffice;
    },
    dragOut: exportsModule.dragOut,
    handleDeepLink: (url) => settings.handleDeepLink(url),
    setOAuthRedirectUri: (uri) => settings.useRedirectUri(uri),
    checks,
    async close() {
      for (const close of closers.reverse()) await close();
      log.info('core stopped');
    },
  };
}

