/**
 * The desktop around the window: application menu, tray icon and menu, native notifications, start at
 * login, in the app's language. State comes from the core's events; what is shown is built by the pure
 * functions of `menus.ts` and `notices.ts`.
 */
import { app, Menu, nativeImage, Notification, Tray } from 'electron';
import type { Events, SyncRunSummary } from '../shared/api';
import type { UiLanguage } from '../shared/format';
import type { Core } from './core';
import { applicationMenu, trayMenu, trayTooltip, type MenuActions, type ShellState } from './menus';
import { linkNotices, syncNotice, type ShellNotice } from './notices';
import { fill, shellLanguage, shellTexts } from './shell-texts';

export interface ShellOptions {
  core: Core;
  appName: string;
  /** The tray icon (a template image on macOS). */
  trayIcon: string;
  actions: Omit<MenuActions, 'syncNow' | 'setStartAtLogin'>;
}

export interface Shell {
  language(): UiLanguage;
  notify(notice: ShellNotice): void;
  updateReady(version: string): void;
  /** Said once, the first time closing the window leaves the app running in the tray. */
  hiddenToTray(): void;
  dispose(): void;
}

const MENU_REFRESH_MS = 1000;
const LINK_BURST_MS = 1500;

export async function startShell(options: ShellOptions): Promise<Shell> {
  const { core } = options;
  const info = await core.handlers['app.info'](undefined);
  const status = await core.handlers['sync.status'](undefined);
  let language = shellLanguage(info.language, app.getPreferredSystemLanguages());
  const state: ShellState = {
    platform: process.platform,
    appName: options.appName,
    packaged: app.isPackaged,
    startAtLogin: process.platform === 'linux' ? null : app.getLoginItemSettings().openAtLogin,
    running: status.running,
    lastRun: status.lastRun,
  };

  const actions: MenuActions = {
    ...options.actions,
    syncNow: () => {
      void core.call('sync.start', undefined).then((r) => {
        if (!r.ok) core.log.warn(`sync from the menu refused: ${r.error.code}`);
      });
    },
    setStartAtLogin: (on) => {
      // Off by default: only the accountant's own choice registers the app with the OS.
      app.setLoginItemSettings({ openAtLogin: on });
      state.startAtLogin = app.getLoginItemSettings().openAtLogin;
      render();
    },
  };

  const icon = nativeImage.createFromPath(options.trayIcon);
  if (process.platform === 'darwin') icon.setTemplateImage(true);
  const tray = new Tray(icon);
  tray.on('click', () => options.actions.showWindow());

  function render() {
    Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenu(language, state, actions)));
    tray.setContextMenu(Menu.buildFromTemplate(trayMenu(language, state, actions)));
    tray.setToolTip(trayTooltip(language, state));
  }

  // Progress arrives many times a second: the menus follow at most once a second.
  let refresh: NodeJS.Timeout | null = null;
  const renderSoon = () => {
    refresh ??= setTimeout(() => {
      refresh = null;
      render();
    }, MENU_REFRESH_MS);
  };

  function notify(notice: ShellNotice) {
    if (!Notification.isSupported()) return;
    const n = new Notification({ title: notice.title, body: notice.body });
    n.on('click', () => options.actions.showWindow());
    n.show();
  }

  let toldHidden = false;
  let links: Array<Events['dossiers.linkChanged']> = [];
  let linkTimer: NodeJS.Timeout | null = null;
  const unsubscribe = core.subscribe((event, payload) => {
    if (event === 'sync.progress') {
      state.running = payload as Events['sync.progress'];
      renderSoon();
    } else if (event === 'sync.finished') {
      const run = payload as SyncRunSummary;
      state.running = null;
      state.lastRun = run;
      render();
      const notice = syncNotice(language, run);
      if (notice) notify(notice);
    } else if (event === 'dossiers.linkChanged') {
      links.push(payload as Events['dossiers.linkChanged']);
      linkTimer ??= setTimeout(() => {
        linkTimer = null;
        const burst = links;
        links = [];
        for (const notice of linkNotices(language, burst)) notify(notice);
      }, LINK_BURST_MS);
    } else if (event === 'app.language') {
      language = (payload as Events['app.language']).language;
      render();
    }
  });
  render();

  return {
    language: () => language,
    notify,
    updateReady(version) {
      const t = shellTexts[language].notify;
      notify({ title: t.updateTitle, body: fill(language, t.updateBody, { version }) });
    },
    hiddenToTray() {
      if (toldHidden) return;
      toldHidden = true;
      const t = shellTexts[language].notify;
      notify({ title: fill(language, t.hiddenTitle, { app: options.appName }), body: t.hiddenBody });
    },
    dispose() {
      unsubscribe();
      if (refresh) clearTimeout(refresh);
      if (linkTimer) clearTimeout(linkTimer);
      tray.destroy();
    },
  };
}
