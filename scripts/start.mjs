// `npm start`: the Electron app when its binary is here; otherwise one clear line and browser mode.
import { spawn } from 'node:child_process';
import { electronBinary } from './electron-binary.mjs';

const browserOnly = process.argv.includes('--browser');
const electron = browserOnly ? { path: null } : electronBinary();
const passThrough = process.argv.slice(2).filter((a) => a !== '--browser');

if (!browserOnly && !electron.path) {
  console.log(`Electron is not available here: ${electron.reason}. Starting browser mode instead.`);
}
const child = electron.path
  ? spawn(electron.path, ['.', ...passThrough], { stdio: 'inherit' })
  : spawn(process.execPath, ['out/electron/browser.js', ...passThrough], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
