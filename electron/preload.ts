/**
 * Exposes `window.api` and nothing else: one generic call and one event subscription.
 * Only the channel name and plain data cross; the renderer never sees ipcRenderer.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Api, Envelope } from '../shared/api';
import { dragStartChannel, ipcCallChannel, ipcEventChannel } from '../shared/api/wire';

const api: Api = {
  async call(channel: string, input?: unknown) {
    const envelope = (await ipcRenderer.invoke(ipcCallChannel, channel, input)) as Envelope<unknown>;
    if (envelope.ok) return envelope.value as never;
    throw Object.assign(new Error(envelope.error.message), { code: envelope.error.code, details: envelope.error.details });
  },
  on(event, listener) {
    const wrapped = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload as never);
    };
    ipcRenderer.on(ipcEventChannel, wrapped);
    return () => ipcRenderer.removeListener(ipcEventChannel, wrapped);
  },
  startDrag(dragId: string) {
    ipcRenderer.send(dragStartChannel, { dragId });
  },
} as Api;

contextBridge.exposeInMainWorld('api', api);
