// Where the Electron binary is, or why it is not there: one answer for start, tests and postinstall.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(import.meta.url);

export function electronBinary() {
  let dir;
  try {
    dir = path.dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathFile = path.join(dir, 'path.txt');
  if (!fs.existsSync(pathFile)) return { path: null, reason: 'the Electron binary was not downloaded (no network access to its release host at install time)' };
  const binary = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8').trim());
  return fs.existsSync(binary) ? { path: binary, reason: null } : { path: null, reason: `the Electron binary is missing at ${binary}` };
}
