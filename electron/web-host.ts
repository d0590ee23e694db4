/**
 * Browser mode: serves the built renderer and the core's API over a WebSocket on
 * 127.0.0.1, for machines without Electron and for end-to-end tests. The socket needs
 * the token printed at start (fresh each start), and foreign Origin or Host headers are
 * refused so a web page elsewhere cannot drive the app through DNS rebinding.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
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
  // A Billit sign-in started here comes back here (RFC 8252: a loopback redirect for a native app).
  options.core.setOAuthRedirectUri(`http://127.0.0.1:${port}${oauthCallbackPath}`);

  server.on('request', (req, res) => {
    if (!allowedHosts.has(req.headers.host ?? '')) return refuse(res, 421, 'Misdirected request');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname.startsWith(downloadPrefix)) return void serveDownload(options.core, token, url, res);
    if (url.pathname === oauthCallbackPath) return void serveOAuthCallback(options.core, url, res, csp);
    let rel = decodeURIComponent(url.pathname);
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
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const host = req.headers.host ?? '';
    const origin = req.headers.origin ?? '';
    const given = url.searchParams.get('token') ?? '';
    const reason =
      url.pathname !== '/api'
        ? '404 Not Found'
        : !allowedHosts.has(host)
          ? '421 Misdirected Request'
          : !allowedOrigins.has(origin)
            ? '403 Forbidden'
            : !sameToken(given, token)
              ? '401 Unauthorized'
              : null;
    if (reason) {
      socket.end(`HTTP/1.1 ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(ws, options.core));
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
  ws.on('message', async (data) => {
    let request: SocketRequest;
    try {
      request = JSON.parse(String(data)) as SocketRequest;
      if (typeof request?.id !== 'number') throw new Error('no id');
    } catch {
      ws.close(1003, 'malformed message');
      return;
    }
    send({ id: request.id, result: await core.call(request.channel, request.input) });
  });
}

/** Where browser mode offers prepared drag-out files; the core's export host builds these URLs. */
export const downloadPrefix = '/exports/download/';

/** Invoices are confidential: a download needs the same token as the socket, not just an unguessable id. */
async function serveDownload(core: Core, token: string, url: URL, res: http.ServerResponse) {
  if (!sameToken(url.searchParams.get('token') ?? '', token)) return refuse(res, 401, 'Unauthorized');
  const file = await core.dragOut.download(decodeURIComponent(url.pathname.slice(downloadPrefix.length))).catch(() => null);
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
async function serveOAuthCallback(core: Core, url: URL, res: http.ServerResponse, csp: string) {
  await core.handleDeepLink(url.toString());
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
