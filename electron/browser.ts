/**
 * `npm run start:browser` (and `npm start` where Electron is missing): the same core
 * and renderer, served to the system browser over loopback.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { appVersion } from './app-version';
import { createCore } from './core';
import { defaultDataDir } from './core/paths';
import { bundledDemoOffice } from './demo-loader';
import { startWebHost } from './web-host';

const args = process.argv.slice(2);
const portArg = args.find((a) => a.startsWith('--port='));
const here = path.dirname(fileURLToPath(import.meta.url));

const core = await createCore({ dataDir: defaultDataDir(), version: appVersion, host: 'browser', demo: bundledDemoOffice() });
const host = await startWebHost({
  core,
  rendererDir: path.resolve(here, '../renderer'),
  port: portArg ? Number(portArg.split('=')[1]) : undefined,
});
console.log(`Billit Venice Link (browser mode) at ${host.openUrl}`);
if (!args.includes('--no-open')) openInBrowser(host.openUrl);

const stop = async () => {
  await host.close();
  await core.close();
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

function openInBrowser(url: string) {
  const [cmd, cmdArgs] =
    process.platform === 'win32' ? ['cmd', ['/c', 'start', '""', url]] : process.platform === 'darwin' ? ['open', [url]] : ['xdg-open', [url]];
  const child = spawn(cmd, cmdArgs as string[], { stdio: 'ignore', detached: true });
  child.on('error', () => undefined);
  child.unref();
}
