import { z } from 'zod';
import { call } from './contract';

import { languages } from './values';

export { languages };
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
  /** The language the user chose (kept in the cache); null until one was chosen. */
  language: Language | null;
  /** Nothing chosen yet: no account connected and the demo office not chosen either. */
  firstRun: boolean;
  /** Told to work offline: calls that need Billit or Venice are refused with code 'offline'. */
  offline: boolean;
  /** What the host can do that a browser cannot (Electron: open a folder, pick a folder). */
  desktop: { openFolder: boolean; pickFolder: boolean };
}

export interface LogTail {
  file: string;
  /** The newest lines, oldest first (secrets were redacted when they were written). */
  lines: string[];
}

export const appCalls = {
  'app.info': call(z.undefined()).returns<AppInfo>(),
  'app.setLanguage': call(z.object({ language: z.enum(languages) }).strict()).returns<{ language: Language }>(),
  /**
   * First run: explore the demo office, or use the accounts connected (Billit and Venice Cloud, both
   * verified): the core then talks to them instead of the demo office.
   */
  'app.setup': call(z.object({ use: z.enum(['demo', 'accounts']) }).strict()).returns<AppInfo>(),
  /** Work offline (or online again). The demo office really goes away while offline. */
  'app.setOffline': call(z.object({ offline: z.boolean() }).strict()).returns<{ offline: boolean }>(),
  /** The newest lines of the log file (browser mode cannot open the folder). */
  'app.logTail': call(z.object({ lines: z.number().int().min(1).max(1000).default(200) }).strict()).returns<LogTail>(),
  /** Desktop only: show one of the app's folders in the file manager. */
  'app.openFolder': call(z.object({ folder: z.enum(['logs', 'data', 'exports']) }).strict()).returns<{ opened: boolean }>(),
  /** Desktop only: the OS folder picker; null when the user cancelled. */
  'app.pickFolder': call(z.object({ title: z.string().min(1).max(200) }).strict()).returns<{ path: string | null }>(),
};

export interface AppEvents {
  /**
   * Something the user should see even when not on the screen that caused it. `code` is translated by the
   * UI (with `data` for its placeholders); `message` is the English fallback.
   */
  'app.notice': { level: 'info' | 'warning' | 'error'; code: string; message: string; data?: Record<string, string | number> };
  'app.language': { language: Language };
  'app.network': { offline: boolean };
}
