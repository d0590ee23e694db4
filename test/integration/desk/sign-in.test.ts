/**
 * Billit OAuth sign-in from the first run, through the web host's /oauth/callback (what Electron's deep
 * link does too), on the real keychain; a forged callback changes nothing; and "use my accounts" moves
 * the core from the demo office to the accounts just connected.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import { createSecretStore } from '../../../electron/core/secrets';
import { startDemoOffice, type DemoOffice } from '../../../electron/demo/office';
import { startWebHost, type WebHost } from '../../../electron/web-host';
import type { AccountView, AppInfo, DossierRow, Events, Page } from '../../../shared/api';
import { repoRoot, tempDir } from '../../support/repo';
import { call } from '../sync/support';

const service = `be.billit.venicelink.test-${randomBytes(4).toString('hex')}`;
const keychain = await createSecretStore({ service }).probe();
const run = keychain.available || process.env.BVL_REQUIRE_KEYCHAIN === '1';

let office: DemoOffice;
let core: Core;
let host: WebHost;
let dir: { dir: string; cleanup: () => void };
const signIns: Events['settings.signIn'][] = [];

if (!run) {
  describe('Billit sign-in', () => {
    it.skip(`skipped: no Secret Service session (${keychain.reason}); npm test runs these inside dbus-run-session`, () => {});
  });
}

describe.runIf(run)('Billit sign-in', () => {
  beforeAll(async () => {
    office = await startDemoOffice({ seed: 31, dossiers: 4, invoicesPerDossier: 1 });
    dir = tempDir('bvl-sign-in-');
    core = await createCore({
      dataDir: path.join(dir.dir, 'data'),
      version: '0.0.0-test',
      host: 'browser',
      demo: { office },
      keychainService: service,
      timing: { retries: 0, timeoutMs: 5_000 },
      syncOnStartup: false,
    });
    host = await startWebHost({ core, rendererDir: path.join(repoRoot, 'out/renderer') });
    core.subscribe((event, payload) => event === 'settings.signIn' && signIns.push(payload as Events['settings.signIn']));
  });
  afterAll(async () => {
    for (const id of ['billit:demo', 'venice:demo']) await core?.call('settings.removeAccount', { id });
    await host?.close();
    await core?.close();
    await office?.close();
    dir?.cleanup();
  });

  /** The accountant's browser: Billit's sign-in page, "Allow", and the redirect back to the app. */
  async function browserSignIn(authorizeUrl: string, decision: 'allow' | 'deny'): Promise<string> {
    const page = await fetch(authorizeUrl);
    expect(page.status).toBe(200);
    const url = new URL(authorizeUrl);
    const form = new URLSearchParams({
      client_id: url.searchParams.get('client_id')!,
      redirect_uri: url.searchParams.get('redirect_uri')!,
      state: url.searchParams.get('state')!,
      decision,
    });
    const back = await fetch(new URL('/Account/Logon', authorizeUrl), { method: 'POST', body: form, redirect: 'manual' });
    expect(back.status).toBe(302);
    return back.headers.get('location')!;
  }

  it('signs in through the browser and comes back to the web host, verified, the secret in the keychain only', async () => {
    const { clientId, clientSecret } = office.credentials.billit.oauth;
    const { authorizeUrl } = await call<{ authorizeUrl: string }>(core, 'settings.billitSignIn', { environment: 'demo', clientId, clientSecret });
    expect(new URL(authorizeUrl).searchParams.get('redirect_uri')).toBe(`http://127.0.0.1:${host.port}/oauth/callback`);
    const location = await browserSignIn(authorizeUrl, 'allow');
    expect(location.startsWith(`http://127.0.0.1:${host.port}/oauth/callback?`)).toBe(true);

    const landing = await fetch(location);
    expect(landing.status).toBe(200);
    expect(await landing.text()).toContain('You can close this tab');
    expect(signIns).toHaveLength(1);
    const outcome = signIns[0]!;
    expect(outcome.ok).toBe(true);
    const account = (outcome as { account: AccountView }).account;
    expect(account).toMatchObject({ id: 'billit:demo', auth: 'oauth', secretStored: true });
    expect(account.lastVerifiedAt).toBeTruthy();
    expect(JSON.stringify(await call(core, 'settings.accounts'))).not.toContain(clientSecret);
  });

  it('refuses a callback it did not start (or one used twice), storing nothing', async () => {
    signIns.length = 0;
    const before = await call<AccountView[]>(core, 'settings.accounts');
    const forged = await fetch(`http://127.0.0.1:${host.port}/oauth/callback?code=stolen&state=made-up`);
    expect(forged.status).toBe(200);
    expect(signIns).toEqual([{ ok: false, code: 'auth', message: expect.stringContaining('start the sign-in again') }]);
    expect(await call(core, 'settings.accounts')).toEqual(before);

    // Denied in the browser: said so, nothing stored.
    signIns.length = 0;
    const { clientId, clientSecret } = office.credentials.billit.oauth;
    const { authorizeUrl } = await call<{ authorizeUrl: string }>(core, 'settings.billitSignIn', { environment: 'demo', clientId, clientSecret });
    await core.handleDeepLink(await browserSignIn(authorizeUrl, 'deny'));
    expect(signIns).toMatchObject([{ ok: false, code: 'auth' }]);
  });

  it('leaves the demo office for the accounts once both are connected', async () => {
    await call(core, 'dossiers.refresh');
    expect((await call<AppInfo>(core, 'app.info')).mode).toBe('demo');
    await call(core, 'settings.saveAccount', { kind: 'venice', auth: 'basic', environment: 'demo', ...office.credentials.venice });
    await call(core, 'settings.verifyAccount', { id: 'venice:demo' });

    const info = await call<AppInfo>(core, 'app.setup', { use: 'accounts' });
    expect(info).toMatchObject({ mode: 'live', firstRun: false });
    expect(info.accounts.map((a) => a.kind).sort()).toEqual(['billit', 'venice']);
    // What the demo office had cached is gone; the accounts' dossiers come from their Venice.
    expect((await call<Page<DossierRow>>(core, 'dossiers.list', {})).total).toBe(0);
    office.billit.server.clearLog();
    expect(await call(core, 'dossiers.refresh')).toEqual({ dossiers: 4 });
    const bearer = office.billit.server.requestLog().filter((e) => e.headers.authorization === '[redacted]');
    expect(bearer.length).toBeGreaterThan(0);
  });
});
