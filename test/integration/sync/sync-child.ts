/**
 * One sync in its own process, for the kill test: the core on a data folder, pointed at a demo office the
 * test keeps running (`BVL_OFFICE`, JSON), runs one sync and exits. Prints `started` when the run begins.
 */
import { createCore } from '../../../electron/core';

const office = JSON.parse(process.env.BVL_OFFICE!) as { billitUrl: string; veniceUrl: string; credentials: never };
const core = await createCore({
  dataDir: process.env.BVL_DATA!,
  version: '0.0.0-test',
  host: 'browser',
  demo: { office },
  exportRoot: process.env.BVL_EXPORTS!,
  timing: { baseDelayMs: 1, maxDelayMs: 4, timeoutMs: 5_000 },
  // A new process may poll the feed at once: each restart must be able to finish what the last began.
  sync: { feedIntervalMs: 0, concurrency: 4 },
  syncOnStartup: false,
});
const done = new Promise<string>((resolve) => {
  core.subscribe((event, payload) => {
    if (event === 'sync.finished') resolve((payload as { status: string }).status);
  });
});
const started = await core.call('sync.start', undefined);
if (!started.ok) throw new Error(started.error.message);
process.stdout.write('started\n');
const status = await done;
await core.close();
process.stdout.write(`finished ${status}\n`);
process.exit(status === 'done' ? 0 : 1);
