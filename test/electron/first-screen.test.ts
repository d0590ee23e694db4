import fs from 'node:fs';
import path from 'node:path';
import { _electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../support/repo';
// @ts-expect-error plain JavaScript helper shared with the start script
import { electronBinary } from '../../scripts/electron-binary.mjs';

const binary = electronBinary() as { path: string | null; reason: string | null };
if (!binary.path) console.warn(`skipped: no Electron binary (${binary.reason})`);

describe.skipIf(!binary.path)('first screen in the Electron app', () => {
  it('shows the version, the demo mode and the three places', async () => {
    const { dir, cleanup } = tempDir('bvl-electron-');
    const app = await _electron.launch({
      executablePath: binary.path!,
      args: [repoRoot, '--no-sandbox'],
      env: { ...process.env, BVL_DATA_DIR: dir },
    });
    try {
      const page = await app.firstWindow();
      await expect.poll(() => page.getByTestId('version').textContent()).toMatch(/\d+\.\d+\.\d+/);
      expect(await page.getByTestId('demo-banner').isVisible()).toBe(true);
      // The renderer has window.api and nothing of Node.
      const globals = await page.evaluate(() => ({
        api: typeof (window as unknown as { api?: unknown }).api,
        require: typeof (window as unknown as { require?: unknown }).require,
        process: typeof (window as unknown as { process?: unknown }).process,
      }));
      expect(globals).toEqual({ api: 'object', require: 'undefined', process: 'undefined' });
      fs.mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
      await page.screenshot({ path: path.join(repoRoot, 'test-results', 'electron-first-screen.png') });
    } finally {
      await app.close();
      cleanup();
    }
  });
});
