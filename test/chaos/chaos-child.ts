/**
 * One app process of the chaos run: the core on its data folder, pointed at the demo office the run keeps
 * alive (`BVL_OFFICE`, JSON), runs one sync and exits. Its clock is the real one moved by
 * `BVL_CLOCK_OFFSET_MS`, so the run can let Billit's once-a-minute feed rule pass without waiting a minute.
 * Prints JSON lines: `started`, progress (step changes, at most every 100 ms otherwise), `finished`.
 */
import { createCore } from '../../electron/core';
import { systemClock, type Clock } from '../../electron/core/sync';

const office = JSON.parse(process.env.BVL_OFFICE!) as { billitUrl: string; veniceUrl: string; credentials: never };
const offset = Number(process.env.BVL_CLOCK_OFFSET_MS ?? 0);
const clock: Clock = { now: () => Date.now() + offset, sleep: (ms, signal) => systemClock.sleep(ms, signal) };
const say = (line: object) => process.stdout.write(JSON.stringify(line) + '\n');

const core = await createCore({
  dataDir: process.env.BVL_DATA!,
  version: '0.0.0-chaos',
  host: 'browser',
  demo: { office },
  exportRoot: process.env.BVL_EXPORTS!,
  clock,
  // Injected latency is longer than the time limit: each one is a timeout, retried with a short backoff.
  timing: { baseDelayMs: 1, maxDelayMs: 20, timeoutMs: 1_500, retries: 4 },
  sync: { offlineProbeMs: 50 },
  syncOnStartup: false,
});
let step = '';
let said = 0;
const finished = new Promise<{ status: string; errors: number; documents: number; statements: number }>((resolve) => {
  core.subscribe((event, payload) => {
    if (event === 'sync.progress') {
      const p = payload as { step: string; done: number; total: number };
      if (p.step !== step || Date.now() - said > 100) {
        step = p.step;
        said = Date.now();
        say({ t: 'progress', step: p.step, done: p.done, total: p.total });
      }
    } else if (event === 'sync.finished') resolve(payload as never);
  });
});
const started = await core.call('sync.start', undefined);
if (!started.ok) throw new Error(started.error.message);
say({ t: 'started' });
const summary = await finished;
await core.close();
say({ t: 'finished', status: summary.status, errors: summary.errors, documents: summary.documents, statements: summary.statements });
process.exit(0);
