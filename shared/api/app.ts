import { z } from 'zod';
import { call } from './contract';

export const languages = ['fr', 'nl', 'en'] as const;
export type Language = (typeof languages)[number];

export interface AccountSummary {
  kind: 'billit' | 'venice';
  /** "configured as …": a label the user recognises, never the secret. */
  label: string;
  environment: string;
  lastVerifiedAt: string | null;
}

export interface AppInfo {
  name: string;
  version: string;
  dataDir: string;
  logDir: string;
  mode: 'demo' | 'live';
  host: 'electron' | 'browser';
  accounts: AccountSummary[];
  keychain: { available: boolean; reason?: string };
  /** The language chosen in the app; null until the user chooses (then the OS's is used). */
  language: Language | null;
}

export const appCalls = {
  'app.info': call(z.undefined()).returns<AppInfo>(),
};

export interface AppEvents {
  /** Something the user should see even when not on the screen that caused it. */
  'app.notice': { level: 'info' | 'warning' | 'error'; code: string; message: string };
  /** The user chose another language: the shell's menus follow. */
  'app.language': { language: Language };
}
