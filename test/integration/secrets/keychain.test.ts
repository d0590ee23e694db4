/**
 * The credential store against the real Secret Service (npm test runs vitest inside
 * `dbus-run-session` with an unlocked throwaway gnome-keyring and sets BVL_REQUIRE_KEYCHAIN=1).
 * Without any Secret Service session these tests are skipped, with the reason in their title —
 * unless BVL_REQUIRE_KEYCHAIN=1, where a missing keychain fails them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import { createSecretStore, type KeytarLike } from '../../../electron/core/secrets';
import { scanForSecrets } from './scan';
import { tempDir } from '../cache/fixtures';
import { demoOffice } from '../../../electron/demo/office';

const service = `be.billit.venicelink.test-${randomBytes(4).toString('hex')}`;
const store = createSecretStore({ service });
const status = await store.probe();
const required = process.env.BVL_REQUIRE_KEYCHAIN === '1';
const run = status.available || required;
const keytar = (await import('keytar').then((m) => (m as unknown as { default?: KeytarLike }).default ?? (m as unknown as KeytarLike)).catch(() => null))!;

async function entries(): Promise<string[]> {
  return (await keytar.findCredentials(service)).map((c) => c.account).sort();
}

const secret = (label: string) => `${label}-${randomBytes(12).toString('hex')}`;

if (!run) {
  describe('the credential store on the real keychain', () => {
    it.skip(`skipped: no Secret Service session (${status.reason}); npm test runs these inside dbus-run-session`, () => {});
  });
}

describe.runIf(run)('the credential store on the real keychain', () => {
  afterAll(async () => {
    if (!keytar) return;
    for (const c of await keytar.findCredentials(service)) await keytar.deletePassword(service, c.account);
  });

  it('passes its write/read/delete probe and leaves nothing behind', async () => {
    expect(status).toEqual({ available: true });
    expect((await entries()).filter((a) => a.startsWith('probe/'))).toEqual([]);
  });

  it('stores a Billit API key and a Venice login, and hands them to the clients', async () => {
    const apiKey = secret('key');
    const password = secret('pw');
    await store.saveBillitApiKey('sandbox', apiKey);
    await store.saveVeniceLogin('production', { username: 'admin@office.be', password });
    expect(await store.billitAuth('sandbox')).toEqual({ kind: 'api-key', apiKey });
    expect(await store.veniceLogin('production')).toEqual({ username: 'admin@office.be', password });
    expect(await store.billitAuth('production')).toBeNull();
    expect(await store.has('billit:sandbox')).toBe(true);
    expect(await store.has('venice:demo')).toBe(false);
  });

  it('writes a renewed OAuth pair before dropping the old one, and survives a crash in between', async () => {
    const first = { accessToken: secret('at1'), refreshToken: secret('rt1'), expiresAt: Date.now() + 3_600_000 };
    await store.saveBillitOAuth('demo', { clientId: 'client-1', clientSecret: secret('cs') }, first);
    expect(await store.tokenPair('demo')).toEqual(first);

    const second = { accessToken: secret('at2'), refreshToken: secret('rt2'), expiresAt: Date.now() + 7_200_000 };
    await store.saveTokenPair('demo', second);
    expect(await store.tokenPair('demo')).toEqual(second);
    expect((await entries()).filter((a) => a.startsWith('billit:demo/tokens#'))).toHaveLength(1);

    // A crash after the new pair was written and before the old one was deleted: both are there.
    const generations = (await entries()).filter((a) => a.startsWith('billit:demo/tokens#'));
    const next = Number(generations[0]!.split('#')[1]) + 1;
    const third = { accessToken: secret('at3'), refreshToken: secret('rt3'), expiresAt: Date.now() + 9_000_000 };
    await keytar.setPassword(service, `billit:demo/tokens#${next}`, JSON.stringify(third));
    expect(await store.tokenPair('demo')).toEqual(third);

    // The client's view: the newest pair, and the hooks that rotate it.
    const auth = await store.billitAuth('demo');
    expect(auth).toMatchObject({ kind: 'oauth', clientId: 'client-1', tokens: third });
    if (auth?.kind !== 'oauth') throw new Error('expected OAuth');
    await auth.dropTokens!(third);
    expect((await entries()).filter((a) => a.startsWith('billit:demo/tokens#'))).toEqual([`billit:demo/tokens#${next}`]);
    const fourth = { accessToken: secret('at4'), refreshToken: secret('rt4'), expiresAt: Date.now() + 9_500_000 };
    await auth.saveTokens(fourth, third);
    expect(await store.tokenPair('demo')).toEqual(fourth);
  });

  it('removes every secret of an account, and only that account', async () => {
    await store.saveBillitApiKey('production', secret('keep'));
    const removed = await store.removeAccount('billit:demo');
    expect(removed).toBeGreaterThanOrEqual(2); // the OAuth client and the token pair
    expect((await entries()).filter((a) => a.startsWith('billit:demo/'))).toEqual([]);
    expect(await store.has('billit:production')).toBe(true);
  });

  describe('through the app’s Settings calls', () => {
    let core: Core;
    let dataDir: string;
    const apiKey = secret('billit-api-key');
    const password = secret('venice-password');

    afterAll(async () => {
      await core?.close();
    });

    it('saves accounts: the renderer sees "configured as …", never a secret, and nothing lands on disk', async () => {
      dataDir = tempDir('bvl-settings-');
      core = await createCore({ dataDir, version: '0.0.0-test', host: 'browser', demo: demoOffice(), keychainService: service, syncOnStartup: false });

      const saved = await core.call('settings.saveAccount', { kind: 'billit', auth: 'api-key', environment: 'sandbox', apiKey, label: 'Accountancy Dupont' });
      expect(saved).toMatchObject({ ok: true, value: { id: 'billit:sandbox', label: 'Accountancy Dupont', secretStored: true, lastVerifiedAt: null } });
      const venice = await core.call('settings.saveAccount', { kind: 'venice', auth: 'basic', environment: 'production', username: 'admin@office.be', password });
      expect(venice).toMatchObject({ ok: true, value: { id: 'venice:production', label: 'admin@office.be' } });
      // A label that is the secret itself is never shown.
      const careless = await core.call('settings.saveAccount', { kind: 'billit', auth: 'api-key', environment: 'demo', apiKey, label: apiKey });
      expect(careless).toMatchObject({ ok: true, value: { label: 'API key' } });

      const accounts = await core.call('settings.accounts', undefined);
      const info = await core.call('app.info', undefined);
      expect(info).toMatchObject({ ok: true, value: { keychain: { available: true } } });
      expect((info as { value: { accounts: unknown[] } }).value.accounts).toHaveLength(3);
      for (const response of [saved, venice, careless, accounts, info]) {
        expect(JSON.stringify(response)).not.toContain(apiKey);
        expect(JSON.stringify(response)).not.toContain(password);
      }

      // Whatever is logged, the secrets are redacted.
      core.log.error(`a careless line with ${apiKey} and ${password}`);
      await core.call('settings.integrityCheck', undefined);
      expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).toContain('[redacted]');
      expect(scanForSecrets(dataDir, [apiKey, password])).toEqual([]);
    });

    it('removes an account and its secrets', async () => {
      const result = await core.call('settings.removeAccount', { id: 'billit:sandbox' });
      expect(result).toEqual({ ok: true, value: { removed: true, secretsRemoved: 1 } });
      expect((await entries()).filter((a) => a.startsWith('billit:sandbox/'))).toEqual([]);
      const accounts = (await core.call('settings.accounts', undefined)) as { ok: true; value: { id: string }[] };
      expect(accounts.value.map((a) => a.id).sort()).toEqual(['billit:demo', 'venice:production']);
    });

    it('rejects malformed input before it reaches the keychain', async () => {
      const bad = await core.call('settings.saveAccount', { kind: 'billit', auth: 'api-key', environment: 'moon', apiKey: 'x' });
      expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
      expect(JSON.stringify(bad)).not.toContain('"x"');
    });
  });
});
