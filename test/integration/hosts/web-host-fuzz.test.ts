/**
 * Browser mode must not fall over on what any web page can make a browser send it (an `<img src>` is
 * enough), nor on a misbehaving socket: malformed paths, encodings and headers, with and without the
 * token, on the pages and on the download route; and WebSocket frames RFC 6455 forbids, sent over a raw
 * socket. Each malformed request gets a 4xx, each bad frame closes that socket with the code the RFC
 * gives, and after each the host still answers. The host runs in a process of its own, so a crash shows
 * as that process exiting. Bounded: a fixed seed, a few hundred requests, a time limit per request.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { socketProtocol, socketTokenPrefix } from '../../../shared/api/wire';
import { tempDir } from '../../support/repo';

const childFile = path.join(path.dirname(new URL(import.meta.url).pathname), 'web-host-child.ts');
let child: ChildProcess;
let exited: string | null = null;
let port = 0;
let token = '';
let cleanup = () => {};

beforeAll(async () => {
  const made = tempDir('bvl-fuzz-');
  cleanup = made.cleanup;
  const renderer = path.join(made.dir, 'renderer');
  fs.mkdirSync(renderer);
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(renderer, 'a.js'), 'export {};');
  child = spawn(process.execPath, ['--import', 'tsx', childFile], {
    env: { ...process.env, BVL_DATA: path.join(made.dir, 'data'), BVL_RENDERER: renderer },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  child.on('exit', (code, signal) => (exited = `exited (${code ?? signal}): ${err.slice(-1500)}`));
  const ready = await new Promise<{ port: number; token: string }>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as { port: number; token: string });
    });
    child.on('exit', () => reject(new Error(exited ?? 'exited')));
  });
  port = ready.port;
  token = ready.token;
}, 30_000);

afterAll(async () => {
  if (child && exited === null) {
    const gone = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    await gone;
  }
  cleanup();
});

/** Bytes over a fresh TCP connection; resolves with all the host sent back before closing (or the limit). */
function raw(bytes: Buffer | string, waitMs = 2_000): Promise<Buffer> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    const timer = setTimeout(done, waitMs);
    socket.on('data', (d) => chunks.push(d));
    socket.on('end', done);
    socket.on('error', done);
    socket.on('connect', () => socket.write(bytes));
  });
}

const statusOf = (reply: Buffer) => Number(/^HTTP\/1\.1 (\d{3})/.exec(reply.toString('latin1'))?.[1] ?? 0);

function get(target: string, headers: Record<string, string> = {}): Promise<number> {
  const lines = [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), 'Connection: close', '', ''];
  return raw(Buffer.from(lines.join('\r\n'), 'latin1')).then(statusOf);
}

/** The host still serves a page and answers a call on a new socket. */
async function stillAnswers(after: string): Promise<void> {
  expect(exited, after).toBeNull();
  expect(await get('/'), after).toBe(200);
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api`, [socketProtocol, socketTokenPrefix + token], { origin: `http://127.0.0.1:${port}` });
  const result = await new Promise<{ ok: boolean }>((resolve, reject) => {
    ws.on('open', () => ws.send(JSON.stringify({ id: 1, channel: 'app.info' })));
    ws.on('message', (data) => resolve((JSON.parse(String(data)) as { result: { ok: boolean } }).result));
    ws.on('error', reject);
  });
  ws.close();
  expect(result.ok, after).toBe(true);
}

describe('the web host, fed malformed requests', () => {
  it('answers the requests any web page can send with a 400, with and without a token, and serves on', async () => {
    const bad = ['/%', '/%E0%A4%A', '/a%00.js', '/%00', '/%C0%AF', '/..%2f..%2fetc%2fpasswd%00.js', '/%ZZ', '/%%30'];
    for (const target of bad) {
      expect(await get(target), target).toBe(400);
      expect(await get(`${target}?token=${token}`), `${target} with a token`).toBe(400);
      expect(await get(`/exports/download/${target.slice(1)}?token=${token}`), `download ${target} with a token`).toBe(400);
      expect(await get(`/exports/download/${target.slice(1)}`), `download ${target} without a token`).toBe(400);
      const upgrade = await raw(
        [
          `GET /api${target} HTTP/1.1`,
          `Host: 127.0.0.1:${port}`,
          `Origin: http://127.0.0.1:${port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
          'Sec-WebSocket-Version: 13',
          `Sec-WebSocket-Protocol: ${socketProtocol}, ${socketTokenPrefix}${token}`,
          '',
          '',
        ].join('\r\n'),
      );
      expect([400, 404], `upgrade ${target}`).toContain(statusOf(upgrade));
    }
    await stillAnswers('the named malformed requests');
  });

  it('survives random paths, encodings and headers, with and without a token', async () => {
    const piece = fc.oneof(
      fc.constantFrom('%', '%0', '%00', '%E0%A4%A', '%C3%28', '%FF', '%2e%2e', '..', '%2F', '\\', '.js', '?', '#', '&token=', '%u0041', ';', '//', '%25'),
      fc.string({ maxLength: 6, unit: 'grapheme-ascii' }).map((s) => s.replace(/[\s]/g, '')),
      fc.integer({ min: 0, max: 255 }).map((n) => `%${n.toString(16).padStart(2, '0').toUpperCase()}`),
    );
    const target = fc.array(piece, { minLength: 1, maxLength: 8 }).map((parts) => '/' + parts.join(''));
    const header = fc.record({
      name: fc.constantFrom('Cookie', 'Range', 'Accept', 'If-None-Match', 'Accept-Encoding', 'X-Forwarded-For', 'Origin', 'Referer'),
      value: fc.string({ maxLength: 40, unit: 'binary-ascii' }).map((s) => s.replace(/[\r\n\0]/g, '')),
    });
    const scenario = fc.record({ target, headers: fc.array(header, { maxLength: 3 }), withToken: fc.boolean(), download: fc.boolean() });
    const samples = fc.sample(scenario, { numRuns: 150, seed: 20260401 });
    for (const s of samples) {
      let t = s.download ? `/exports/download${s.target}` : s.target;
      if (s.withToken) t += `${t.includes('?') ? '&' : '?'}token=${token}`;
      const status = await get(t, Object.fromEntries(s.headers.map((h) => [h.name, h.value])));
      // Refused or served, never a server error and never silence.
      expect(status >= 200 && status < 500, `${t} → ${status}`).toBe(true);
      expect(exited, t).toBeNull();
    }
    await stillAnswers('random requests');
  }, 60_000);
});

/** An open, authenticated socket over raw TCP (the handshake's reply already read). */
async function openRawSocket(): Promise<{ socket: net.Socket; received: () => Buffer; closed: Promise<void> }> {
  const socket = net.connect(port, '127.0.0.1');
  const chunks: Buffer[] = [];
  let upgraded!: () => void;
  const upgradedP = new Promise<void>((resolve, reject) => {
    upgraded = resolve;
    socket.on('error', reject);
    socket.on('close', () => reject(new Error(`the host closed the connection before the handshake (${exited ?? 'running'})`)));
  });
  const closed = new Promise<void>((r) => {
    socket.on('close', () => r());
    socket.on('error', () => r());
  });
  socket.on('data', (d) => {
    chunks.push(d);
    if (Buffer.concat(chunks).includes('\r\n\r\n')) upgraded();
  });
  socket.write(
    [
      'GET /api HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      `Origin: http://127.0.0.1:${port}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      `Sec-WebSocket-Key: ${crypto.randomBytes(16).toString('base64')}`,
      'Sec-WebSocket-Version: 13',
      `Sec-WebSocket-Protocol: ${socketProtocol}, ${socketTokenPrefix}${token}`,
      '',
      '',
    ].join('\r\n'),
  );
  await upgradedP;
  const head = Buffer.concat(chunks);
  expect(head.toString('latin1')).toMatch(/^HTTP\/1\.1 101/);
  const rest = head.subarray(head.indexOf('\r\n\r\n') + 4);
  chunks.length = 0;
  if (rest.length) chunks.push(rest);
  return { socket, received: () => Buffer.concat(chunks), closed };
}

/** A client frame: FIN + opcode, masked unless told otherwise, with a length field as long as the payload needs. */
function frame(opts: { first: number; payload: Buffer; masked?: boolean; declaredLength?: number }): Buffer {
  const length = opts.declaredLength ?? opts.payload.length;
  const masked = opts.masked !== false;
  const head: number[] = [opts.first];
  if (length < 126) head.push((masked ? 0x80 : 0) | length);
  else if (length < 65_536) head.push((masked ? 0x80 : 0) | 126, length >> 8, length & 0xff);
  else {
    head.push((masked ? 0x80 : 0) | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    head.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(head), opts.payload]);
  const mask = crypto.randomBytes(4);
  const body = Buffer.from(opts.payload.map((b, i) => b ^ mask[i % 4]!));
  return Buffer.concat([Buffer.from(head), mask, body]);
}

/** The close code in the server's close frame (servers do not mask). */
function closeCodeOf(bytes: Buffer): number | null {
  for (let i = 0; i + 1 < bytes.length; ) {
    const opcode = bytes[i]! & 0x0f;
    let len = bytes[i + 1]! & 0x7f;
    let at = i + 2;
    if (len === 126) {
      len = bytes.readUInt16BE(at);
      at += 2;
    } else if (len === 127) {
      len = Number(bytes.readBigUInt64BE(at));
      at += 8;
    }
    if (opcode === 0x8) return len >= 2 ? bytes.readUInt16BE(at) : 1005;
    i = at + len;
  }
  return null;
}

describe('the web host, fed malformed WebSocket frames', () => {
  const closeWith = (code: number, status: number) => Buffer.from([code >> 8, code & 0xff, ...Buffer.from(String(status))]);
  const cases: Array<[string, Buffer, number]> = [
    ['a frame over the size limit', frame({ first: 0x81, payload: Buffer.alloc(16), declaredLength: 9 * 1024 * 1024 }), 1009],
    ['a text frame of invalid UTF-8', frame({ first: 0x81, payload: Buffer.from([0x7b, 0xc3, 0x28, 0xff, 0x7d]) }), 1007],
    ['an unmasked frame', frame({ first: 0x81, payload: Buffer.from('{"id":1}'), masked: false }), 1002],
    ['reserved bits set (no extension agreed)', frame({ first: 0x81 | 0x40 | 0x20, payload: Buffer.from('{}') }), 1002],
    ['a reserved opcode', frame({ first: 0x83, payload: Buffer.from('x') }), 1002],
    ['a close frame with a code no one may send', frame({ first: 0x88, payload: closeWith(1005, 0).subarray(0, 2) }), 1002],
    ['a close frame with an out-of-range code', frame({ first: 0x88, payload: closeWith(999, 0).subarray(0, 2) }), 1002],
    ['a continuation with nothing to continue', frame({ first: 0x80, payload: Buffer.from('x') }), 1002],
    ['a fragmented control frame', frame({ first: 0x09, payload: Buffer.from('ping') }), 1002],
  ];
  it.each(cases)('closes the socket on %s with the RFC’s code, and serves on', async (label, bytes, code) => {
    const { socket, received, closed } = await openRawSocket();
    socket.write(bytes);
    await Promise.race([closed, new Promise((r) => setTimeout(r, 3_000))]);
    socket.destroy();
    expect(closeCodeOf(received()), label).toBe(code);
    await stillAnswers(label);
  });
});
