// Runs the built Electron main process (out/electron/main.js) and its preload under Node, with Electron's
// module stubbed at its boundary (electron-stub.mjs), drives it as the OS and the renderer would, and
// prints what happened as one JSON line for the test to check.
//
//   node main-harness.mjs <out dir> <data dir> [--second-instance]
// Env: BVL_CHANNELS (JSON list of the API map's channels, to call each through the preload).
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createElectronStub, install } from './electron-stub.mjs';

const [outArg, dataDir, mode] = process.argv.slice(2);
const outDir = path.resolve(outArg);
const second = mode === '--second-instance';
const { electron, record, ipcEvent } = createElectronStub({ userData: dataDir, singleInstance: !second });
install(electron);
process.env.BVL_DATA_DIR = dataDir;

const report = {};
const until = async (what, check, ms = 30_000) => {
  const end = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};
const finish = (code) => {
  process.stdout.write('\n' + JSON.stringify(report) + '\n');
  process.exit(code);
};
electron.app.on('stub-exit', (code) => {
  report.exitCode = code;
  if (second) report.second = { windows: record.windows.length, quitCalled: record.quitCalled, protocolClients: record.protocolClients.length };
  // Electron exits once the current task is done: the module that called quit() finishes first.
  setImmediate(() => finish(0));
});
setTimeout(() => {
  report.error = 'the harness timed out';
  finish(1);
}, 90_000).unref();

try {
  await import(pathToFileURL(path.join(outDir, 'electron/main.js')).href);
  if (second) await new Promise(() => undefined); // it exits by itself (stub-exit)

  const window = await until('the window', () => record.windows[0]);
  await until('the tray', () => record.trays[0]);
  report.schemes = record.schemes;
  report.protocolClients = record.protocolClients;
  const { webPreferences, ...bounds } = window.options;
  report.window = { webPreferences: { ...webPreferences }, bounds, url: window.webContents.mainFrame.url, preloadExists: fs.existsSync(webPreferences.preload) };
  await until('the window to show', () => window.visible, 5000);

  // The app:// protocol, as Chromium would call it.
  const handler = record.protocolHandlers.get('app');
  const index = await handler(new Request('app://renderer/index.html'));
  const body = await index.text();
  report.protocol = {
    index: { status: index.status, csp: index.headers.get('Content-Security-Policy'), nosniff: index.headers.get('X-Content-Type-Options'), type: index.headers.get('Content-Type'), hasScript: /<script[^>]+src=/.test(body) },
    traversal: (await handler(new Request('app://renderer/assets/..%2f..%2felectron%2fmain.js'))).status,
    otherHost: (await handler(new Request('app://evil/index.html'))).status,
    missing: (await handler(new Request('app://renderer/nothing-here.js'))).status,
  };

  // Permission requests and checks are denied.
  let granted = null;
  record.permissionRequest(window.webContents, 'media', (ok) => (granted = ok));
  report.permissions = { request: granted, check: record.permissionCheck(window.webContents, 'geolocation') };

  // Navigation, redirects, webviews and new windows, on any web contents the app creates.
  const prevented = (event) => {
    let done = false;
    window.webContents.emit(event, { preventDefault: () => (done = true) }, 'https://example.com/');
    return done;
  };
  report.navigation = {
    willNavigate: prevented('will-navigate'),
    willRedirect: prevented('will-redirect'),
    webview: prevented('will-attach-webview'),
    open: ['https://my.billit.be/Account/Logon?client_id=x&state=y', 'https://evil.example/', 'file:///etc/passwd'].map((url) => ({
      url,
      action: window.webContents.openHandler({ url }).action,
    })),
  };
  await new Promise((r) => setTimeout(r, 10));
  report.navigation.openedExternal = [...record.openedExternal];

  // IPC as the preload sees it: load it the way Electron does (CommonJS, `electron` required).
  report.ipc = { handle: [...record.ipcHandle.keys()], on: [...record.ipcOn.keys()] };
  createRequire(import.meta.url)(path.join(outDir, 'electron/preload.cjs'));
  const api = record.exposed.get('api');
  report.preload = { exposedNames: [...record.exposed.keys()], apiKeys: Object.keys(api).sort() };
  const progress = [];
  api.on('sync.progress', (p) => progress.push(p));
  report.preload.appInfo = await api.call('app.info');
  const channels = JSON.parse(process.env.BVL_CHANNELS ?? '[]');
  report.preload.calls = {};
  for (const channel of channels) {
    try {
      // An input no call accepts: each must reach its own schema (invalid-input), none may be unknown.
      await api.call(channel, { __probe: true });
      report.preload.calls[channel] = 'ok';
    } catch (error) {
      report.preload.calls[channel] = error.code ?? String(error);
    }
  }
  try {
    await api.call('no.such.call');
  } catch (error) {
    report.preload.unknown = error.code;
  }
  // The same handler, asked by a subframe and by another window: refused.
  const callHandler = record.ipcHandle.get('api:call');
  report.preload.fromSubframe = await callHandler(ipcEvent(window, { url: 'app://renderer/index.html' }), 'app.info', undefined);
  const stranger = { webContents: { mainFrame: { url: 'app://renderer/index.html' } } };
  report.preload.fromOtherWindow = await callHandler({ sender: stranger.webContents, senderFrame: stranger.webContents.mainFrame }, 'app.info', undefined);
  api.startDrag('no-such-drag');
  report.preload.rendererChannels = [...record.rendererChannels];

  // A sync, asked as the renderer asks; it reads documents on the bundled worker beside main.js.
  report.sync = await api.call('sync.start');
  const done = await until('a synced dossier', () => progress.find((p) => p.done >= 1), 60_000);
  report.events = { progress: progress.length, firstDone: done.done, step: done.step };

  // Menus and tray, in the OS's language (French here), while the sync runs.
  const appMenu = record.applicationMenus.at(-1).template;
  const syncItem = () => record.trays[0].menus.at(-1).template.find((m) => m.id === 'sync-now');
  // The menus follow progress at most once a second.
  await until('the tray to show the running sync', () => syncItem()?.label.startsWith('Synchronisation…'), 5000);
  const running = record.trays[0].menus.at(-1).template;
  report.menus = { runningLabel: running.find((m) => m.id === 'sync-now')?.label, runningEnabled: running.find((m) => m.id === 'sync-now')?.enabled };
  // Cancelled from the app: the tray shows how the last run ended; a cancel raises no notification.
  await api.call('sync.cancel');
  const lastRun = () => record.trays[0].menus.at(-1).template.find((m) => m.id === 'last-run')?.label;
  await until('the tray to show the cancelled run', () => lastRun() !== 'Pas encore synchronisé', 10_000);
  const trayMenu = record.trays[0].menus.at(-1).template;
  report.menus = {
    ...report.menus,
    lastRun: lastRun(),
    appMenu: appMenu.map((m) => m.label),
    tray: trayMenu.map((m) => ({ id: m.id, label: m.label, enabled: m.enabled })),
    trayIcon: record.trays[0].image,
    tooltip: record.trays[0].tooltip,
  };
  // Sync now from the tray while the start-up sync runs: refused by the core, logged, nothing breaks.
  trayMenu.find((m) => m.id === 'open')?.click();

  // A deep link handed over by a second launch (Windows/Linux), and by macOS's open-url.
  window.hide();
  electron.app.emit('second-instance', {}, ['/opt/app/billit-venice-link', '--flag', 'billit-venice-link://oauth/callback?code=one-time&state=s']);
  report.deepLink = { shown: window.visible };
  let openUrlPrevented = false;
  electron.app.emit('open-url', { preventDefault: () => (openUrlPrevented = true) }, 'billit-venice-link://oauth/callback?code=two&state=s');
  report.deepLink.openUrlPrevented = openUrlPrevented;

  // Closing the window leaves the app in the tray; its place is saved.
  window.bounds = { x: 40, y: 30, width: 1111, height: 777 };
  report.close = { closed: window.close(), visible: window.visible };
  report.windowState = JSON.parse(fs.readFileSync(path.join(dataDir, 'window-state.json'), 'utf8'));
  report.notifications = record.notifications;

  // Quit from the tray: the core closes (cache flushed, sync cancelled), then the app exits.
  trayMenu.find((m) => m.id === 'quit').click();
} catch (error) {
  report.error = error.stack ?? String(error);
  finish(1);
}
