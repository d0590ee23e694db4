/**
 * The only place that touches ipcMain: one invoke channel for every call and one
 * push channel for events. A call is answered only when it comes from the app's own
 * main frame showing the app's own page; anything else gets a refusal, not a handler.
 */
import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent } from 'electron';
import { ipcCallChannel, ipcEventChannel } from '../shared/api/wire';
import type { Core } from './core';

export const appOrigin = 'app://renderer';

export function isTrustedSender(event: IpcMainInvokeEvent, window: BrowserWindow): boolean {
  const frame = event.senderFrame;
  return (
    event.sender === window.webContents &&
    frame !== null &&
    frame === window.webContents.mainFrame &&
    new URL(frame.url).origin === appOrigin
  );
}

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

/** Extra channels owned by the host itself (drag-out, dialogs) go through here too. */
export function handleHostCall(
  channel: string,
  window: BrowserWindow,
  handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown,
): void {
  ipcMain.handle(channel, (event, ...args) => {
    if (!isTrustedSender(event, window)) throw new Error('Refused: call from an untrusted frame');
    return handler(event, ...args);
  });
}

export function onHostMessage(
  channel: string,
  window: BrowserWindow,
  handler: (event: Electron.IpcMainEvent, ...args: unknown[]) => void,
): void {
  ipcMain.on(channel, (event, ...args) => {
    const frame = event.senderFrame;
    if (event.sender !== window.webContents || !frame || frame !== window.webContents.mainFrame) return;
    if (new URL(frame.url).origin !== appOrigin) return;
    handler(event, ...args);
  });
}
