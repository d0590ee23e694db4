// Electron's module, stubbed at its boundary, so the built main process and preload run under Node. Each
// API the app uses behaves as Electron documents it (events, return shapes, the sender of an IPC message),
// and records what the app asked of it; nothing of the app itself is replaced.
//
// `install()` makes `import … from 'electron'` (ESM, through a resolve hook) and `require('electron')`
// (CommonJS) both give the same stub object.
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import Module from 'node:module';
import { fileURLToPath } from 'node:url';

export function createElectronStub({ userData, singleInstance = true, languages = ['fr-BE', 'fr'] }) {
  const record = {
    schemes: [],
    protocolHandlers: new Map(),
    permissionRequest: null,
    permissionCheck: null,
    windows: [],
    ipcHandle: new Map(),
    ipcOn: new Map(),
    applicationMenus: [],
    trays: [],
    notifications: [],
    openedExternal: [],
    openedPaths: [],
    protocolClients: [],
    loginItems: [],
    exitCode: null,
    quitCalled: 0,
    exposed: new Map(),
    rendererListeners: new Map(),
    rendererChannels: new Set(),
  };

  const app = Object.assign(new EventEmitter(), {
    isPackaged: false,
    setAppUserModelId() {},
    requestSingleInstanceLock: () => singleInstance,
    quit() {
      record.quitCalled++;
      // Electron: 'before-quit' first, which may be prevented; then the windows close and the app exits.
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      app.emit('before-quit', event);
      if (!event.defaultPrevented) app.exit(0);
    },
    exit(code = 0) {
      record.exitCode = code;
      app.emit('stub-exit', code);
    },
    whenReady: () => new Promise((resolve) => setImmediate(resolve)),
    getPath: (name) => (name === 'userData' ? userData : `${userData}/${name}`),
    getPreferredSystemLanguages: () => languages,
    getLocale: () => languages[0],
    getLoginItemSettings: () => ({ openAtLogin: record.loginItems.at(-1)?.openAtLogin ?? false }),
    setLoginItemSettings: (settings) => record.loginItems.push(settings),
    setAsDefaultProtocolClient: (...args) => {
      record.protocolClients.push(args);
      return true;
    },
  });

  const protocol = {
    registerSchemesAsPrivileged: (schemes) => record.schemes.push(...schemes),
    handle: (scheme, handler) => record.protocolHandlers.set(scheme, handler),
  };

  const session = {
    defaultSession: {
      setPermissionRequestHandler: (h) => (record.permissionRequest = h),
      setPermissionCheckHandler: (h) => (record.permissionCheck = h),
    },
  };

  class WebContents extends EventEmitter {
    constructor() {
      super();
      this.mainFrame = { url: '' };
      this.sent = [];
      this.openHandler = null;
      this.dragged = [];
    }
    send(channel, ...args) {
      this.sent.push([channel, ...args]);
      // Delivered to the preload's ipcRenderer listeners (the renderer side of this window).
      for (const listener of record.rendererListeners.get(channel) ?? []) listener({ sender: this }, ...args);
    }
    setWindowOpenHandler(handler) {
      this.openHandler = handler;
    }
    startDrag(item) {
      this.dragged.push(item);
    }
    isDestroyed() {
      return false;
    }
  }

  class BrowserWindow extends EventEmitter {
    constructor(options) {
      super();
      this.options = options;
      this.webContents = new WebContents();
      this.visible = false;
      this.destroyed = false;
      this.maximized = false;
      this.bounds = { x: options.x ?? 100, y: options.y ?? 100, width: options.width, height: options.height };
      record.windows.push(this);
      app.emit('web-contents-created', {}, this.webContents);
    }
    async loadURL(url) {
      this.webContents.mainFrame.url = url;
      setImmediate(() => this.emit('ready-to-show'));
    }
    show() {
      this.visible = true;
    }
    hide() {
      this.visible = false;
    }
    focus() {}
    restore() {}
    isMinimized() {
      return false;
    }
    maximize() {
      this.maximized = true;
    }
    isMaximized() {
      return this.maximized;
    }
    getNormalBounds() {
      return { ...this.bounds };
    }
    isDestroyed() {
      return this.destroyed;
    }
    /** What the OS does when the user clicks the close box: 'close' (preventable), then 'closed'. */
    close() {
      const event = { defaultPrevented: false, preventDefault() { this.defaultPrevented = true; } };
      this.emit('close', event);
      if (event.defaultPrevented) return false;
      this.destroyed = true;
      this.emit('closed');
      return true;
    }
  }

  const screen = {
    getPrimaryDisplay: () => ({ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }),
    getAllDisplays: () => [{ id: 1, workArea: { x: 0, y: 0, width: 1920, height: 1040 } }],
  };

  const ipcMain = {
    handle(channel, handler) {
      if (record.ipcHandle.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
      record.ipcHandle.set(channel, handler);
    },
    removeHandler: (channel) => record.ipcHandle.delete(channel),
    on(channel, listener) {
      record.ipcOn.set(channel, [...(record.ipcOn.get(channel) ?? []), listener]);
    },
    removeListener(channel, listener) {
      record.ipcOn.set(channel, (record.ipcOn.get(channel) ?? []).filter((l) => l !== listener));
    },
  };

  /** An IPC event as Electron builds it for a message from `frame` of `window` (frame: its main frame by default). */
  function ipcEvent(window, frame = window.webContents.mainFrame) {
    return { sender: window.webContents, senderFrame: frame, processId: 1, frameId: 1 };
  }

  // The renderer side: the preload's ipcRenderer, talking to the first window's main frame.
  const ipcRenderer = {
    async invoke(channel, ...args) {
      record.rendererChannels.add(channel);
      const handler = record.ipcHandle.get(channel);
      if (!handler) throw new Error(`Error invoking remote method '${channel}': Error: No handler registered for '${channel}'`);
      return handler(ipcEvent(record.windows[0]), ...args);
    },
    send(channel, ...args) {
      record.rendererChannels.add(channel);
      for (const listener of record.ipcOn.get(channel) ?? []) listener(ipcEvent(record.windows[0]), ...args);
    },
    on(channel, listener) {
      record.rendererChannels.add(channel);
      record.rendererListeners.set(channel, [...(record.rendererListeners.get(channel) ?? []), listener]);
    },
    removeListener(channel, listener) {
      record.rendererListeners.set(channel, (record.rendererListeners.get(channel) ?? []).filter((l) => l !== listener));
    },
  };

  const contextBridge = {
    exposeInMainWorld: (name, api) => record.exposed.set(name, api),
  };

  const Menu = {
    buildFromTemplate: (template) => ({ template }),
    setApplicationMenu: (menu) => record.applicationMenus.push(menu),
  };

  class Tray extends EventEmitter {
    constructor(image) {
      super();
      this.image = image;
      this.menus = [];
      this.tooltip = '';
      this.destroyed = false;
      record.trays.push(this);
    }
    setContextMenu(menu) {
      this.menus.push(menu);
    }
    setToolTip(text) {
      this.tooltip = text;
    }
    destroy() {
      this.destroyed = true;
    }
  }

  const nativeImage = {
    createFromPath: (path) => ({ path, exists: fs.existsSync(path), template: false, setTemplateImage(on) { this.template = on; } }),
    createFromDataURL: (url) => ({ url }),
  };

  class Notification extends EventEmitter {
    static isSupported() {
      return true;
    }
    constructor(options) {
      super();
      this.options = options;
    }
    show() {
      record.notifications.push(this.options);
    }
  }

  const shell = {
    openExternal: async (url) => void record.openedExternal.push(url),
    openPath: async (path) => {
      record.openedPaths.push(path);
      return '';
    },
    showItemInFolder: (path) => record.openedPaths.push(path),
  };

  const dialog = {
    showOpenDialog: async () => ({ canceled: true, filePaths: [] }),
    showErrorBox: (title, content) => {
      record.errorBox = { title, content };
    },
  };

  // net.fetch of a file: URL, as the protocol handler uses it: the file with a content type by extension.
  const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png' };
  const net = {
    async fetch(url) {
      const file = fileURLToPath(url);
      const body = await fs.promises.readFile(file);
      const type = types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream';
      return new Response(body, { headers: { 'Content-Type': type } });
    },
  };

  const electron = { app, protocol, session, BrowserWindow, screen, ipcMain, ipcRenderer, contextBridge, Menu, Tray, nativeImage, Notification, shell, dialog, net };
  return { electron, record, ipcEvent };
}

/** Makes `electron` resolve to the stub, for ESM imports and CommonJS requires alike. */
export function install(electron) {
  globalThis.__electronStub = electron;
  Module.register(new URL('./electron-stub-hooks.mjs', import.meta.url));
  const load = Module._load;
  Module._load = function (request, ...rest) {
    return request === 'electron' ? electron : load.call(this, request, ...rest);
  };
}
