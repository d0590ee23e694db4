/**
 * Browser mode: serves the built renderer and the core's API over a WebSocket on
 * 127.0.0.1, for machines without Electron and for end-to-end tests. The socket needs
 * the token printed at start (fresh each start), offered as a WebSocket subprotocol so it
 * never appears in a URL; foreign Origin or Host headers are refused so a web page
 * elsewhere cannot drive the app through DNS rebinding.
 *
 * Any web page can make the browser send this host whatever it likes (an `<img>` is
 * enough): a request or a frame that cannot be understood is refused on its own — a 400,
 * or that socket closed with the code RFC 6455 gives — and the host serves on.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { socketProtocol, socketTokenPrefix } from '../shared/api/wire';
import type { Core } from './core';
import { contentSecurityPolicy } from './csp';

export interface WebHostOptions {
  core: Core;
  /** Folder with the built renderer (index.html and assets). */
  rendererDir: string;
  port?: number;
  token?: string;
}

export interface WebHost {
  url: string;
  /** The address to open: the token travels in the fragment, which the browser never sends to a server. */
  openUrl: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Messages on the socket; the renderer side lives in renderer/api/socket.ts. */
export type SocketRequest = { id: number; channel: string; input?: unknown };
export type SocketMessage =
  | { id: number; result: unknown }
  | { event: string; payload: unknown };

const mime: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? crypto.randomBytes(24).toString('base64url');
  // It travels as a subprotocol, which allows only an HTTP token's characters.
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('The web host token must be at least 16 characters of A-Z, a-z, 0-9, _ and -');
  const server = http.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  const csp = contentSecurityPolicy(`ws://127.0.0.1:${port} ws://localhost:${port}`);
  const rendererRoot = path.resolve(options.rendererDir);
  const log = options.core.log;
  // A Billit sign-in started here comes back here (RFC 8252: a loopback redirect for a native app).
  options.core.setOAuthRedirectUri(`http://127.0.0.1:${port}${oauthCallbackPath}`);

  server.on('request', (req, res) => {
    try {
      if (!allowedHosts.has(req.headers.host ?? '')) return refuse(res, 421, 'Misdirected request');
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
      const target = requestTarget(req.url);
      if (!target) return refuse(res, 400, 'Bad request');
      if (target.pathname.startsWith(downloadPrefix)) {
        serveDownload(options.core, token, target, res).catch((error: unknown) => {
          log.warn('web host: a download failed', error);
          if (!res.headersSent) refuse(res, 500, 'Internal error');
          else res.destroy();
        });
        return;
      }
      if (target.pathname === oauthCallbackPath) {
        serveOAuthCallback(options.core, `http://127.0.0.1:${port}${oauthCallbackPath}?${target.searchParams}`, res, csp).catch((error: unknown) => {
          log.warn('web host: a sign-in callback failed', error);
          if (!res.headersSent) refuse(res, 500, 'Internal error');
        });
        return;
      }
      let rel = target.pathname;
      if (rel === '/' || !path.extname(rel)) rel = '/index.html';
      const file = path.resolve(rendererRoot, '.' + rel);
      if (!file.startsWith(rendererRoot + path.sep)) return refuse(res, 404, 'Not found');
      fs.readFile(file, (err, body) => {
        if (err) return refuse(res, 404, 'Not found');
        res.writeHead(200, {
          'Content-Type': mime[path.extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': csp,
          'X-Content-Type-Options': 'nosniff',
          'Referrer-Policy': 'no-referrer',
          'Cache-Control': 'no-store',
        });
        res.end(req.method === 'HEAD' ? undefined : body);
      });
    } catch (error) {
      log.warn('web host: a request could not be served', error);
      if (!res.headersSent) refuse(res, 500, 'Internal error');
      else res.destroy();
    }
  });

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: 8 * 1024 * 1024,
    // The page offered the API's protocol and its token; only the former is named back.
    handleProtocols: (offered) => (offered.has(socketProtocol) ? socketProtocol : false),
  });
  server.on('upgrade', (req, socket: Duplex, head) => {
    // The server lets go of an upgraded socket's errors: a reset during the handshake must not be fatal.
    socket.on('error', () => socket.destroy());
    try {
      const target = requestTarget(req.url);
      const host = req.headers.host ?? '';
      const origin = req.headers.origin ?? '';
      const offered = offeredProtocols(req.headers['sec-websocket-protocol']);
      const given = offered.find((p) => p.startsWith(socketTokenPrefix))?.slice(socketTokenPrefix.length) ?? '';
      const reason = !target
        ? '400 Bad Request'
        : target.pathname !== '/api'
          ? '404 Not Found'
          : !allowedHosts.has(host)
            ? '421 Misdirected Request'
            : !allowedOrigins.has(origin)
              ? '403 Forbidden'
              : !sameToken(given, token) || !offered.includes(socketProtocol)
                ? '401 Unauthorized'
                : null;
      if (reason) {
        socket.end(`HTTP/1.1 ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
        return;
      }
      wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options.core));
    } catch (error) {
      log.warn('web host: an upgrade could not be handled', error);
      socket.destroy();
    }
  });

  return {
    url: `http://127.0.0.1:${port}/`,
    openUrl: `http://127.0.0.1:${port}/#token=${token}`,
    port,
    token,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function attach(ws: WebSocket, core: Core) {
  const send = (message: SocketMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  };
  const unsubscribe = core.subscribe((event, payload) => send({ event, payload }));
  ws.on('close', unsubscribe);
  // A frame the protocol forbids (too big, invalid UTF-8, unmasked, reserved bits or opcode, a bad close
  // code): ws has already closed this socket with the matching code (1009, 1007, 1002); only this one ends.
  ws.on('error', (error: Error & { code?: string }) => core.log.warn(`web host: socket closed on a malformed frame (${error.code ?? error.message})`));
  ws.on('message', async (data, isBinary) => {
    let request: SocketRequest;
    try {
      if (isBinary) throw new Error('binary');
      request = JSON.parse(String(data)) as SocketRequest;
      if (typeof request?.id !== 'number' || typeof request.channel !== 'string') throw new Error('no id');
    } catch {
      ws.close(1003, 'malformed message');
      return;
    }
    send({ id: request.id, result: await core.call(request.channel, request.input) });
  });
}

/**
 * The path and query of a request, decoded once, or null when they cannot be: bad percent-encoding, a
 * NUL (the file system refuses it with an exception), or a target that is not a path.
 */
function requestTarget(raw: string | undefined): { pathname: string; searchParams: URLSearchParams } | null {
  if (!raw || !raw.startsWith('/') || raw.startsWith('//')) return null;
  try {
    const url = new URL(raw, 'http://host.invalid');
    const pathname = decodeURIComponent(url.pathname);
    if (pathname.includes('\0')) return null;
    return { pathname, searchParams: url.searchParams };
  } catch {
    return null;
  }
}

function offeredProtocols(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Where browser mode offers prepared drag-out files; the core's export host builds these URLs. */
export const downloadPrefix = '/exports/download/';

/** Invoices are confidential: a download needs the same token as the socket, not just an unguessable id. */
async function serveDownload(core: Core, token: string, target: { pathname: string; searchParams: URLSearchParams }, res: http.ServerResponse) {
  if (!sameToken(target.searchParams.get('token') ?? '', token)) return refuse(res, 401, 'Unauthorized');
  const file = await core.dragOut.download(target.pathname.slice(downloadPrefix.length)).catch(() => null);
  if (!file) return refuse(res, 404, 'Not found');
  res.writeHead(200, {
    'Content-Type': file.contentType,
    'Content-Length': file.bytes.length,
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  res.end(file.bytes);
}

const oauthCallbackPath = '/oauth/callback';

/**
 * Billit sends the browser back here after a sign-in. No token can ride along (Billit chose the address),
 * so the core accepts only the random `state` of a sign-in it started itself, once.
 */
async function serveOAuthCallback(core: Core, url: string, res: http.ServerResponse, csp: string) {
  await core.handleDeepLink(url);
  res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp, 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
  res.end(
    '<!doctype html><meta charset="utf-8"><title>Billit Venice Link</title>' +
      '<p lang="fr">Vous pouvez fermer cet onglet et revenir à l’application.</p>' +
      '<p lang="nl">U kunt dit tabblad sluiten en terugkeren naar de app.</p>' +
      '<p lang="en">You can close this tab and return to the app.</p>',
  );
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function refuse(res: http.ServerResponse, status: number, text: string) {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  res.end(text);
}
