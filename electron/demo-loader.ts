/**
 * The demo office as the hosts hand it to the core: its code is a bundle of its own (`demo-office.js`, beside
 * the host's), loaded only when the core starts the demo office (no account configured), so the simulators
 * and the seed generator are never part of the app's own bundle.
 */
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { StartOffice } from './core';
import type * as DemoModule from './demo/office';

export function bundledDemoOffice(dir = path.dirname(fileURLToPath(import.meta.url))): StartOffice {
  return async (needs) => {
    // A computed specifier: the bundler leaves it to run time instead of inlining the demo office.
    const demo = (await import(pathToFileURL(path.join(dir, 'demo-office.js')).href)) as typeof DemoModule;
    return demo.demoOffice()(needs);
  };
}
