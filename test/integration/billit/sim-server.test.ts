import { afterEach, describe, expect, it } from 'vitest';
import net from 'node:net';
import { createHash } from 'node:crypto';
import { createSimServer, type SimServer } from '../../../electron/demo/sim-server';

let server: SimServer | null = null;
afterEach(async () => {
  await server?.close();
  server = null;
});

async function start(s: SimServer) {
  server = s;
  return (await s.start()).url;
}

/** Raw HTTP/1.1 request so dropped and truncated replies can be observed exactly. */
function raw(url: string, path: string): Promise<{ data: string; closedEarly: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    });
    let data = '';
    socket.on('data', (d) => (data += d.toString()));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      const m = /Content-Length: (\d+)/i.exec(data);
      const body = data.split('\r\n\r\n').slice(1).join('\r\n\r\n');
      resolve({ data, closedEarly: !m || Buffer.byteLength(body) < Number(m[1]) });
    });
  });
}

describe('sim-server', () => {
  it('routes by method and pattern, passes params, and logs without secrets', async () => {
    const url = await start(
      createSimServer({
        routes: [
          { method: 'GET', pattern: '/v1/orders/{orderID}', handler: (req) => ({ json: { id: req.params.orderID } }) },
          { method: 'POST', pattern: '/v1/orders', handler: (req) => ({ json: req.body }) },
        ],
      }),
    );
    const r = await fetch(`${url}/V1/Orders/42?x=1`, { headers: { ApiKey: 'super-secret-key', PartyID: '7' } });
    expect(await r.json()).toEqual({ id: '42' });
    const p = await fetch(`${url}/v1/orders`, { method: 'POST', body: JSON.stringify({ a: 1 }) });
    expect(await p.json()).toEqual({ a: 1 });
    const missing = await fetch(`${url}/v1/orders`, { method: 'DELETE' });
    expect(missing.status).toBe(404);

    const log = server!.requestLog();
    expect(log.map((e) => [e.method, e.route, e.status])).toEqual([
      ['GET', 'GET /v1/orders/{orderID}', 200],
      ['POST', 'POST /v1/orders', 200],
      ['DELETE', null, 404],
    ]);
    expect(log[0]!.query).toBe('x=1');
    expect(log[0]!.headers.partyid).toBe('7');
    expect(log[0]!.headers.apikey).toBe('[redacted]');
    expect(JSON.stringify(log)).not.toContain('super-secret-key');
  });

  it('injects 429 with Retry-After and 5xx on the first N requests only', async () => {
    const url = await start(
      createSimServer({
        routes: [{ method: 'GET', pattern: '/a', handler: () => ({ json: 'ok' }) }],
        faults: [
          { kind: 'rate-limit', route: 'GET /a', retryAfterSeconds: 3, schedule: { first: 1 } },
          { kind: 'server-error', route: '/a', status: 503, schedule: { nth: [2] } },
        ],
      }),
    );
    const a = await fetch(`${url}/a`);
    expect(a.status).toBe(429);
    expect(a.headers.get('retry-after')).toBe('3');
    expect((await a.json()).errors[0].Code).toBe('TooManyRequests');
    expect((await fetch(`${url}/a`)).status).toBe(503);
    expect((await fetch(`${url}/a`)).status).toBe(200);
    expect(server!.requestLog().map((e) => e.faults)).toEqual([['rate-limit'], ['server-error'], []]);
  });

  it('drops the connection before or after the handler ran, and truncates bodies', async () => {
    let ran = 0;
    const url = await start(
      createSimServer({
        routes: [
          { method: 'GET', pattern: '/before', handler: () => (ran++, { json: 1 }) },
          { method: 'GET', pattern: '/after', handler: () => (ran++, { json: 2 }) },
          { method: 'GET', pattern: '/trunc', handler: () => ({ json: { long: 'x'.repeat(1000) } }) },
        ],
        faults: [
          { kind: 'drop-connection', route: '/before', when: 'before' },
          { kind: 'drop-connection', route: '/after' },
          { kind: 'truncate-body', route: '/trunc' },
        ],
      }),
    );
    expect((await raw(url, '/before')).data).toBe('');
    expect(ran).toBe(0);
    expect((await raw(url, '/after')).data).toBe('');
    expect(ran).toBe(1);
    const t = await raw(url, '/trunc');
    expect(t.data).toContain('200 OK');
    expect(t.closedEarly).toBe(true);
    await expect(fetch(`${url}/trunc`).then((r) => r.json())).rejects.toThrow();
    expect(server!.requestLog().map((e) => e.outcome)).toEqual(['dropped', 'dropped', 'truncated', 'truncated']);
  });

  it('applies latency and a seeded probability deterministically, and gives handlers a wrong SHA-256 on demand', async () => {
    const bytes = Buffer.from('CODA');
    const make = () =>
      createSimServer({
        routes: [{ method: 'GET', pattern: '/h', handler: (_r, ctx) => ({ json: ctx.sha256(bytes) }) }],
        faults: [{ kind: 'wrong-sha256', route: 'GET /h', schedule: { probability: 0.5, seed: 99 } }],
      });
    const right = createHash('sha256').update(bytes).digest('hex');
    const pattern = async () => {
      const url = await start(make());
      const out: boolean[] = [];
      for (let i = 0; i < 12; i++) out.push((await (await fetch(`${url}/h`)).json()) === right);
      await server!.close();
      server = null;
      return out;
    };
    const one = await pattern();
    const two = await pattern();
    expect(one).toEqual(two);
    expect(one).toContain(true);
    expect(one).toContain(false);

    const url = await start(
      createSimServer({
        routes: [{ method: 'GET', pattern: '/slow', handler: () => ({ json: 1 }) }],
        faults: [{ kind: 'latency', latencyMs: 80 }],
      }),
    );
    const t0 = Date.now();
    await fetch(`${url}/slow`);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(70);
  });
});
