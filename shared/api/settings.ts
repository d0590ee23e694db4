import { z } from 'zod';
import type { AccountSummary } from './app';
import { call } from './contract';

/**
 * The Settings screen: connected accounts, the keychain, and the cache's integrity check.
 * Secrets travel one way only — typed by the user, into the Node side, into the OS keychain.
 * Nothing returned here ever contains one.
 */

export const billitEnvironments = ['production', 'sandbox', 'demo'] as const;
export const veniceEnvironments = ['production', 'demo'] as const;

export interface AccountView extends AccountSummary {
  /** `<kind>:<environment>`. */
  id: string;
  auth: 'api-key' | 'oauth' | 'basic';
  /** Whether the keychain holds its secret; null when the keychain cannot be asked. */
  secretStored: boolean | null;
}

export interface KeychainStatus {
  available: boolean;
  /** Why not (never contains a secret). */
  reason?: string;
}

export interface IntegrityReport {
  ok: boolean;
  /** What SQLite's integrity and foreign-key checks found, and references to missing files (first 100). */
  problems: string[];
  checkedAt: string;
  durationMs: number;
  file: string;
  sizeBytes: number;
  schemaVersion: number;
}

const secret = z.string().trim().min(1).max(4096);
const label = z.string().trim().min(1).max(200).optional();

export const saveAccountInput = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('billit'),
      auth: z.literal('api-key'),
      environment: z.enum(billitEnvironments),
      apiKey: secret,
      label,
    })
    .strict(),
  z
    .object({
      kind: z.literal('venice'),
      auth: z.literal('basic'),
      environment: z.enum(veniceEnvironments),
      username: z.string().trim().min(1).max(200),
      password: secret,
      label,
    })
    .strict(),
]);
export type SaveAccountInput = z.infer<typeof saveAccountInput>;

const accountIdInput = z.object({ id: z.string().regex(/^(billit|venice):[a-z][a-z0-9-]{0,31}$/) }).strict();

export const settingsCalls = {
  'settings.accounts': call(z.undefined()).returns<AccountView[]>(),
  /** Stores the secret in the keychain (refused when there is none) and the account's label in the cache. */
  'settings.saveAccount': call(saveAccountInput).returns<AccountView>(),
  /** Removes the account and every secret stored for it. */
  'settings.removeAccount': call(accountIdInput).returns<{ removed: boolean; secretsRemoved: number }>(),
  /** Checks the stored credentials against the service; sets "last verified". */
  'settings.verifyAccount': call(accountIdInput).returns<AccountView>(),
  'settings.keychainStatus': call(z.object({ reprobe: z.boolean().default(false) }).strict().optional()).returns<KeychainStatus>(),
  /** SQLite integrity_check of the cache (runs off the UI thread; seconds on a large cache). */
  'settings.integrityCheck': call(z.undefined()).returns<IntegrityReport>(),
  /**
   * Billit OAuth sign-in: the page to open in the browser. Billit sends the browser back to the app
   * (a deep link, or the web host's /oauth/callback); the core then stores the sign-in in the keychain
   * and says so with `settings.signIn`.
   */
  'settings.billitSignIn': call(
    z
      .object({
        environment: z.enum(billitEnvironments),
        clientId: z.string().trim().min(1).max(200),
        clientSecret: secret,
      })
      .strict(),
  ).returns<{ authorizeUrl: string }>(),
};

export interface SettingsEvents {
  /** A Billit sign-in came back: the account it stored, or why it failed. */
  'settings.signIn': { ok: true; account: AccountView } | { ok: false; code: string; message: string };
}
