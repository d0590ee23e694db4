import fs from 'node:fs';
import path from 'node:path';
import type { Handlers } from '../../shared/api';
import { appHandlers } from './app-info';
import { openCache } from './cache';
import { dispatch } from './dispatch';
import { createEventBus, type EventListener } from './events';
import { createFileLogger, type Logger } from './log';
import { ensurePrivateDir, logDirOf } from './paths';
import { createSecretStore } from './secrets';
import { browserExportHost, createExportModule, type DragOut, type ExportHost } from './export';
import { defaultProfile } from '../../shared/export';
import { cacheExportSource, createSyncModule, serviceExporter, systemClock, type Clock, type EngineOptions } from './sync';
import { accountVerifier, billitBases, connect, switchable, type ConnectTiming, type RunningDemoOffice } from './sync/connect';
import { AppError } from '../../shared/api';
import { createNetwork, guardOffline } from './network';
import { saveBillitOAuthAccount, settingsHandlers } from './secrets/settings-handlers';
import { billitSignIn } from './sign-in';
import { createChecksModule, type ChecksModule } from './checks';
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
export async function createCore(config: CoreConfig): Promise<Core> {
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
  const demoUrls = () => connection.demoOffice ?? (config.demo && 'office' in config.demo ? config.demo.office : null);

  const network = createNetwork((offline) => {
    log.info(offline ? 'working offline' : 'back online');
    // The demo office really goes away: what still works offline is what the cache serves.
    const office = connection.demoOffice;
    if (office) {
      const faults = config.demo && 'faults' in config.demo ? config.demo.faults : undefined;
      const drop = [{ kind: 'drop-connection' as const, when: 'before' as const }];
      office.billit.server.setFaults(offline ? drop : (faults?.billit ?? []));
      office.venice.server.setFaults(offline ? drop : (faults?.venice ?? []));
    }
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
    linkPollMs: config.linkPollMs,
    offline: () => network.offline,
    checks,
  });
  closers.push(() => sync.close());

  const verifyAccount = accountVerifier({ secrets, log, clock, timing: config.timing, demo: demoUrls });
  const settings = settingsHandlers({ cache, secrets, log, verifyAccount });
  const signIn = billitSignIn({
    log,
    now: () => clock.now(),
    bases: (environment) => billitBases(environment, demoUrls),
    async assertKeychain() {
      const keychain = await secrets.status();
      if (!keychain.available) throw new AppError('keychain-unavailable', `The keychain is unavailable: ${keychain.reason ?? 'unknown reason'}`);
    },
    async save(environment, client, tokens) {
      const account = await saveBillitOAuthAccount({ cache, secrets }, environment, client, tokens);
      try {
        return await settings['settings.verifyAccount']({ id: account.id });
      } catch (error) {
        log.warn(`Billit sign-in stored for ${account.id} but not verified`, error);
        return (await settings['settings.accounts'](undefined)).find((a) => a.id === account.id)!;
      }
    },
    emit: (payload) => events.emit('settings.signIn', payload),
  });

  /** First run, "use my accounts": the core leaves the demo office for them. */
  const useAccounts = async () => {
    const next = await connect({ ...connectOptions, preferAccounts: true });
    if (next.mode !== 'live') {
      await next.close();
      return connection.mode;
    }
    await sync.runner.cancelAndWait();
    const wasDemo = connection.mode === 'demo';
    await connection.replace(next);
    // The demo office's dossiers are not the office's: they leave the cache with everything cached for them.
    if (wasDemo) for (const d of cache.dossiers.all()) await cache.dossiers.remove(d.id);
    events.emit('dossiers.changed', { ids: [] });
    log.info('now using the configured accounts');
    return connection.mode;
  };

  const handlers: Handlers = guardOffline(
    {
      ...appHandlers({
        config,
        logDir,
        mode: () => connection.mode,
        accounts: () => cache.accounts.list().map(({ kind, label, environment, lastVerifiedAt }) => ({ kind, label, environment, lastVerifiedAt })),
        keychain: () => secrets.status(),
        choices: { get: (key) => cache.cursors.get(key), set: (key, value) => cache.cursors.set(key, value) },
        offline: {
          get: () => network.offline,
          set: (offline) => {
            if (network.set(offline) && !offline) sync.linkWatch.kick();
          },
        },
        useAccounts,
        exportRoot: () => exportsModule.service.profile(null).profile.root,
        onLanguage: (language) => events.emit('app.language', { language }),
      }),
      ...settings,
      'settings.billitSignIn': (input) => signIn.start(input),
      ...exportsModule.handlers,
      ...sync.handlers,
      ...checks.handlers,
    },
    network,
  );
  await checks.startup();
  sync.linkWatch.start();
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
    async handleDeepLink(url) {
      await signIn.handleDeepLink(url);
    },
    setOAuthRedirectUri: (uri) => signIn.useRedirectUri(uri),
    checks,
    async close() {
      for (const close of closers.reverse()) await close();
      log.info('core stopped');
    },
  };
}

