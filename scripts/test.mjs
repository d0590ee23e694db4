// `npm test`: type checks, lint, build, unit + integration (inside a private D-Bus session
// with an unlocked keyring, so the credential tests use a real Secret Service), then the
// end-to-end suites. Ends with one line: "tests: N passed, N failed, N skipped".
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const systemPackages = 'chromium gnome-keyring libsecret-tools libsecret-1-dev dbus';
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const missing = [
  !fs.existsSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium') && 'chromium',
  !has('dbus-run-session') && 'dbus',
  !has('gnome-keyring-daemon') && 'gnome-keyring',
].filter(Boolean);
if (missing.length && process.platform === 'linux') {
  console.error(`npm test needs system packages that are missing (${missing.join(', ')}). Install them with:\n  sudo apt-get install -y ${systemPackages}`);
  process.exit(1);
}

const results = path.resolve('test-results');
fs.mkdirSync(results, { recursive: true });
const npx = (args) => ['npx', '--no-install', ...args].join(' ');

function step(name, command, env = {}) {
  console.log(`\n== ${name} ==`);
  const started = Date.now();
  const r = spawnSync('sh', ['-c', command], { stdio: 'inherit', env: { ...process.env, ...env } });
  console.log(`(${name}: ${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (r.status !== 0) {
    console.error(`\n${name} failed.`);
    summary();
    process.exit(r.status ?? 1);
  }
}

function summary() {
  let passed = 0, failed = 0, skipped = 0;
  for (const file of ['unit.json', 'e2e.json']) {
    const f = path.join(results, file);
    if (!fs.existsSync(f)) continue;
    const r = JSON.parse(fs.readFileSync(f, 'utf8'));
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + (r.numTodoTests ?? 0);
  }
  console.log(`\ntests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
}

for (const f of ['unit.json', 'e2e.json']) fs.rmSync(path.join(results, f), { force: true });
step('type check', npx(['tsc', '-p', 'tsconfig.json', '--noEmit']));
step('lint', npx(['eslint', '.', '--max-warnings=0']));
step('build', 'node scripts/build.mjs');

const vitestUnit = npx(['vitest', 'run', '--reporter=default', '--reporter=json', `--outputFile=${path.join(results, 'unit.json')}`]);
if (process.platform === 'linux') {
  // A throwaway keyring: the tests never touch the user's own secrets.
  const keyringHome = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-keyring-'));
  step(
    'unit and integration',
    `dbus-run-session -- sh -c 'echo -n test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; ${vitestUnit}'`,
    { XDG_DATA_HOME: keyringHome, BVL_REQUIRE_KEYCHAIN: '1' },
  );
  fs.rmSync(keyringHome, { recursive: true, force: true });
} else {
  step('unit and integration', vitestUnit);
}
step('end to end', npx(['vitest', 'run', '--config', 'vitest.e2e.config.ts', '--reporter=default', '--reporter=json', `--outputFile=${path.join(results, 'e2e.json')}`]));
summary();
