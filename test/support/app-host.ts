import path from 'node:path';
import { createCore, type Core, type CoreConfig } from '../../electron/core';
import { demoOffice, type DemoOffice } from '../../electron/demo/office';
import { startWebHost, type WebHost } from '../../electron/web-host';
import { repoRoot, tempDir } from './repo';

export interface RunningApp {
  core: Core<DemoOffice>;
  host: WebHost;
  dataDir: string;
  stop(): Promise<void>;
}

/** The real core behind the real web host, serving the built renderer from out/renderer (on the built-in demo office unless told). */
export async function startApp(overrides: Partial<CoreConfig<DemoOffice>> = {}): Promise<RunningApp> {
  const { dir, cleanup } = tempDir('bvl-app-');
  const core = await createCore({ dataDir: dir, version: '0.0.0-test', host: 'browser', demo: demoOffice(), ...overrides });
  const host = await startWebHost({ core, rendererDir: path.join(repoRoot, 'out/renderer') });
  return {
    core,
    host,
    dataDir: overrides.dataDir ?? dir,
    async stop() {
      await host.close();
      await core.close();
      cleanup();
    },
  };
}
