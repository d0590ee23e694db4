/**
 * The settings room: the office's Billit and Venice Cloud accounts (their secrets only in the keychain),
 * the keychain's state, Billit's OAuth sign-in, and the cache's integrity check.
 */
import { AppError, type Handlers } from '../../../shared/api';
import type { AccountRecord, Cache } from '../cache';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { SecretStore } from '../secrets';
import { saveBillitOAuthAccount, settingsHandlers } from './handlers';
import { billitSignIn } from './sign-in';

export interface SettingsModuleOptions {
  cache: Cache;
  secrets: SecretStore;
  events: EventBus;
  log: Logger;
  now(): number;
  /** Checks an account's stored credentials against its service; returns what to show as "configured as …". */
  verifyAccount(account: AccountRecord): Promise<{ label?: string }>;
  /** Billit's web (sign-in page) and API bases for an environment. */
  billitBases(environment: string): { web: string; api: string };
}

export interface SettingsModule {
  handlers: ReturnType<typeof settingsHandlers> & Pick<Handlers, 'settings.billitSignIn'>;
  /** Billit sent the browser back after a sign-in. */
  handleDeepLink(url: string): Promise<void>;
  /** Where Billit must send the browser back after a sign-in. */
  useRedirectUri(uri: string): void;
}

export function createSettingsModule(o: SettingsModuleOptions): SettingsModule {
  const { cache, secrets, log } = o;
  const settings = settingsHandlers({ cache, secrets, log, verifyAccount: o.verifyAccount });
  const signIn = billitSignIn({
    log,
    now: o.now,
    bases: o.billitBases,
    async assertKeychain() {
      const keychain = await secrets.status();
      if (!keychain.available) throw new AppError('keychain-unavailable', `The keychain is unavailable: ${keychain.reason ?? 'unknown reason'}`);
    },
    async save(environment, client, tokens) {
      const account = await saveBillitOAuthAccount({ cache, secrets }, environment, client, tokens);
      try {
        return await settings['settings.verifyAccount']({ id: account.id });
      } catch (error) {
        log.warn(`Billit sign-in stored for ${account.id} but not verified`, error);
        return (await settings['settings.accounts'](undefined)).find((a) => a.id === account.id)!;
      }
    },
    emit: (payload) => o.events.emit('settings.signIn', payload),
  });
  return {
    handlers: { ...settings, 'settings.billitSignIn': (input) => signIn.start(input) },
    async handleDeepLink(url) {
      await signIn.handleDeepLink(url);
    },
    useRedirectUri: (uri) => signIn.useRedirectUri(uri),
  };
}
