/**
 * The Electron host: one window, locked down, bound to the same core the web host uses.
 * It stays thin on purpose: everything it does beyond window and OS glue is in core/.
 */
import { app, BrowserWindow, net, protocol, session, shell } from 'electron';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { appVersion } from './app-version';
import { createCore, type Core } from './core';
import { appId } from './core/paths';
import { bundledDemoOffice } from './demo-loader';
import { contentSecurityPolicy } from './csp';
import { electronExportHost, registerDragOut } from './drag';
import { appOrigin, bindCore, onHostMessage } from './ipc';
import { windowOptions } from './window-options';

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererDir = path.resolve(here, '../renderer');

protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);
app.setAppUserModelId(appId);
if (!app.requestSingleInstanceLock()) app.quit();

let core: Core | undefined;

function lockDown() {
  const csp = contentSecurityPolicy();
  // The renderer is served from app://renderer/ only, with the CSP as a real header.
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    const rel = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
    const file = path.resolve(rendererDir, '.' + rel);
    if (url.host !== 'renderer' || !file.startsWith(rendererDir + path.sep)) return new Response('Not found', { status: 404 });
    const response = await net.fetch(pathToFileURL(file).href);
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  app.on('web-contents-created', (_event, contents) => {
    contents.on('will-navigate', (event) => event.preventDefault());
    contents.on('will-redirect', (event) => event.preventDefault());
    contents.on('will-attach-webview', (event) => event.preventDefault());
    contents.setWindowOpenHandler(({ url }) => {
      // Links to the outside world open in the system browser, never inside the app.
      if (url.startsWith('https://')) void shell.openExternal(url);
      return { action: 'deny' };
    });
  });
}

async function createWindow() {
  core = await createCore({
    dataDir: process.env.BVL_DATA_DIR ?? app.getPath('userData'),
    version: appVersion,
    host: 'electron',
    exportHost: electronExportHost(),
    demo: bundledDemoOffice(),
  });
  const window = new BrowserWindow(windowOptions(path.join(here, 'preload.cjs')));
  const unbind = bindCore(core, window);
  registerDragOut({ on: (channel, listener) => onHostMessage(channel, window, listener), dragOut: core.dragOut, log: core.log });
  window.on('closed', unbind);
  window.once('ready-to-show', () => window.show());
  await window.loadURL(`${appOrigin}/index.html`);
}

app.whenReady().then(() => {
  lockDown();
  return createWindow();
});
app.on('window-all-closed', () => app.quit());
// Closing the core flushes the cache and removes drag-out temp files: quit only once that is done.
let closing = false;
app.on('before-quit', (event) => {
  if (closing || !core) return;
  closing = true;
  event.preventDefault();
  void core.close().finally(() => app.exit(0));
});
