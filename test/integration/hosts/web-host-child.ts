/**
 * The web host in a process of its own, for the fuzz test: the real core on a demo office, serving a small
 * renderer folder (`BVL_RENDERER`). Prints `{"port":…,"token":…}` once it listens; a crash shows as its exit.
 */
import { createCore } from '../../../electron/core';
import { startWebHost } from '../../../electron/web-host';
import { demoOffice } from '../../../electron/demo/office';

const core = await createCore({
  dataDir: process.env.BVL_DATA!,
  version: '0.0.0-test',
  host: 'browser',
  demo: demoOffice({ seed: 5, dossiers: 2, invoicesPerDossier: 1 }),
  syncOnStartup: false,
});
const host = await startWebHost({ core, rendererDir: process.env.BVL_RENDERER! });
process.stdout.write(JSON.stringify({ port: host.port, token: host.token }) + '\n');
process.on('SIGTERM', () => {
  void host.close().then(() => core.close()).then(() => process.exit(0));
});
