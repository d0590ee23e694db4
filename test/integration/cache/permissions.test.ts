/**
 * The data folder holds clients' invoices, bank statements and the app's logs: other users of the machine
 * must not read it. The folder is 0700 and the databases and logs 0600 whatever the umask — also when an
 * older version left them readable.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import { tempDir } from '../../support/repo';
import { call, syncNow, testClock } from '../sync/support';
import { demoOffice } from '../../../electron/demo/office';

const mode = (file: string) => (fs.statSync(file).mode & 0o777).toString(8);

describe.skipIf(process.platform === 'win32')('the data folder', () => {
  let core: Core | undefined;
  let made: { dir: string; cleanup: () => void } | undefined;
  afterEach(async () => {
    await core?.close();
    made?.cleanup();
  });

  it('is the user’s alone: folder 0700, databases and logs 0600, even over an older, open one', async () => {
    made = tempDir('bvl-perm-');
    const dataDir = path.join(made.dir, 'data');
    // What an older version left: everything readable by all.
    const previous = process.umask(0o022);
    try {
      fs.mkdirSync(path.join(dataDir, 'logs'), { recursive: true, mode: 0o755 });
      fs.writeFileSync(path.join(dataDir, 'logs', 'main.log'), 'an older line\n', { mode: 0o644 });
      fs.writeFileSync(path.join(dataDir, 'logs', 'main.log.1'), 'a rotated line\n', { mode: 0o644 });
      fs.chmodSync(dataDir, 0o755);

      core = await createCore({
        dataDir,
        version: '0.0.0-test',
        host: 'browser',
        demo: demoOffice({ seed: 3, dossiers: 2, invoicesPerDossier: 1 }),
        clock: testClock(),
        timing: { baseDelayMs: 1, maxDelayMs: 4, timeoutMs: 5_000 },
        syncOnStartup: false,
      });
      await call(core, 'dossiers.refresh');
      await syncNow(core);
      core.log.warn('a line written now');
    } finally {
      process.umask(previous);
    }

    expect(mode(dataDir)).toBe('700');
    expect(mode(path.join(dataDir, 'logs'))).toBe('700');
    const files = fs.readdirSync(dataDir).filter((f) => /\.sqlite(-wal|-shm)?$/.test(f));
    expect(files).toEqual(expect.arrayContaining(['cache.sqlite', 'cache.sqlite-wal', 'cache.sqlite-shm', 'exports.sqlite']));
    for (const f of files) expect(mode(path.join(dataDir, f)), f).toBe('600');
    for (const f of ['main.log', 'main.log.1']) expect(mode(path.join(dataDir, 'logs', f)), f).toBe('600');
    expect(fs.readFileSync(path.join(dataDir, 'logs', 'main.log'), 'utf8')).toContain('a line written now');
  });
});
