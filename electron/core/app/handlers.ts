import fs from 'node:fs';
import path from 'node:path';
/**
 * The app calls of the API: what the app is and runs on, its language, the first run's choice, working
 * offline, the log's last lines and the desktop's folders.
 */
import { AppError, languages, type AccountSummary, type AppInfo, type Handlers, type KeychainStatus, type Language, type LogTail } from '../../../shared/api';
import { productName } from '../paths';

const LANGUAGE_KEY = 'app:language';
const SETUP_KEY = 'app:setup';

/** Where the app room keeps its few choices (the cache's key/value table). */
export interface Choices {
  get(key: string): string | null;
  set(key: string, value: string): Promise<void>;
}

/**
 * What only a desktop host can do (Electron: `shell.openPath`, `dialog.showOpenDialog`). Browser mode has
 * none: "open logs" shows the last log lines instead, and the export root is typed.
 */
export interface DesktopCapabilities {
  /** '' when opened, else why not. */
  openFolder(dir: string): Promise<string>;
  /** The chosen folder, or null when cancelled. */
  pickFolder(title: string): Promise<string | null>;
}

export interface AppDeps {
  config: { version: string; dataDir: string; host: 'electron' | 'browser'; desktop?: DesktopCapabilities };
  logDir: string;
  /** 'demo' when the core runs on the demo office (no account configured). */
  mode?: () => 'demo' | 'live';
  /** The configured accounts ("configured as …, last verified …"), never their secrets. */
  accounts?: () => AccountSummary[];
  keychain?: () => Promise<KeychainStatus>;
  choices?: Choices;
  offline?: { get(): boolean; set(offline: boolean): void };
  /** First run, "use my accounts": switch the core from the demo office to them; returns the mode. */
  useAccounts?: () => Promise<'demo' | 'live'>;
  /** The export root, for "open the exports folder". */
  exportRoot?: () => string | null;
  onLanguage?(language: Language): void;
}

export function storedLanguage(choices: Choices | undefined): Language | null {
  const value = choices?.get(LANGUAGE_KEY) ?? null;
  return (languages as readonly string[]).includes(value ?? '') ? (value as Language) : null;
}

/** The newest lines of the log (and of the previous file when the current one is short). */
export function tailLog(logDir: string, wanted: number): LogTail {
  const file = path.join(logDir, 'main.log');
  const lines: string[] = [];
  for (const f of [file, file + '.1']) {
    if (lines.length >= wanted) break;
    let text: string;
    try {
      const fd = fs.openSync(f, 'r');
      try {
        const size = fs.fstatSync(fd).size;
        const length = Math.min(size, 512 * 1024);
        const buffer = Buffer.alloc(length);
        fs.readSync(fd, buffer, 0, length, size - length);
        text = buffer.toString('utf8');
        // A partial first line when the read started mid-file.
        if (length < size) text = text.slice(text.indexOf('\n') + 1);
      } finally {
        fs.closeSync(fd);
      }
    } catch {
      continue;
    }
    const mine = text.split('\n').filter((l) => l.length > 0);
    lines.unshift(...mine.slice(-(wanted - lines.length)));
  }
  return { file, lines };
}

export function appHandlers(
  deps: AppDeps,
): Pick<Handlers, 'app.info' | 'app.setLanguage' | 'app.setup' | 'app.setOffline' | 'app.logTail' | 'app.openFolder' | 'app.pickFolder'> {
  const desktop = deps.config.desktop;
  const info = async (): Promise<AppInfo> => {
    const accounts = deps.accounts?.() ?? [];
    return {
      name: productName,
      version: deps.config.version,
      dataDir: deps.config.dataDir,
      logDir: deps.logDir,
      mode: deps.mode?.() ?? 'demo',
      host: deps.config.host,
      accounts,
      keychain: (await deps.keychain?.()) ?? { available: false, reason: 'not probed yet' },
      language: storedLanguage(deps.choices),
      firstRun: accounts.length === 0 && !deps.choices?.get(SETUP_KEY),
      offline: deps.offline?.get() ?? false,
      desktop: { openFolder: !!desktop, pickFolder: !!desktop },
    };
  };
  return {
    'app.info': info,

    async 'app.setLanguage'({ language }) {
      await deps.choices?.set(LANGUAGE_KEY, language);
      deps.onLanguage?.(language);
      return { language };
    },

    async 'app.setup'({ use }) {
      if (use === 'accounts') {
        const accounts = deps.accounts?.() ?? [];
        if (!accounts.some((a) => a.kind === 'billit') || !accounts.some((a) => a.kind === 'venice'))
          throw new AppError('conflict', 'Connect both Billit and Venice Cloud first');
        const mode = (await deps.useAccounts?.()) ?? 'demo';
        if (mode !== 'live') throw new AppError('keychain-unavailable', 'The accounts are configured but their secrets cannot be read from the keychain');
      }
      await deps.choices?.set(SETUP_KEY, use);
      return info();
    },

    async 'app.setOffline'({ offline }) {
      deps.offline?.set(offline);
      return { offline: deps.offline?.get() ?? false };
    },

    async 'app.logTail'({ lines }) {
      return tailLog(deps.logDir, lines);
    },

    async 'app.openFolder'({ folder }) {
      if (!desktop) return { opened: false };
      const dir = folder === 'logs' ? deps.logDir : folder === 'data' ? deps.config.dataDir : deps.exportRoot?.();
      if (!dir) throw new AppError('not-found', 'No export folder is chosen yet');
      const problem = await desktop.openFolder(dir);
      if (problem) throw new AppError('file-system', problem);
      return { opened: true };
    },

    async 'app.pickFolder'({ title }) {
      if (!desktop) return { path: null };
      return { path: await desktop.pickFolder(title) };
    },
  };
}
