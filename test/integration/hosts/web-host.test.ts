import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { socketProtocol, socketTokenPrefix } from '../../../shared/api/wire';
import { startApp, type RunningApp } from '../../support/app-host';

let app: RunningApp;
beforeAll(async () => {
  app = await startApp();
});
afterAll(() => app.stop());

/** Opens the API socket with the given headers; resolves to the HTTP status of a refusal, or 101. */
function connect(opts: { token?: string; origin?: string; host?: string; query?: string }): Promise<{ status: number; ws?: WebSocket }> {
  const port = app.host.port;
  const protocols = opts.token === undefined ? [socketProtocol] : [socketProtocol, socketTokenPrefix + opts.token];
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/api${opts.query ?? ''}`, protocols, {
      origin: opts.origin ?? `http://127.0.0.1:${port}`,
      headers: opts.host ? { Host: opts.host } : {},
    });
    ws.on('open', () => resolve({ status: 101, ws }));
    ws.on('unexpected-response', (_req, res) => resolve({ status: res.statusCode ?? 0 }));
    ws.on('error', () => resolve({ status: 0 }));
  });
}

function call(ws: WebSocket, channel: string, input?: unknown): Promise<{ ok: boolean; value?: unknown; error?: { code: string; details?: unknown } }> {
  const id = Math.floor(Math.random() * 1e9);
  return new Promise((resolve) => {
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.id === id) resolve(message.result);
    });
    ws.send(JSON.stringify({ id, channel, input }));
  });
}

describe('web host', () => {
  it('refuses a socket without the token', async () => {
    expect((await connect({})).status).toBe(401);
  });

  it('takes the token from the handshake, never from the URL that consoles print', async () => {
    expect((await connect({ query: `?token=${app.host.token}` })).status).toBe(401);
    const { status, ws } = await connect({ token: app.host.token });
    expect(status).toBe(101);
    expect(ws!.protocol).toBe(socketProtocol);
    ws!.close();
  });

  it('refuses a wrong token of the same length', async () => {
    const wrong = app.host.token.replace(/./g, 'A');
    expect((await connect({ token: wrong })).status).toBe(401);
  });

  it('refuses a foreign Origin even with the right token', async () => {
    expect((await connect({ token: app.host.token, origin: 'http://evil.example' })).status).toBe(403);
  });

  it('refuses a foreign Host header (DNS rebinding) even with the right token', async () => {
    expect((await connect({ token: app.host.token, host: `evil.example:${app.host.port}` })).status).toBe(421);
  });

  it('refuses pages asked for under a foreign Host', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port: app.host.port, path: '/', headers: { Host: 'evil.example' } }, (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        })
        .on('error', reject);
    });
    expect(status).toBe(421);
  });

  it('serves the renderer with a strict CSP', async () => {
    const res = await fetch(app.host.url);
    expect(res.status).toBe(200);
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).not.toContain('unsafe-inline');
  });

  it('answers app.info over the socket with the right token', async () => {
    const { status, ws } = await connect({ token: app.host.token });
    expect(status).toBe(101);
    const result = await call(ws!, 'app.info');
    expect(result.ok).toBe(true);
    expect(result.value).toMatchObject({ version: '0.0.0-test', dataDir: app.dataDir, host: 'browser' });
    ws!.close();
  });

  it('answers an input that does not match its schema with a typed error, and keeps serving', async () => {
    const { ws } = await connect({ token: app.host.token });
    const bad = await call(ws!, 'app.info', { unexpected: true });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const unknown = await call(ws!, 'no.such.call', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'unknown-call' } });
    const good = await call(ws!, 'app.info');
    expect(good.ok).toBe(true);
    ws!.close();
  });
});
