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
