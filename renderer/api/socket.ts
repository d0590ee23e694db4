/**
 * `window.api` for browser mode: the same typed calls over the web host's WebSocket.
 * The token comes from the address fragment and is then removed from the address bar; it
 * reaches the host as a WebSocket subprotocol, never in the socket's URL, which the
 * browser's console prints whenever the host cannot be reached.
 */
import type { Api, ApiErrorData, Envelope } from '../../shared/api';
import { socketProtocol, socketTokenPrefix } from '../../shared/api/wire';

type Pending = { resolve: (value: unknown) => void; reject: (error: unknown) => void };

/** Browser mode: a download URL from the Node side, with the session's token (downloads need it too). */
export function withToken(url: string): string {
  const token = sessionStorage.getItem('bvl.token') ?? '';
  return `${url}${url.includes('?') ? '&' : '?'}token=${encodeURIComponent(token)}`;
}

export function createSocketApi(location: Location): Api {
  const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? sessionStorage.getItem('bvl.token') ?? '';
  sessionStorage.setItem('bvl.token', token);
  if (location.hash) history.replaceState(null, '', location.pathname + location.search);
  const url = `ws://${location.host}/api`;
  // A token mangled in the address would make the WebSocket constructor throw: the host refuses it instead.
  const protocols = /^[A-Za-z0-9_-]+$/.test(token) ? [socketProtocol, socketTokenPrefix + token] : [socketProtocol];

  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: never) => void>>();
  let nextId = 1;
  let socket: WebSocket;
  let ready: Promise<WebSocket>;

  const connect = () => {
    socket = new WebSocket(url, protocols);
    ready = new Promise((resolve, reject) => {
      socket.addEventListener('open', () => resolve(socket), { once: true });
      socket.addEventListener('error', () => reject(callError({ code: 'network', message: 'The app is not reachable' })), { once: true });
    });
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as { id?: number; result?: Envelope<unknown>; event?: string; payload?: unknown };
      if (typeof data.id === 'number') {
        const waiting = pending.get(data.id);
        pending.delete(data.id);
        if (!waiting || !data.result) return;
        if (data.result.ok) waiting.resolve(data.result.value);
        else waiting.reject(callError(data.result.error));
      } else if (data.event) {
        for (const listener of listeners.get(data.event) ?? []) listener(data.payload as never);
      }
    });
    socket.addEventListener('close', () => {
      for (const [, waiting] of pending) waiting.reject(callError({ code: 'network', message: 'Connection to the app closed' }));
      pending.clear();
    });
  };
  connect();

  return {
    async call(channel: string, input?: unknown) {
      if (socket.readyState === WebSocket.CLOSED) connect();
      const open = await ready;
      const id = nextId++;
      return new Promise<unknown>((resolve, reject) => {
        pending.set(id, { resolve, reject });
        open.send(JSON.stringify({ id, channel, input }));
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener as (payload: never) => void);
      listeners.set(event, set);
      return () => set.delete(listener as (payload: never) => void);
    },
  } as Api;
}

export function callError(data: ApiErrorData): Error & ApiErrorData {
  return Object.assign(new Error(data.message), data);
}
