// npm keeps electron's own install script off (allowScripts in package.json) because its
// download failing would fail the whole install. We run it here and tolerate failure with
// one clear line: browser mode and every test but the Electron suite work without it.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { electronBinary } from './electron-binary.mjs';

const require = createRequire(import.meta.url);
if (!electronBinary().path && !process.env.BVL_SKIP_ELECTRON_DOWNLOAD) {
  let script;
  try {
    script = path.join(path.dirname(require.resolve('electron/package.json')), 'install.js');
  } catch {
    script = null;
  }
  if (script) {
    const result = spawnSync(process.execPath, [script], { stdio: 'ignore', timeout: 300_000 });
    if (result.status !== 0 || !electronBinary().path) {
      console.log('Electron binary not downloaded (no access to its release host); `npm start` will use browser mode.');
    }
  }
}
