/**
 * The application menu and the tray menu, as Electron menu templates built from plain state, so that what
 * each language and platform shows is tested under Node. `tray.ts` and `main.ts` turn them into menus.
 */
import type { MenuItemConstructorOptions } from 'electron';
import type { SyncProgress, SyncRunSummary } from '../shared/api';
import type { UiLanguage } from '../shared/format';
import { dateTime, fill, shellTexts } from './shell-texts';

export const billitSite = 'https://www.billit.be/';
export const veniceSite = 'https://www.venice.be/';

export interface MenuActions {
  showWindow(): void;
  syncNow(): void;
  openLogs(): void;
  openExternal(url: string): void;
  setStartAtLogin(on: boolean): void;
  quit(): void;
}

export interface ShellState {
  platform: NodeJS.Platform;
  appName: string;
  /** Development builds keep Reload; the packaged app does not need it. */
  packaged: boolean;
  /** null where the OS offers no login item (Linux). */
  startAtLogin: boolean | null;
  running: SyncProgress | null;
  lastRun: SyncRunSummary | null;
}

export function applicationMenu(language: UiLanguage, state: ShellState, actions: MenuActions): MenuItemConstructorOptions[] {
  const t = shellTexts[language];
  const app = { app: state.appName };
  const mac = state.platform === 'darwin';
  const startAtLogin: MenuItemConstructorOptions[] =
    state.startAtLogin === null
      ? []
      : [{ id: 'start-at-login', label: t.file.startAtLogin, type: 'checkbox', checked: state.startAtLogin, click: (item) => actions.setStartAtLogin(item.checked) }];
  const menu: MenuItemConstructorOptions[] = [];
  if (mac) {
    menu.push({
      label: state.appName,
      submenu: [
        { role: 'about', label: fill(language, t.appMenu.about, app) },
        { type: 'separator' },
        ...startAtLogin,
        { type: 'separator' },
        { role: 'hide', label: fill(language, t.appMenu.hide, app) },
        { role: 'hideOthers', label: t.appMenu.hideOthers },
        { role: 'unhide', label: t.appMenu.showAll },
        { type: 'separator' },
        { id: 'quit', label: fill(language, t.appMenu.quit, app), accelerator: 'Cmd+Q', click: () => actions.quit() },
      ],
    });
  }
  menu.push({
    label: t.file.title,
    submenu: [
      { id: 'sync-now', label: t.file.syncNow, accelerator: 'F5', enabled: state.running === null, click: () => actions.syncNow() },
      { type: 'separator' },
      { id: 'open-logs', label: t.file.openLogs, click: () => actions.openLogs() },
      ...(mac ? [] : [{ type: 'separator' } as const, ...startAtLogin, { type: 'separator' } as const]),
      mac ? { role: 'close', label: t.file.close } : { id: 'quit', label: t.file.quit, accelerator: 'Ctrl+Q', click: () => actions.quit() },
    ],
  });
  menu.push({
    label: t.edit.title,
    submenu: [
      { role: 'undo', label: t.edit.undo },
      { role: 'redo', label: t.edit.redo },
      { type: 'separator' },
      { role: 'cut', label: t.edit.cut },
      { role: 'copy', label: t.edit.copy },
      { role: 'paste', label: t.edit.paste },
      { role: 'selectAll', label: t.edit.selectAll },
    ],
  });
  menu.push({
    label: t.view.title,
    submenu: [
      ...(state.packaged ? [] : [{ role: 'reload', label: t.view.reload } as const, { type: 'separator' } as const]),
      { role: 'resetZoom', label: t.view.resetZoom },
      { role: 'zoomIn', label: t.view.zoomIn },
      { role: 'zoomOut', label: t.view.zoomOut },
      { type: 'separator' },
      { role: 'togglefullscreen', label: t.view.fullScreen },
    ],
  });
  menu.push({
    label: t.window.title,
    submenu: [
      { role: 'minimize', label: t.window.minimize },
      ...(mac ? [{ role: 'zoom', label: t.window.zoom } as const, { type: 'separator' } as const, { role: 'front', label: t.window.front } as const] : [{ role: 'close', label: t.file.close } as const]),
    ],
  });
  menu.push({
    label: t.help.title,
    role: 'help',
    submenu: [
      { id: 'billit-site', label: t.help.billitSite, click: () => actions.openExternal(billitSite) },
      { id: 'venice-site', label: t.help.veniceSite, click: () => actions.openExternal(veniceSite) },
      { type: 'separator' },
      { id: 'help-open-logs', label: t.help.openLogs, click: () => actions.openLogs() },
      ...(mac ? [] : [{ type: 'separator' } as const, { role: 'about', label: fill(language, t.appMenu.about, app) } as const]),
    ],
  });
  return menu;
}

/** "Last sync 07/12/2026 14:05: 120 documents, 30 statements, 2 problems", or how the run ended. */
export function lastRunLabel(language: UiLanguage, run: SyncRunSummary | null): string {
  const t = shellTexts[language];
  if (!run) return t.tray.neverSynced;
  const values = { documents: run.documents, statements: run.statements, errors: run.errors };
  const result =
    run.status === 'done'
      ? fill(language, run.errors ? t.result.problems : t.result.done, values)
      : run.status === 'failed' || run.status === 'cancelled' || run.status === 'interrupted'
        ? t.result[run.status]
        : fill(language, t.result.done, values);
  return fill(language, t.tray.lastRun, { at: dateTime(language, run.finishedAt ?? run.startedAt), result });
}

export function trayMenu(language: UiLanguage, state: ShellState, actions: MenuActions): MenuItemConstructorOptions[] {
  const t = shellTexts[language];
  const running = state.running;
  return [
    { id: 'open', label: fill(language, t.tray.open, { app: state.appName }), click: () => actions.showWindow() },
    { type: 'separator' },
    running
      ? { id: 'sync-now', label: fill(language, t.tray.syncing, { done: running.done, total: running.total }), enabled: false }
      : { id: 'sync-now', label: t.tray.syncNow, click: () => actions.syncNow() },
    { id: 'last-run', label: lastRunLabel(language, state.lastRun), enabled: false },
    { type: 'separator' },
    ...(state.startAtLogin === null
      ? []
      : [
          {
            id: 'start-at-login',
            label: t.file.startAtLogin,
            type: 'checkbox',
            checked: state.startAtLogin,
            click: (item: { checked: boolean }) => actions.setStartAtLogin(item.checked),
          } as MenuItemConstructorOptions,
          { type: 'separator' } as const,
        ]),
    { id: 'quit', label: t.tray.quit, click: () => actions.quit() },
  ];
}

/** The tray icon's tooltip: the app's name and the last result. */
export function trayTooltip(language: UiLanguage, state: ShellState): string {
  return `${state.appName}\n${lastRunLabel(language, state.lastRun)}`;
}
