import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const appId = 'be.billit.venicelink';
export const productName = 'Billit Venice Link';

/**
 * The same folder Electron's app.getPath('userData') gives, computed without Electron
 * so browser mode and the Electron app share one cache.
 */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.BVL_DATA_DIR) return env.BVL_DATA_DIR;
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), productName);
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', productName);
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), productName);
}

export function logDirOf(dataDir: string): string {
  return path.join(dataDir, 'logs');
}

/**
 * The data folder holds the office's clients' invoices, statements and logs: the user's alone (0700),
 * whatever the umask, and tightened when an older version left it open. (Windows ignores the mode: the
 * profile folder's ACL already keeps other users out.)
 */
export function ensurePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/**
 * A file only its owner reads and writes (0600), created so before anything is in it. SQLite creates a
 * database's -wal and -shm files with the database's own mode; those left by an older version are
 * tightened here too.
 */
export function ensurePrivateFile(file: string, companions: readonly string[] = []): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  for (const suffix of companions) {
    try {
      fs.chmodSync(file + suffix, 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
  }
}

/** What SQLite keeps beside a database file. */
export const SQLITE_COMPANIONS = ['-wal', '-shm', '-journal'] as const;
