import { AppError, type AccountView, type Handlers, type SaveAccountInput } from '../../../shared/api';
import type { AccountRecord, Cache } from '../cache';
import type { Logger } from '../log';
import type { OAuthClientCredentials, OAuthTokens, SecretStore } from '../secrets';

export interface SettingsDeps {
  cache: Cache;
  secrets: SecretStore;
  log: Logger;
  /**
   * Checks an account's stored credentials against its service (the Billit / Venice clients
   * read them from the secret store) and returns what to show as "configured as …".
   */
  verifyAccount: (account: AccountRecord) => Promise<{ label?: string }>;
}

async function view(deps: SettingsDeps, account: AccountRecord, keychainUp: boolean): Promise<AccountView> {
  let secretStored: boolean | null = null;
  if (keychainUp) {
    try {
      secretStored = await deps.secrets.has(account.id);
    } catch {
      secretStored = null;
    }
  }
  return {
    id: account.id,
    kind: account.kind,
    environment: account.environment,
    auth: account.auth,
    label: account.label,
    lastVerifiedAt: account.lastVerifiedAt,
    secretStored,
  };
}

/** A label must never be the secret itself (typed in the wrong field, say). */
function safeLabel(label: string | undefined, fallback: string, secrets: string[]): string {
  if (!label) return fallback;
  return secrets.some((s) => s.length >= 4 && label.includes(s)) ? fallback : label;
}

/** Stores a Billit OAuth sign-in (client and first token pair) for the flow that obtains it on the Node side. */
export async function saveBillitOAuthAccount(
  deps: Pick<SettingsDeps, 'cache' | 'secrets'>,
  environment: string,
  client: OAuthClientCredentials,
  tokens: OAuthTokens,
  label = 'Billit sign-in',
): Promise<AccountRecord> {
  await deps.secrets.saveBillitOAuth(environment, client, tokens);
  const account = await deps.cache.accounts.upsert({ kind: 'billit', environment, auth: 'oauth', label });
  await deps.cache.audit.add({ action: 'account.saved', subject: account.id, details: { auth: 'oauth' } });
  return account;
}

export function settingsHandlers(
  deps: SettingsDeps,
): Pick<
  Handlers,
  | 'settings.accounts'
  | 'settings.saveAccount'
  | 'settings.removeAccount'
  | 'settings.verifyAccount'
  | 'settings.keychainStatus'
  | 'settings.integrityCheck'
> {
  const { cache, secrets } = deps;

  async function accountOrThrow(id: string): Promise<AccountRecord> {
    const account = cache.accounts.get(id);
    if (!account) throw new AppError('not-found', `No account ${id} is configured.`);
    return account;
  }

  return {
    async 'settings.accounts'() {
      const up = (await secrets.status()).available;
      return Promise.all(cache.accounts.list().map((a) => view(deps, a, up)));
    },

    async 'settings.saveAccount'(input: SaveAccountInput) {
      // The keychain first: when it refuses, nothing is recorded anywhere.
      let account: AccountRecord;
      if (input.kind === 'billit') {
        await secrets.saveBillitApiKey(input.environment, input.apiKey);
        account = await cache.accounts.upsert({
          kind: 'billit',
          environment: input.environment,
          auth: 'api-key',
          label: safeLabel(input.label, 'API key', [input.apiKey]),
        });
      } else {
        await secrets.saveVeniceLogin(input.environment, { username: input.username, password: input.password });
        account = await cache.accounts.upsert({
          kind: 'venice',
          environment: input.environment,
          auth: 'basic',
          label: safeLabel(input.label, input.username, [input.password]),
        });
      }
      await cache.audit.add({ action: 'account.saved', subject: account.id, details: { auth: account.auth } });
      deps.log.info(`account ${account.id} saved (${account.auth})`);
      return view(deps, account, true);
    },

    async 'settings.removeAccount'({ id }) {
      // Secrets first: an account row without secrets is harmless, secrets without a row are not.
      const secretsRemoved = await secrets.removeAccount(id);
      const removed = await cache.accounts.remove(id);
      await cache.audit.add({ action: 'account.removed', subject: id, details: { secretsRemoved } });
      deps.log.info(`account ${id} removed (${secretsRemoved} keychain entries)`);
      return { removed, secretsRemoved };
    },

    async 'settings.verifyAccount'({ id }) {
      const account = await accountOrThrow(id);
      const { label } = await deps.verifyAccount(account);
      await cache.accounts.markVerified(id, label);
      await cache.audit.add({ action: 'account.verified', subject: id });
      return view(deps, (await accountOrThrow(id)), (await secrets.status()).available);
    },

    async 'settings.keychainStatus'(input) {
      return input?.reprobe ? secrets.probe() : secrets.status();
    },

    async 'settings.integrityCheck'() {
      const report = await cache.integrityCheck();
      await cache.audit.add({ action: 'cache.integrity-check', actor: 'user', details: { ok: report.ok, problems: report.problems.length } });
      if (!report.ok) deps.log.warn(`cache integrity check found ${report.problems.length} problem(s)`, report.problems.slice(0, 5));
      return report;
    },
  };
}
