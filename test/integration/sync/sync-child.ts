/**
 * One sync in its own process, for the kill tests: the core on a data folder, pointed at a demo office the
 * test keeps running (`BVL_OFFICE`, JSON), runs one sync and exits. Prints `started` when the run begins,
 * `step <name>` as it moves through its steps, and `summary <json>` at the end. `BVL_FEED_INTERVAL_MS`
 * gives the time between feed polls (default 0: each restart may poll at once).
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
  // By default a new process may poll the feed at once, so each restart can finish what the last began.
  sync: { feedIntervalMs: Number(process.env.BVL_FEED_INTERVAL_MS ?? '0'), concurrency: 4 },
  syncOnStartup: false,
});
let step = '';
const done = new Promise<string>((resolve) => {
  core.subscribe((event, payload) => {
    if (event === 'sync.progress' && (payload as { step: string }).step !== step) {
      step = (payload as { step: string }).step;
      process.stdout.write(`step ${step}\n`);
    }
    if (event === 'sync.finished') {
      process.stdout.write(`summary ${JSON.stringify(payload)}\n`);
      resolve((payload as { status: string }).status);
    }
  });
});
const started = await core.call('sync.start', undefined);
if (!started.ok) throw new Error(started.error.message);
process.stdout.write('started\n');
const status = await done;
await core.close();
process.stdout.write(`finished ${status}\n`);
process.exit(status === 'done' ? 0 : 1);
