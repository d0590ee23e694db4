import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type AppError } from '../../../shared/api/errors';
import {
  type BillitError,
  billitAuthorizeUrl,
  createBillitClient,
  exchangeAuthorizationCode,
  parseAuthorizeRedirect,
  type OAuthTokens,
} from '../../../electron/core/billit';
import { OAUTH_CLIENT, buildWorld, fastTiming, memoryLogger, nonSwaggerRequests, startChecked, type CheckedSimulator, type World } from './world';

/**
 * A token store on disk, the way a keychain entry behaves: `save` appends the new pair durably, `drop`
 * removes an old one, `load` gives the newest. `crashOnDrop` stands for the process dying between the two.
 */
class FileTokenStore {
  crashOnDrop = false;
  events: string[] = [];
  constructor(readonly file: string) {}
  load(): OAuthTokens {
    const pairs = JSON.parse(fs.readFileSync(this.file, 'utf8')) as OAuthTokens[];
    return pairs.at(-1)!;
  }
  all(): OAuthTokens[] {
    return fs.existsSync(this.file) ? (JSON.parse(fs.readFileSync(this.file, 'utf8')) as OAuthTokens[]) : [];
  }
  async save(next: OAuthTokens): Promise<void> {
    this.events.push(`save ${next.refreshToken.slice(0, 6)}`);
    const tmp = this.file + '.tmp';
    fs.writeFileSync(tmp, JSON.stringify([...this.all(), next]));
    fs.renameSync(tmp, this.file);
  }
  async drop(previous: OAuthTokens): Promise<void> {
    if (this.crashOnDrop) throw new Error('process died');
    this.events.push(`drop ${previous.refreshToken.slice(0, 6)}`);
    fs.writeFileSync(this.file, JSON.stringify(this.all().filter((p) => p.refreshToken !== previous.refreshToken)));
  }
}

let running: CheckedSimulator | null = null;
let dir = '';
let now = Date.parse('2026-05-01T09:00:00Z');
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'billit-oauth-'));
  now = Date.parse('2026-05-01T09:00:00Z');
});
afterEach(async () => {
  if (running) {
    expect(running.violations).toEqual([]);
    expect(nonSwaggerRequests(running.sim.requestLog().filter((e) => e.path !== '/Account/Logon'))).toEqual([]);
    await running.close();
  }
  running = null;
  fs.rmSync(dir, { recursive: true, force: true });
});

async function start() {
  // The simulator's clock and the client's clock are the same test clock.
  const world = buildWorld({ now: () => new Date(now) });
  running = await startChecked(world.state);
  return { world, url: running.url, sim: running.sim };
}

/** The browser part: open the authorisation page, press Allow (or Deny), follow the redirect to the app. */
async function browserSignIn(url: string, decision: 'allow' | 'deny', state = 'xyz-123'): Promise<string> {
  const authorize = billitAuthorizeUrl({ webBaseUrl: url, clientId: OAUTH_CLIENT.clientId, redirectUri: OAUTH_CLIENT.redirectUri, state });
  const pageRes = await fetch(authorize);
  expect(pageRes.status).toBe(200);
  const html = await pageRes.text();
  expect(html).toContain(OAUTH_CLIENT.name);
  const form = new URLSearchParams({ client_id: OAUTH_CLIENT.clientId, redirect_uri: OAUTH_CLIENT.redirectUri, state, decision });
  const res = await fetch(`${url}/Account/Logon`, { method: 'POST', body: form, redirect: 'manual' });
  expect(res.status).toBe(302);
  return res.headers.get('location')!;
}

async function signIn(url: string, store: FileTokenStore) {
  const redirected = await browserSignIn(url, 'allow');
  expect(redirected.startsWith(OAUTH_CLIENT.redirectUri)).toBe(true);
  const { code } = parseAuthorizeRedirect(redirected, 'xyz-123');
  const tokens = await exchangeAuthorizationCode({
    baseUrl: url,
    clientId: OAUTH_CLIENT.clientId,
    clientSecret: OAUTH_CLIENT.clientSecret,
    code,
    redirectUri: OAUTH_CLIENT.redirectUri,
    timing: { now: () => now },
  });
  await store.save(tokens);
  return { tokens, code };
}

function oauthClient(url: string, world: World, store: FileTokenStore, logger = memoryLogger()) {
  return createBillitClient({
    baseUrl: url,
    accountantPartyId: world.state.office.partyId,
    logger,
    timing: { ...fastTiming().timing, now: () => now },
    auth: {
      kind: 'oauth',
      clientId: OAUTH_CLIENT.clientId,
      clientSecret: OAUTH_CLIENT.clientSecret,
      tokens: store.load(),
      saveTokens: (next) => store.save(next),
      dropTokens: (previous) => store.drop(previous),
    },
  });
}

describe('Billit OAuth2', () => {
  it('signs in through /Account/Logon, exchanges the code (single-use) and calls with a Bearer token', async () => {
    const { world, url, sim } = await start();
    const store = new FileTokenStore(path.join(dir, 'tokens.json'));
    const { tokens, code } = await signIn(url, store);
    expect(tokens.expiresAt).toBe(now + 3600_000);

    const client = oauthClient(url, world, store);
    const info = await client.accountInformation();
    expect(info.Email).toBe('accountant@demo-boekhouding.be');
    expect(sim.requestLog().at(-1)!.headers.authorization).toBe('[redacted]');

    const reused = await exchangeAuthorizationCode({
      baseUrl: url,
      clientId: OAUTH_CLIENT.clientId,
      clientSecret: OAUTH_CLIENT.clientSecret,
      code,
      redirectUri: OAUTH_CLIENT.redirectUri,
    }).catch((e: unknown) => e);
    expect((reused as AppError).code).toBe('auth');
  });

  it('reports a denial in the browser as an auth error', async () => {
    const { url } = await start();
    const redirected = await browserSignIn(url, 'deny');
    expect(() => parseAuthorizeRedirect(redirected, 'xyz-123')).toThrow(/denied/);
    expect(() => parseAuthorizeRedirect(`${OAUTH_CLIENT.redirectUri}?code=abc&state=other`, 'xyz-123')).toThrow(/state/);
  });

  it('refreshes an expiring token once for concurrent calls, storing the new pair before dropping the old', async () => {
    const { world, url, sim } = await start();
    const store = new FileTokenStore(path.join(dir, 'tokens.json'));
    const { tokens: first } = await signIn(url, store);
    const logger = memoryLogger();
    const client = oauthClient(url, world, store, logger);
    now += 3600_000 - 30_000; // inside the refresh margin
    await Promise.all([client.accountInformation(), client.listOrders(world.linked.partyId), client.pollFeed('venice-link')]);
    expect(sim.requestLog().filter((e) => e.path === '/OAuth2/token')).toHaveLength(2); // sign-in + one refresh
    const second = store.load();
    expect(second.refreshToken).not.toBe(first.refreshToken);
    expect(store.events).toEqual([`save ${first.refreshToken.slice(0, 6)}`, `save ${second.refreshToken.slice(0, 6)}`, `drop ${first.refreshToken.slice(0, 6)}`]);
    expect(store.all()).toEqual([second]);
    expect(client.currentAuth().kind === 'oauth' && client.currentAuth()).toMatchObject({ tokens: second });
    // The old refresh token is spent: Billit's refresh tokens are single-use.
    expect(world.state.refreshTokens.get(first.refreshToken)?.used).toBe(true);
    // No token in any log line.
    const lines = logger.lines.join('\n');
    for (const t of [first.accessToken, first.refreshToken, second.accessToken, second.refreshToken, OAUTH_CLIENT.clientSecret])
      expect(lines).not.toContain(t);
  });

  it('renews after a 401 for an expired token that the clock did not see coming', async () => {
    const { world, url } = await start();
    const store = new FileTokenStore(path.join(dir, 'tokens.json'));
    await signIn(url, store);
    const client = oauthClient(url, world, store);
    // Billit expired it early (e.g. the clocks differ).
    for (const t of world.state.accessTokens.values()) t.expiresAt = now - 1;
    await expect(client.accountInformation()).resolves.toMatchObject({ Email: 'accountant@demo-boekhouding.be' });
  });

  it('still signs in after a crash between storing the new pair and dropping the old', async () => {
    const { world, url } = await start();
    const store = new FileTokenStore(path.join(dir, 'tokens.json'));
    const { tokens: first } = await signIn(url, store);
    store.crashOnDrop = true;
    const crashing = oauthClient(url, world, store);
    now += 3600_000; // expired: the next call refreshes
    await crashing.accountInformation(); // refresh → save new → "crash" in drop (the client carries on, the process would not)
    const onDisk = store.all();
    expect(onDisk).toHaveLength(2); // both pairs: the old one was never dropped
    const second = onDisk[1]!;

    // "Restart": a new client from what is on disk (the newest pair).
    store.crashOnDrop = false;
    now += 3600_000; // and its access token has expired too, so it must refresh with the stored refresh token
    const restarted = oauthClient(url, world, store);
    await expect(restarted.accountInformation()).resolves.toMatchObject({ Email: 'accountant@demo-boekhouding.be' });
    const third = store.load();
    expect(third.refreshToken).not.toBe(second.refreshToken);
    expect(store.all().map((p) => p.refreshToken)).not.toContain(second.refreshToken);

    // Had the store kept only the old pair, the office would be locked out: it is spent.
    const stale = createBillitClient({
      baseUrl: url,
      timing: { now: () => now, retries: 0 },
      auth: { kind: 'oauth', clientId: OAUTH_CLIENT.clientId, clientSecret: OAUTH_CLIENT.clientSecret, tokens: { ...first, expiresAt: 0 }, saveTokens: async () => {} },
    });
    const locked = (await stale.accountInformation().catch((e: unknown) => e)) as BillitError;
    expect(locked.code).toBe('auth');
    expect(locked.message).toContain('sign in to Billit again');
  });

  it('keeps working on the new pair when it cannot be stored, and says so', async () => {
    const { world, url } = await start();
    const store = new FileTokenStore(path.join(dir, 'tokens.json'));
    const { tokens } = await signIn(url, store);
    let failSave = true;
    const client = createBillitClient({
      baseUrl: url,
      timing: { now: () => now },
      auth: {
        kind: 'oauth',
        clientId: OAUTH_CLIENT.clientId,
        clientSecret: OAUTH_CLIENT.clientSecret,
        tokens,
        saveTokens: async (next) => {
          if (failSave) throw new Error('keychain locked');
          await store.save(next);
        },
      },
    });
    now += 3600_000;
    const error = (await client.accountInformation().catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('keychain-unavailable');
    failSave = false;
    await expect(client.accountInformation()).resolves.toBeTruthy();
    expect(world.state.accessTokens.size).toBe(2);
  });
});
