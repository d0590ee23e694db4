/**
 * The packaged Electron bundle (`out/`), checked without Electron's binary: the main process and its
 * preload run under Node with Electron's module stubbed at its boundary (`electron-stub.mjs`), against
 * the real core; the sync worker's bundle runs as a worker thread; and each bundle's sources are listed
 * from its source map to see what it carries.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { calls } from '../../../shared/api';
import { contentSecurityPolicy } from '../../../electron/csp';
import { ensureBuilt } from '../../support/built';
import { repoRoot, tempDir } from '../../support/repo';

const harness = path.join(repoRoot, 'test/integration/shell/main-harness.mjs');

type MenuEntry = { id?: string; label?: string; enabled?: boolean };
/** What main-harness.mjs prints (see there). */
interface HarnessReport {
  error?: string;
  exitCode?: number;
  schemes: unknown[];
  protocolClients: unknown[];
  window: { url: string; preloadExists: boolean; webPreferences: Record<string, unknown> };
  protocol: { index: Record<string, unknown>; traversal: number; otherHost: number; missing: number };
  permissions: { request: boolean; check: boolean };
  navigation: { willNavigate: boolean; willRedirect: boolean; webview: boolean; open: Array<{ action: string }>; openedExternal: string[] };
  ipc: { handle: string[]; on: string[] };
  preload: {
    exposedNames: string[];
    apiKeys: string[];
    rendererChannels: string[];
    calls: Record<string, string>;
    unknown: string;
    appInfo: Record<string, unknown>;
    fromSubframe: unknown;
    fromOtherWindow: unknown;
  };
  sync: unknown;
  events: { progress: number };
  menus: { appMenu: string[]; tray: MenuEntry[]; trayIcon: { exists: boolean }; runningLabel: string; runningEnabled: boolean; lastRun: string };
  deepLink: unknown;
  close: unknown;
  windowState: unknown;
  notifications: Array<{ title: string }>;
  second?: unknown;
}

function runHarness(dataDir: string, ...args: string[]): HarnessReport {
  const r = spawnSync(process.execPath, [harness, path.join(repoRoot, 'out'), dataDir, ...args], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, BVL_CHANNELS: JSON.stringify(Object.keys(calls)), BVL_REQUIRE_KEYCHAIN: '' },
  });
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  try {
    return JSON.parse(last) as HarnessReport;
  } catch {
    throw new Error(`the harness printed no report (exit ${r.status}): ${r.stderr.slice(-2000)}`);
  }
}

describe('the built main process and preload, under Node with Electron stubbed', () => {
  let report: HarnessReport;
  let second: HarnessReport;
  const data = tempDir('bvl-shell-');
  beforeAll(() => {
    ensureBuilt();
    report = runHarness(data.dir);
    second = runHarness(tempDir('bvl-shell-second-').dir, '--second-instance');
  }, 180_000);
  afterAll(() => data.cleanup());

  it('starts, runs and quits cleanly', () => {
    expect(report.error).toBeUndefined();
    expect(report.exitCode).toBe(0);
    const log = fs.readFileSync(path.join(data.dir, 'logs', 'main.log'), 'utf8');
    expect(log).toMatch(/core started \(electron/);
    expect(log).toMatch(/core stopped/);
  });

  it('opens one locked-down window on app://renderer/ with the built preload', () => {
    expect(report.window.url).toBe('app://renderer/index.html');
    expect(report.window.preloadExists).toBe(true);
    expect(report.window.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
    expect(report.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  });

  it('serves the renderer with its CSP, and nothing outside its folder', () => {
    expect(report.protocol.index).toEqual({ status: 200, csp: contentSecurityPolicy(), nosniff: 'nosniff', type: 'text/html', hasScript: true });
    expect(report.protocol.traversal).toBe(404);
    expect(report.protocol.otherHost).toBe(404);
    expect(report.protocol.missing).toBe(404);
  });

  it('denies permissions, navigation, redirects, webviews and new windows; opens only allowed pages outside', () => {
    expect(report.permissions).toEqual({ request: false, check: false });
    expect(report.navigation).toMatchObject({ willNavigate: true, willRedirect: true, webview: true });
    expect(report.navigation.open.map((o) => o.action)).toEqual(['deny', 'deny', 'deny']);
    expect(report.navigation.openedExternal).toEqual(['https://my.billit.be/Account/Logon?client_id=x&state=y']);
  });

  it('exposes window.api only, on channels the main process serves, and reaches every call of the API map', () => {
    expect(report.preload.exposedNames).toEqual(['api']);
    expect(report.preload.apiKeys).toEqual(['call', 'on', 'startDrag']);
    // Every channel the preload uses is one the main process handles or sends on.
    for (const channel of report.preload.rendererChannels) {
      expect(channel === 'api:event' || report.ipc.handle.includes(channel) || report.ipc.on.includes(channel), channel).toBe(true);
    }
    expect(report.preload.rendererChannels.sort()).toEqual(['api:call', 'api:event', 'exports:drag-start']);
    // Every call of the API map reaches its handler's schema through the preload (none is an unknown call;
    // the probe input is refused by every strict schema).
    expect(Object.keys(report.preload.calls).sort()).toEqual(Object.keys(calls).sort());
    for (const [channel, code] of Object.entries(report.preload.calls)) expect(['invalid-input', 'ok'], channel).toContain(code);
    expect(Object.values(report.preload.calls).filter((c) => c === 'invalid-input').length).toBeGreaterThan(Object.keys(calls).length / 2);
    expect(report.preload.unknown).toBe('unknown-call');
    expect(report.preload.appInfo).toMatchObject({ host: 'electron', mode: 'demo', dataDir: data.dir });
  });

  it('answers the app\'s own main frame only: a subframe or another window is refused', () => {
    expect(report.preload.fromSubframe).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(report.preload.fromOtherWindow).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('syncs through the bundled worker and pushes progress to the renderer', () => {
    expect(report.sync).toMatchObject({ runId: expect.any(String) });
    expect(report.events.progress).toBeGreaterThan(0);
    // Files are downloaded by the worker thread only: its requests in the log prove it ran from out/.
    const log = fs.readFileSync(path.join(data.dir, 'logs', 'main.log'), 'utf8');
    expect(log).toMatch(/billit GET \/v1\/files\/\S+ → 200/);
  });

  it('shows menus and a tray in the OS\'s language, with the last result and Quit', () => {
    expect(report.menus.appMenu).toEqual(['Fichier', 'Édition', 'Affichage', 'Fenêtre', 'Aide']);
    const ids = report.menus.tray.map((m) => m.id).filter(Boolean);
    expect(ids).toEqual(['open', 'sync-now', 'last-run', 'quit']);
    expect(report.menus.trayIcon.exists).toBe(true);
    // While the sync runs, its progress instead of Sync now; once cancelled, how the last run ended.
    expect(report.menus.runningLabel).toMatch(/^Synchronisation… \d+ sur \d+$/);
    expect(report.menus.runningEnabled).toBe(false);
    expect(report.menus.lastRun).toMatch(/^Dernière synchronisation .+ : annulée$/);
    expect(report.menus.tray.find((m) => m.id === 'sync-now')).toMatchObject({ label: 'Synchroniser maintenant' });
    expect(report.notifications.map((n) => n.title)).not.toContain('Échec de la synchronisation');
  });

  it('registers its URL scheme and hands deep links from a second launch or the OS to the core', () => {
    expect(report.protocolClients).toEqual([['billit-venice-link']]);
    expect(report.deepLink).toEqual({ shown: true, openUrlPrevented: true });
    const log = fs.readFileSync(path.join(data.dir, 'logs', 'main.log'), 'utf8');
    // Both reached the core's sign-in, which refused them: no sign-in was started with their state.
    expect(log.match(/Billit sign-in failed.*unknown or expired/g)).toHaveLength(2);
    // The link carries a one-time code: it is never written to the log.
    expect(log).not.toContain('one-time');
  });

  it('keeps running in the tray when the window is closed, saving where the window was', () => {
    expect(report.close).toEqual({ closed: false, visible: false });
    expect(report.windowState).toEqual({ x: 40, y: 30, width: 1111, height: 777, maximized: false });
    expect(report.notifications.map((n) => n.title)).toContain('Billit Venice Link reste ouvert');
  });

  it('a second launch quits at once, leaving the first instance alone', () => {
    expect(second.error).toBeUndefined();
    expect(second.second).toEqual({ windows: 0, quitCalled: 1, protocolClients: 0 });
  });
});

describe('the built sync worker', () => {
  it('loads as a worker thread and answers a job', async () => {
    ensureBuilt();
    const worker = new Worker(path.join(repoRoot, 'out/electron/sync-worker.js'), {
      workerData: { baseUrl: 'http://127.0.0.1:9', accountantPartyId: 1, timing: {} },
    });
    try {
      const answer = await new Promise<Record<string, unknown>>((resolve, reject) => {
        worker.once('error', reject);
        worker.on('message', (m: Record<string, unknown>) => m.t === 'done' && resolve(m));
        worker.postMessage({ t: 'job', id: 1, kind: 'confirm', arg: { items: [], delivered: 'exported' } });
      });
      expect(answer).toMatchObject({ t: 'done', id: 1, result: { confirmed: [], failed: [] } });
    } finally {
      await worker.terminate();
    }
  });
});

describe('what each bundle carries', () => {
  const sourcesOf = (bundle: string) =>
    (JSON.parse(fs.readFileSync(path.join(repoRoot, 'out/electron', `${bundle}.map`), 'utf8')) as { sources: string[] }).sources.map((s) =>
      path.relative(repoRoot, path.resolve(repoRoot, 'out/electron', s)).split(path.sep).join('/'),
    );
  const simulators = (sources: string[]) => sources.filter((s) => s.startsWith('electron/demo/'));

  it("the preload is the renderer's only bridge: nothing of the core or the demo in it", () => {
    ensureBuilt();
    expect(sourcesOf('preload.cjs').filter((s) => !s.startsWith('node_modules/'))).toEqual(['electron/preload.ts', 'shared/api/wire.ts']);
  });

  it('the renderer carries no schema library: the Node side parses every input, the desk only calls', () => {
    ensureBuilt();
    const assets = path.join(repoRoot, 'out/renderer/assets');
    const scripts = fs.readdirSync(assets).filter((f) => f.endsWith('.js') && !f.startsWith('pdf'));
    expect(scripts.length).toBeGreaterThan(0);
    for (const file of scripts) expect([file, fs.readFileSync(path.join(assets, file), 'utf8').includes('ZodError')]).toEqual([file, false]);
  });

  it('the app bundles carry no simulator and no seed generator: those are in the demo office bundle alone', () => {
    ensureBuilt();
    for (const bundle of ['main.js', 'browser.js', 'sync-worker.js', 'checks-worker.js']) {
      expect([bundle, simulators(sourcesOf(bundle))]).toEqual([bundle, []]);
    }
    const demo = sourcesOf('demo-office.js');
    expect(demo).toContain('electron/demo/seed/world.ts');
    expect(demo.some((s) => s.startsWith('electron/demo/billit/'))).toBe(true);
    expect(demo.some((s) => s.startsWith('electron/demo/venice/'))).toBe(true);
    // The hosts reach it by a file name at run time, never by an import the bundler would follow.
    const main = fs.readFileSync(path.join(repoRoot, 'out/electron/main.js'), 'utf8');
    expect(main).toContain('demo-office.js');
  });
});
