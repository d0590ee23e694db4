/**
 * The Electron host: one window, locked down, bound to the same core the web host uses, with the desktop
 * around it (tray, menus, notifications, deep links, updates). It stays thin on purpose: what it decides
 * is in small modules beside it, tested under Node; everything else is in core/.
 */
import { app, BrowserWindow, dialog, net, protocol, screen, session, shell, type WebContents } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { serveRenderer } from './app-protocol';
import { appVersion } from './app-version';
import { createCore, type Core } from './core';
import { logDirOf, appId, productName } from './core/paths';
import { bundledDemoOffice } from './demo-loader';
import { contentSecurityPolicy } from './csp';
import { deepLinkIn, deepLinkQueue, protocolClientArgs } from './deep-link';
import { electronExportHost, registerDragOut } from './drag';
import { isAllowedExternal, type ExternalLinkPolicy } from './external-links';
import { bindCore, onHostMessage } from './ipc';
import { appOrigin, appScheme } from './sender';
import { startShell, type Shell } from './shell';
import { readUpdateFeed, startUpdates } from './updater';
import { windowOptions, windowSize } from './window-options';
import { readWindowState, restoreWindowState, windowStateFile, writeWindowState } from './window-state';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '../renderer');
const resourcesDir = path.resolve(here, '../../resources');

protocol.registerSchemesAsPrivileged([{ scheme: appScheme, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
app.setAppUserModelId(appId);

let core: Core | undefined;
let window: BrowserWindow | undefined;
let desktop: Shell | undefined;
let quitting = false;
const links: ExternalLinkPolicy = {};
const deepLinks = deepLinkQueue();

function showWindow() {
  if (!window || window.isDestroyed()) return;
  if (window.isMinimized()) window.restore();
  window.show();
  window.focus();
}

/** Only the allow-listed pages reach the system browser; everything else is refused. */
function openExternal(url: string) {
  if (isAllowedExternal(url, links)) void shell.openExternal(url);
  else core?.log.warn(`refused to open a page outside the allow-list (${URL.canParse(url) ? new URL(url).origin : 'not a URL'})`);
}

function lockDown() {
  protocol.handle(
    appScheme,
    serveRenderer({ rendererDir, csp: contentSecurityPolicy(), fetchFile: (file) => net.fetch(pathToFileURL(file).href) }),
  );
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Never a new window inside the app; allowed pages open in the system browser.
      openExternal(url);
      return { action: 'deny' };
    });
  });
}

function createWindow(dataDir: string, c: Core): BrowserWindow {
  const stateFile = windowStateFile(dataDir);
  const primary = screen.getPrimaryDisplay();
  const areas = [primary, ...screen.getAllDisplays().filter((d) => d.id !== primary.id)].map((d) => d.workArea);
  const { maximized, ...bounds } = restoreWindowState(readWindowState(stateFile), areas, windowSize);
  const w = new BrowserWindow(windowOptions(path.join(here, 'preload.cjs'), bounds));
  if (maximized) w.maximize();
  const unbind = bindCore(c, w);
  const stopDrag = registerDragOut({ on: (channel, listener) => onHostMessage(channel, w, listener), dragOut: c.dragOut, log: c.log });

  const save = () => {
    if (w.isDestroyed() || w.isMinimized()) return;
    try {
      writeWindowState(stateFile, { ...w.getNormalBounds(), maximized: w.isMaximized() });
    } catch (error) {
      c.log.warn('window position not saved', error);
    }
  };
  let saveTimer: NodeJS.Timeout | undefined;
  const saveSoon = () => {
    clearTimeout(saveTimer);
    saveTimer = setTimeout(save, 500);
  };
  w.on('resize', saveSoon);
  w.on('move', saveSoon);
  w.on('maximize', saveSoon);
  w.on('unmaximize', saveSoon);
  w.on('close', (event) => {
    clearTimeout(saveTimer);
    save();
    // Closing the window leaves the app syncing on schedule in the tray; Quit (tray or menu) ends it.
    if (!quitting && desktop) {
      event.preventDefault();
      w.hide();
      desktop.hiddenToTray();
    }
  });
  w.on('closed', () => {
    unbind();
    if (typeof stopDrag === 'function') stopDrag();
  });
  w.once('ready-to-show', () => w.show());
  void w.loadURL(`${appOrigin}/index.html`);
  return w;
}

async function start() {
  lockDown();
  const dataDir = process.env.BVL_DATA_DIR ?? app.getPath('userData');
  const c = await createCore({
    dataDir,
    version: appVersion,
    host: 'electron',
    exportHost: electronExportHost(),
    demo: bundledDemoOffice(),
    desktop: {
      openFolder: (dir) => shell.openPath(dir),
      async pickFolder(title) {
        const options = { title, properties: ['openDirectory', 'createDirectory'] as Array<'openDirectory' | 'createDirectory'> };
        const picked = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
        return picked.canceled ? null : (picked.filePaths[0] ?? null);
      },
    },
  });
  core = c;
  // The demo office's OAuth page is on loopback: allowed for that exact page only.
  if (c.demoOffice) links.authorisationPages = [`${c.demoOffice.billitUrl}/Account/Logon`];
  window = createWindow(dataDir, c);
  deepLinks.deliverTo((url) => c.handleDeepLink(url));
  desktop = await startShell({
    core: c,
    appName: productName,
    trayIcon: path.join(resourcesDir, 'tray', process.platform === 'darwin' ? 'trayTemplate.png' : 'tray.png'),
    actions: {
      showWindow,
      openLogs: () => void shell.openPath(logDirOf(dataDir)),
      openExternal,
      quit: () => app.quit(),
    },
  });
  const feed = app.isPackaged ? readUpdateFeed(dataDir) : null;
  if (feed) await startUpdates(feed, c.log, (version) => desktop?.updateReady(version));
}

if (!app.requestSingleInstanceLock()) {
  // A second launch: the first instance gets its arguments (and any deep link in them) and shows itself.
  app.quit();
} else {
  const client = protocolClientArgs(process, (file) => path.resolve(file));
  if (client.length === 1) app.setAsDefaultProtocolClient(client[0]);
  else app.setAsDefaultProtocolClient(...client);
  deepLinks.push(deepLinkIn(process.argv));
  app.on('second-instance', (_event, argv) => {
    showWindow();
    deepLinks.push(deepLinkIn(argv));
  });
  app.on('open-url', (event, url) => {
    event.preventDefault();
    showWindow();
    deepLinks.push(url);
  });
  app.on('activate', showWindow);
  app.whenReady().then(start).catch((error: unknown) => {
    dialog.showErrorBox(productName, `The app could not start: ${error instanceof Error ? error.message : String(error)}`);
    app.exit(1);
  });
  // Closing the core flushes the cache and removes drag-out temp files: quit only once that is done.
  let closing = false;
  app.on('before-quit', (event) => {
    quitting = true;
    if (closing || !core) return;
    closing = true;
    event.preventDefault();
    desktop?.dispose();
    void core.close().finally(() => app.exit(0));
  });
  app.on('window-all-closed', () => {
    if (!desktop) app.quit();
  });
}
