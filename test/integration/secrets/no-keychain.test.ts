import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createSecretStore } from '../../../electron/core/secrets';
import { tempDir } from '../cache/fixtures';
import { scanForSecrets } from './scan';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'no-keychain-child.ts');

describe('without a usable keychain', () => {
  it('says why, refuses to store credentials, and writes them nowhere (no plaintext fallback)', { timeout: 60_000 }, () => {
    const dataDir = tempDir('bvl-nokeychain-');
    const secret = `never-stored-${randomBytes(12).toString('hex')}`;
    const env = { ...process.env, DBUS_SESSION_BUS_ADDRESS: 'unix:path=/nonexistent/bvl-no-bus', DISPLAY: '' };
    const r = spawnSync(process.execPath, ['--import', 'tsx', child, dataDir, secret], { env, encoding: 'utf8', timeout: 50_000 });
    expect(r.status, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!);

    expect(out.status.ok).toBe(true);
    expect(out.status.value.available).toBe(false);
    expect(out.status.value.reason).toMatch(/Secret Service|keychain/i);
    expect(out.info.value.keychain).toEqual(out.status.value);

    for (const save of [out.save, out.saveVenice]) {
      expect(save.ok).toBe(false);
      expect(save.error.code).toBe('keychain-unavailable');
      expect(save.error.message).toMatch(/nothing was stored/);
    }
    expect(out.accounts).toEqual({ ok: true, value: [] });
    expect(r.stdout + r.stderr).not.toContain(secret);
    expect(scanForSecrets(dataDir, [secret])).toEqual([]);
  });

  it('says so when keytar itself could not be loaded (a failed native build), and refuses to store', async () => {
    const store = createSecretStore({
      loadKeytar: () => Promise.reject(new Error("Cannot find module '../build/Release/keytar.node'")),
    });
    const status = await store.status();
    expect(status.available).toBe(false);
    expect(status.reason).toMatch(/keytar.*could not be loaded/);
    await expect(store.saveBillitApiKey('sandbox', 'a-key-that-must-not-be-stored')).rejects.toMatchObject({ code: 'keychain-unavailable' });
    await expect(store.veniceLogin('production')).rejects.toMatchObject({ code: 'keychain-unavailable' });
  });
});
