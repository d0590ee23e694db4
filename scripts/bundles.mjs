// The Node side's bundles (esbuild): the Electron main process, the sandboxed preload (CommonJS, as
// sandboxed preloads must be), the browser-mode host, and the worker threads of the sync and of the checks. Native modules stay
// external: packaging rebuilds them for Electron. One list for the build and for the tests that check
// what each bundle contains.
const external = ['electron', 'better-sqlite3', 'keytar'];
const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, external, logLevel: 'warning' };
const esmBanner = { js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);" };

export const nodeBundles = [
  { ...common, entryPoints: ['electron/main.ts'], outfile: 'out/electron/main.js', format: 'esm', banner: esmBanner },
  { ...common, entryPoints: ['electron/browser.ts'], outfile: 'out/electron/browser.js', format: 'esm', banner: esmBanner },
  // The sync's worker thread, loaded beside whichever of the two bundles runs the core.
  { ...common, entryPoints: ['electron/core/sync/worker.ts'], outfile: 'out/electron/sync-worker.js', format: 'esm', banner: esmBanner },
  // The official checks' worker thread (it loads SaxonJS and xmllint from their packages, as shipped).
  { ...common, entryPoints: ['electron/core/checks/worker.ts'], outfile: 'out/electron/checks-worker.js', format: 'esm', banner: esmBanner },
  // The demo office, loaded by either host only when it runs on the demo office: never inside their bundles.
  { ...common, entryPoints: ['electron/demo/office.ts'], outfile: 'out/electron/demo-office.js', format: 'esm', banner: esmBanner },
  { ...common, entryPoints: ['electron/preload.ts'], outfile: 'out/electron/preload.cjs', format: 'cjs', platform: 'browser', external: ['electron'] },
];
