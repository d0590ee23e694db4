/**
 * The only place that touches ipcMain: one invoke channel for every call and one
 * push channel for events. A call is answered only when it comes from the app's own
 * main frame showing the app's own page; anything else gets a refusal, not a handler.
 */
import { ipcMain, type BrowserWindow, type IpcMainEvent } from 'electron';
import { ipcCallChannel, ipcEventChannel } from '../shared/api/wire';
import type { Core } from './core';
import { isTrustedSender } from './sender';

export function bindCore(core: Core, window: BrowserWindow): () => void {
  ipcMain.handle(ipcCallChannel, (event, channel: unknown, input: unknown) => {
    if (!isTrustedSender(event, window)) {
      return { ok: false, error: { code: 'invalid-input', message: 'Refused: call from an untrusted frame' } };
    }
    return core.call(channel, input);
  });
  const unsubscribe = core.subscribe((event, payload) => {
    if (!window.isDestroyed()) window.webContents.send(ipcEventChannel, event, payload);
  });
  return () => {
    ipcMain.removeHandler(ipcCallChannel);
    unsubscribe();
  };
}

/** Host messages (drag-out) from the app's own main frame only. */
export function onHostMessage(channel: string, window: BrowserWindow, handler: (event: IpcMainEvent, ...args: unknown[]) => void): () => void {
  const listener = (event: IpcMainEvent, ...args: unknown[]) => {
    if (isTrustedSender(event, window)) handler(event, ...args);
  };
  ipcMain.on(channel, listener);
  return () => ipcMain.removeListener(channel, listener);
}
