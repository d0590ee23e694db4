import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { rendererFile, serveRenderer } from '../../../electron/app-protocol';
import { contentSecurityPolicy } from '../../../electron/csp';

describe('app://renderer/ serves the renderer folder and nothing else', () => {
  it.each([
    ['app://renderer/', 'index.html'],
    ['app://renderer/index.html', 'index.html'],
    ['app://renderer/assets/main-abc.js', 'assets/main-abc.js'],
    ['app://renderer/assets/a%20b.css?v=1#x', 'assets/a b.css'],
  ])('%s → %s (POSIX and Windows paths)', (url, rel) => {
    expect(rendererFile('/app/out/renderer', url, path.posix)).toBe(path.posix.join('/app/out/renderer', rel));
    expect(rendererFile('C:\\App\\out\\renderer', url, path.win32)).toBe(path.win32.join('C:\\App\\out\\renderer', rel));
  });

  it('resolves plain dot segments as URLs do, inside the folder', () => {
    // The URL parser (Chromium's before the handler, Node's here) removes "/../" and "/%2e%2e/" itself.
    expect(rendererFile('/app/out/renderer', 'app://renderer/../main.js', path.posix)).toBe('/app/out/renderer/main.js');
    expect(rendererFile('/app/out/renderer', 'app://renderer/assets/%2e%2e/main.js', path.posix)).toBe('/app/out/renderer/main.js');
  });

  it.each([
    'app://renderer/assets/%2e%2e%2f%2e%2e%2fmain.js',
    'app://renderer/assets/..%2f..%2fmain.js',
    'app://renderer/..%5c..%5cmain.js',
    'app://renderer/assets%5c..%5c..%5cmain.js',
    'app://renderer/a%00.js',
    'app://renderer/%',
    'app://renderer/%E0%A4%A',
    'app://other/index.html',
    'app://renderer.evil/index.html',
    'file:///etc/passwd',
    'not a url',
  ])('refuses %s on both platforms', (url) => {
    expect(rendererFile('/app/out/renderer', url, path.posix)).toBeNull();
    expect(rendererFile('C:\\App\\out\\renderer', url, path.win32)).toBeNull();
  });

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-protocol-'));
  const renderer = path.join(dir, 'renderer');
  fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><title>app</title>');
  fs.writeFileSync(path.join(dir, 'secret.txt'), 'not for the renderer');
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  // Electron's handler reads with net.fetch(file:…); here the same contract with the file system.
  const handler = serveRenderer({
    rendererDir: renderer,
    csp: contentSecurityPolicy(),
    fetchFile: async (file) => new Response(await fs.promises.readFile(file), { headers: { 'Content-Type': 'text/html' } }),
  });

  it('answers with the file, the CSP as a header and nosniff', async () => {
    const response = await handler(new Request('app://renderer/'));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain('<title>app</title>');
    expect(response.headers.get('Content-Security-Policy')).toBe(contentSecurityPolicy());
    expect(response.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(response.headers.get('Content-Type')).toBe('text/html');
  });

  it('answers 404 for a file outside the folder, a missing file, broken encoding and other methods', async () => {
    for (const url of ['app://renderer/../secret.txt', 'app://renderer/%2e%2e/secret.txt', 'app://renderer/missing.js', 'app://renderer/%']) {
      const response = await handler(new Request(url));
      expect(response.status, url).toBe(404);
      expect(await response.text()).not.toContain('not for the renderer');
    }
    expect((await handler(new Request('app://renderer/index.html', { method: 'POST', body: 'x' }))).status).toBe(404);
  });
});
