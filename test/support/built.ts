import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs);
  }
  return latest;
}

/**
 * The built app in `out/` (what gets packaged): `npm test` builds it before the tests; a test run on its
 * own builds it when a source is newer than the bundle.
 */
export function ensureBuilt(): string {
  const out = path.join(repoRoot, 'out');
  const bundle = path.join(out, 'electron', 'main.js');
  const built = fs.existsSync(bundle) ? fs.statSync(bundle).mtimeMs : 0;
  const sources = Math.max(...['electron', 'shared', 'renderer'].map((d) => newest(path.join(repoRoot, d))));
  if (built < sources) {
    const r = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
    if (r.status !== 0) throw new Error('the build failed');
  }
  return out;
}
