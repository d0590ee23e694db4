/**
 * The built app (`out/electron/`): the bundles the hosts run carry neither the demo office's simulators nor
 * its seed generator; the demo office is a bundle of its own, which browser mode loads when no account is
 * configured, so a first run still opens on the demo office.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { socketProtocol, socketTokenPrefix } from '../../shared/api/wire';
import { repoRoot, tempDir } from '../support/repo';

const out = path.join(repoRoot, 'out/electron');
const read = (name: string) => fs.readFileSync(path.join(out, name), 'utf8');

/** Names that only the seed generator and the simulators define (esbuild keeps them as written). */
const demoMarkers = ['function createWorld(', 'function populateBillit(', 'function startDemoOffice(', 'function createSimServer(', 'function createBillitSimulator('];

describe('the production bundle', () => {
  it.each(['main.js', 'browser.js', 'sync-worker.js', 'checks-worker.js'])('%s holds no seed generator and no simulator', (bundle) => {
    const code = read(bundle);
    for (const marker of demoMarkers) expect(code, marker).not.toContain(marker);
  });

  it('keeps the demo office in a bundle of its own, with everything the hosts leave out', () => {
    const code = read('demo-office.js');
    for (const marker of demoMarkers) expect(code, marker).toContain(marker);
  });

  let child: ChildProcess | null = null;
  const dir = tempDir('bvl-bundle-');
  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    dir.cleanup();
  });

  it('opens a first run in browser mode on the demo office, loaded from its bundle', async () => {
    child = spawn(process.execPath, [path.join(out, 'browser.js'), '--no-open', '--port=0'], {
      env: { ...process.env, BVL_DATA_DIR: dir.dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const address = await new Promise<URL>((resolve, reject) => {
      let text = '';
      child!.stdout!.on('data', (chunk: Buffer) => {
        text += chunk.toString();
        const m = /(http:\/\/127\.0\.0\.1:\d+\/#token=\S+)/.exec(text);
        if (m) resolve(new URL(m[1]!));
      });
      child!.on('exit', (code) => reject(new Error(`browser mode exited (${code}): ${text}`)));
    });
    const token = address.hash.replace('#token=', '');
    const ws = new WebSocket(`ws://${address.host}/api`, [socketProtocol, socketTokenPrefix + token], { origin: address.origin });
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    const info = await new Promise<{ ok: boolean; value: { mode: string; firstRun: boolean } }>((resolve) => {
      ws.on('message', (data) => {
        const message = JSON.parse(String(data));
        if (message.id === 1) resolve(message.result);
      });
      ws.send(JSON.stringify({ id: 1, channel: 'app.info' }));
    });
    ws.close();
    expect(info).toMatchObject({ ok: true, value: { mode: 'demo', firstRun: true } });
  });
});
