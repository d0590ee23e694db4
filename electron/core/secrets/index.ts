import { randomBytes } from 'node:crypto';
import { AppError } from '../../../shared/api/errors';
import type { BillitAuth, OAuthClientCredentials, OAuthTokens } from '../billit/auth';
import { redact, scrub, type Logger } from '../log';
import { appId } from '../paths';
import type { VeniceCredentials } from '../venice/client';

/**
 * Credentials live in the OS keychain (macOS Keychain, Windows Credential Manager, the Secret
 * Service on Linux) through keytar, under the service name = the app's id. Nothing else in the
 * app stores a secret: not the cache, not a log, not an export, not an error message; the
 * renderer never receives one. When no keychain is usable the store says why and refuses to
 * store — there is no plaintext fallback.
 *
 * Keychain entries ("accounts" in keytar's words) are named after the app's account id
 * (`billit:production`, `venice:demo`…) so removing an account removes everything under it:
 *   <id>/api-key        Billit API key
 *   <id>/oauth-client   Billit OAuth client id and secret (JSON)
 *   <id>/tokens#<n>     Billit OAuth token pair, generation n (JSON); the newest wins
 *   <id>/login          Venice Cloud login (JSON: username, password)
 */

export interface KeychainStatus {
  available: boolean;
  /** Why the keychain cannot be used (never contains a secret). */
  reason?: string;
}

/** The part of keytar the store uses. */
export interface KeytarLike {
  getPassword(service: string, account: string): Promise<string | null>;
  setPassword(service: string, account: string, password: string): Promise<void>;
  deletePassword(service: string, account: string): Promise<boolean>;
  findCredentials(service: string): Promise<Array<{ account: string; password: string }>>;
}

export interface SecretStoreOptions {
  /** Default: the app id. */
  service?: string;
  log?: Logger;
  /** How keytar is loaded (default: a dynamic import, so the app runs when keytar failed to build). */
  loadKeytar?: () => Promise<KeytarLike>;
  /** A keychain call slower than this counts as unusable (a locked keyring waiting on a prompt). */
  timeoutMs?: number;
}

export type { OAuthTokens, OAuthClientCredentials, VeniceCredentials };

export interface SecretStore {
  readonly service: string;
  /** Write/read/delete round trip with a throwaway value; the result is kept as the status. */
  probe(): Promise<KeychainStatus>;
  /** The last probe's result (the first call waits for the start-up probe). */
  status(): Promise<KeychainStatus>;

  saveBillitApiKey(environment: string, apiKey: string): Promise<void>;
  saveBillitOAuth(environment: string, client: OAuthClientCredentials, tokens: OAuthTokens): Promise<void>;
  /**
   * Stores a new OAuth token pair as the next generation, reads it back, and only then deletes
   * the older generations: Billit's refresh token is single-use, so a crash in between must
   * leave the new pair in the keychain. Reading always takes the newest generation.
   */
  saveTokenPair(environment: string, tokens: OAuthTokens): Promise<void>;
  tokenPair(environment: string): Promise<OAuthTokens | null>;
  /** Deletes every token generation but the newest (after a crash between store and drop). */
  dropStaleTokenPairs(environment: string): Promise<void>;
  /** What the Billit client needs for this environment, or null when nothing is stored. */
  billitAuth(environment: string): Promise<BillitAuth | null>;

  saveVeniceLogin(environment: string, login: VeniceCredentials): Promise<void>;
  veniceLogin(environment: string): Promise<VeniceCredentials | null>;

  /** Whether any secret is stored for this account id. */
  has(accountId: string): Promise<boolean>;
  /** Deletes every secret stored for this account id; returns how many entries. */
  removeAccount(accountId: string): Promise<number>;
}

export function billitAccountId(environment: string): string {
  return `billit:${environment}`;
}
export function veniceAccountId(environment: string): string {
  return `venice:${environment}`;
}

const tokenEntry = /\/tokens#(\d+)$/;

async function importKeytar(): Promise<KeytarLike> {
  const mod = (await import('keytar')) as unknown as KeytarLike & { default?: KeytarLike };
  const keytar = mod.default ?? mod;
  if (typeof keytar.setPassword !== 'function') throw new Error('keytar has no setPassword');
  return keytar;
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise,
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms (locked, or waiting for a prompt)`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function explain(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return scrub(message).replace(/\s+/g, ' ').trim().slice(0, 300);
}

function hint(message: string): string {
  if (process.platform === 'linux') {
    return `no Secret Service keychain (GNOME Keyring, KWallet) is usable on this session: ${message}`;
  }
  return `the system keychain refused access: ${message}`;
}

/** Registers a secret with the log's redaction, also as it reads inside JSON text. */
function register(...secrets: (string | undefined | null)[]): void {
  for (const s of secrets) {
    if (!s) continue;
    redact(s);
    const escaped = JSON.stringify(s).slice(1, -1);
    if (escaped !== s) redact(escaped);
  }
}

export function createSecretStore(options: SecretStoreOptions = {}): SecretStore {
  const service = options.service ?? appId;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let keytar: KeytarLike | null = null;
  let current: KeychainStatus = { available: false, reason: 'not probed yet' };
  let firstProbe: Promise<KeychainStatus> | null = null;

  async function probe(): Promise<KeychainStatus> {
    try {
      keytar ??= await (options.loadKeytar ?? importKeytar)();
    } catch (error) {
      current = { available: false, reason: `the keychain module (keytar) could not be loaded: ${explain(error)}` };
      options.log?.warn(`keychain unavailable: ${current.reason}`);
      return current;
    }
    const account = `probe/${randomBytes(8).toString('hex')}`;
    const value = randomBytes(24).toString('hex');
    try {
      await withTimeout(keytar.setPassword(service, account, value), timeoutMs, 'the keychain');
      const back = await withTimeout(keytar.getPassword(service, account), timeoutMs, 'the keychain');
      await withTimeout(keytar.deletePassword(service, account), timeoutMs, 'the keychain');
      current = back === value ? { available: true } : { available: false, reason: 'the keychain did not return what was stored' };
    } catch (error) {
      current = { available: false, reason: hint(explain(error)) };
    }
    if (!current.available) options.log?.warn(`keychain unavailable: ${current.reason}`);
    return current;
  }

  async function usable(): Promise<KeytarLike> {
    const s = await status();
    if (!s.available || !keytar) {
      throw new AppError(
        'keychain-unavailable',
        `No usable keychain (${s.reason ?? 'unknown reason'}). Credentials are only ever stored in the system keychain, so nothing was stored.`,
        { reason: s.reason },
      );
    }
    return keytar;
  }

  /** Runs a keychain call; its failure becomes a clear error that never carries a secret. */
  async function call<T>(what: string, fn: (k: KeytarLike) => Promise<T>): Promise<T> {
    const k = await usable();
    try {
      return await withTimeout(fn(k), timeoutMs, 'the keychain');
    } catch (error) {
      throw new AppError('keychain-unavailable', `The keychain could not ${what}: ${explain(error)}`);
    }
  }

  const setEntry = (account: string, secret: string) => call('store a credential', (k) => k.setPassword(service, account, secret));
  const getEntry = async (account: string) => {
    const value = await call('read a credential', (k) => k.getPassword(service, account));
    if (value) register(value);
    return value;
  };
  const deleteEntry = (account: string) => call('delete a credential', (k) => k.deletePassword(service, account));
  const entries = async (prefix: string) => {
    const all = await call('list credentials', (k) => k.findCredentials(service));
    const mine = all.filter((c) => c.account.startsWith(prefix));
    for (const c of mine) register(c.password);
    return mine;
  };

  function parse<T>(text: string | null): T | null {
    if (!text) return null;
    try {
      return JSON.parse(text) as T;
    } catch {
      return null;
    }
  }

  async function tokenGenerations(environment: string) {
    const prefix = `${billitAccountId(environment)}/tokens#`;
    return (await entries(prefix))
      .map((c) => ({ account: c.account, generation: Number(tokenEntry.exec(c.account)?.[1] ?? -1), tokens: parse<OAuthTokens>(c.password) }))
      .filter((g) => g.generation >= 0)
      .sort((a, b) => b.generation - a.generation);
  }

  const store: SecretStore = {
    service,
    probe() {
      const p = probe();
      firstProbe ??= p;
      return p;
    },
    status,

    async saveBillitApiKey(environment, apiKey) {
      register(apiKey);
      await setEntry(`${billitAccountId(environment)}/api-key`, apiKey);
    },

    async saveBillitOAuth(environment, client, tokens) {
      register(client.clientSecret);
      const json = JSON.stringify({ clientId: client.clientId, clientSecret: client.clientSecret });
      register(json);
      await setEntry(`${billitAccountId(environment)}/oauth-client`, json);
      await store.saveTokenPair(environment, tokens);
    },

    async saveTokenPair(environment, tokens) {
      register(tokens.accessToken, tokens.refreshToken);
      const json = JSON.stringify({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiresAt: tokens.expiresAt });
      register(json);
      const generations = await tokenGenerations(environment);
      const next = (generations[0]?.generation ?? 0) + 1;
      const account = `${billitAccountId(environment)}/tokens#${next}`;
      await setEntry(account, json);
      if ((await getEntry(account)) !== json) {
        throw new AppError('keychain-unavailable', 'The keychain did not keep the renewed Billit sign-in; the previous one is kept.');
      }
      for (const old of generations) await deleteEntry(old.account);
    },

    async tokenPair(environment) {
      return (await tokenGenerations(environment)).find((g) => g.tokens)?.tokens ?? null;
    },

    async dropStaleTokenPairs(environment) {
      const [, ...stale] = await tokenGenerations(environment);
      for (const old of stale) await deleteEntry(old.account);
    },

    async billitAuth(environment) {
      const id = billitAccountId(environment);
      const apiKey = await getEntry(`${id}/api-key`);
      if (apiKey) return { kind: 'api-key', apiKey };
      const client = parse<OAuthClientCredentials>(await getEntry(`${id}/oauth-client`));
      const tokens = await store.tokenPair(environment);
      if (!client || !tokens) return null;
      return {
        kind: 'oauth',
        clientId: client.clientId,
        clientSecret: client.clientSecret,
        tokens,
        saveTokens: (next) => store.saveTokenPair(environment, next),
        dropTokens: () => store.dropStaleTokenPairs(environment),
      };
    },

    async saveVeniceLogin(environment, login) {
      const json = JSON.stringify({ username: login.username, password: login.password });
      register(login.password, json, Buffer.from(`${login.username}:${login.password}`, 'utf8').toString('base64'));
      await setEntry(`${veniceAccountId(environment)}/login`, json);
    },

    async veniceLogin(environment) {
      const login = parse<VeniceCredentials>(await getEntry(`${veniceAccountId(environment)}/login`));
      if (login) register(login.password, Buffer.from(`${login.username}:${login.password}`, 'utf8').toString('base64'));
      return login;
    },

    async has(accountId) {
      return (await entries(`${accountId}/`)).length > 0;
    },

    async removeAccount(accountId) {
      const mine = await entries(`${accountId}/`);
      for (const c of mine) await deleteEntry(c.account);
      return mine.length;
    },
  };

  function status(): Promise<KeychainStatus> {
    return firstProbe ? firstProbe.then(() => current) : store.probe();
  }

  return store;
}
