/**
 * Where a process's CPU goes, for the benchmarks: CPU time per thread from the kernel's own accounting
 * (so the figures hold when other work shares the cores), and, inside each JavaScript thread, a sampling
 * profile that splits that time between the parts of the app (HTTP, UBL reading, cache, export folders…).
 *
 * The profile gives shares of a thread's busy samples; the kernel gives the thread's CPU time: the
 * breakdown is one multiplied by the other. Threads without JavaScript (libuv's pool doing the file
 * system work, V8's GC helpers) appear as one line. `BENCH_PROFILE_DIR=<dir>` also writes each thread's
 * profile there (with each frame's source file) for a closer look in a profile viewer.
 */
import fs from 'node:fs';
import inspector from 'node:inspector';
import { workerSource } from '../../electron/core/lib/worker-thread';

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** The sampling profiler's own threads: the measurement's cost, not the app's. */
const profilerThreads = new Set<number>();

/** CPU ms per thread id of this process (Linux; an empty map elsewhere), the profiler's threads left out. */
export function threadCpu(): Map<number, number> {
  const out = new Map<number, number>();
  let tasks: string[];
  try {
    tasks = fs.readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const t of tasks) {
    try {
      const stat = fs.readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      const ms = (Number(f[11]) + Number(f[12])) * TICK_MS;
      if (stat.includes('(v8:ProfEvntProc)')) profilerThreads.add(Number(t));
      if (profilerThreads.has(Number(t))) profilerMs.set(Number(t), ms);
      else out.set(Number(t), ms);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

const profilerMs = new Map<number, number>();
/** CPU ms the profiler's threads used (reported apart, and left out of the app's figures). */
export const profilerCpu = () => [...profilerMs.values()].reduce((a, b) => a + b, 0);

/** CPU ms of another process (Linux), e.g. a simulator in its own process. */
export function processCpu(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

export const processCpuNow = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface ThreadProfile {
  name: string;
  tid: number;
  /** Busy ms per category, from the samples (not yet scaled to CPU time). */
  categories: Map<string, number>;
}

/** Where a sample's code lives, in the app's words. */
function categorise(file: string, fn: string): string {
  if (fn === '(garbage collector)') return 'garbage collection';
  if (/node_modules\/(ky|undici)\/|internal\/deps\/undici|node:(_http|http|https|net|dns|url|stream|internal\/streams|internal\/webstreams|internal\/abort_controller|internal\/event_target|events|internal\/url|timers|internal\/timers)|electron\/core\/(http|billit)\//.test(file))
    return 'HTTP (ky, sockets, requests and replies)';
  if (/node_modules\/(fast-xml-parser|strnum|ibantools)\/|shared\/(ubl|belgian)\//.test(file)) return 'UBL reading and checks';
  if (/shared\/coda\//.test(file)) return 'CODA reading and checks';
  if (/node_modules\/better-sqlite3\/|electron\/core\/cache\//.test(file)) return 'cache (SQLite)';
  if (/electron\/core\/export\/|shared\/export\/|node:(fs|internal\/fs)/.test(file)) return 'export folders (files, manifest, ledger)';
  if (/node:(internal\/)?worker|electron\/core\/sync\/(worker|workers|worker-wire)\.ts/.test(file)) return 'messages between threads';
  if (/electron\/core\/log\.ts/.test(file)) return 'log';
  if (/node:(internal\/)?crypto/.test(file)) return 'SHA-256';
  if (/electron\/core\/sync\/|electron\/core\/(events|dispatch)\.ts/.test(file)) return 'sync pipeline (engine, conversion)';
  return 'other';
}

/** Maps a line of the worker's eval'd bundle to the source file esbuild marked it with. */
function bundleLines(source: string): (line: number) => string {
  const starts: Array<[number, string]> = [];
  source.split('\n').forEach((text, i) => {
    const m = /^\/\/ ((?:node_modules|electron|shared)\/\S+)$/.exec(text);
    if (m) starts.push([i, m[1]!]);
  });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]![0] <= line) {
        found = starts[mid]![1];
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

function summarise(profile: Profile, fileOf: (frame: ProfileNode['callFrame']) => string): Map<string, number> {
  if (process.env.BENCH_PROFILE_DIR) {
    for (const n of profile.nodes) (n.callFrame as { file?: string }).file = fileOf(n.callFrame);
    fs.writeFileSync(`${process.env.BENCH_PROFILE_DIR}/${Date.now()}-${profile.nodes.length}.cpuprofile`, JSON.stringify(profile));
  }
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  profile.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const out = new Map<string, number>();
  for (const [id, micros] of self) {
    let node = byId.get(id)!;
    const fn = node.callFrame.functionName;
    if (fn === '(idle)' || fn === '(root)') continue;
    // Native code (a syscall, JSON.parse, a SQLite step) counts for the JavaScript that called it.
    while (fileOf(node.callFrame) === '' && fn !== '(garbage collector)' && parent.has(node.id)) node = byId.get(parent.get(node.id)!)!;
    const category = categorise(fileOf(node.callFrame), fn);
    out.set(category, (out.get(category) ?? 0) + micros / 1000);
  }
  return out;
}

/**
 * Sampling profiles of the main thread and of every worker thread started while it runs. `stop()` returns
 * each thread's busy time per category.
 */
export async function startProfiling(intervalMicros = 1000): Promise<{ stop(): Promise<ThreadProfile[]> }> {
  const session = new inspector.Session();
  session.connect();
  const post = <T>(method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T))));
  let nextId = 1;
  const answers = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  const toWorker = <T>(sessionId: string, method: string, params: object = {}) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      answers.set(id, (m) => (m.error ? reject(new Error(JSON.stringify(m.error))) : resolve(m.result as T)));
      void post('NodeWorker.sendMessageToWorker', { sessionId, message: JSON.stringify({ id, method, params }) });
    });
  const workers = new Map<string, { title: string; tid: () => Promise<number>; started: Promise<unknown> }>();
  session.on('NodeWorker.receivedMessageFromWorker', ({ params }) => {
    const message = JSON.parse(params.message) as { id?: number; result?: unknown; error?: unknown };
    if (message.id !== undefined) {
      answers.get(message.id)?.(message);
      answers.delete(message.id);
    }
  });
  session.on('NodeWorker.attachedToWorker', ({ params }) => {
    const { sessionId, workerInfo } = params as { sessionId: string; workerInfo: { title: string } };
    const started = (async () => {
      await toWorker(sessionId, 'Profiler.enable');
      await toWorker(sessionId, 'Profiler.setSamplingInterval', { interval: intervalMicros });
      await toWorker(sessionId, 'Profiler.start');
    })();
    // Asked once the worker has started: during its bootstrap `require` is not ready yet.
    const tid = () =>
      toWorker<{ result: { value?: unknown } }>(sessionId, 'Runtime.evaluate', {
        expression: "require('node:fs').readlinkSync('/proc/thread-self')",
        includeCommandLineAPI: true,
      }).then(
        (r) => (typeof r.result.value === 'string' ? Number(r.result.value.split('/').pop()) : -1),
        () => -1,
      );
    workers.set(sessionId, { title: workerInfo.title, tid, started });
  });
  await post('NodeWorker.enable', { waitForDebuggerOnStart: false });
  await post('Profiler.enable');
  await post('Profiler.setSamplingInterval', { interval: intervalMicros });
  await post('Profiler.start');

  const worker = workerSource(new URL('../../electron/core/sync/worker.ts', import.meta.url));
  const workerFile = bundleLines(worker);
  const mainFile = (frame: ProfileNode['callFrame']) => frame.url;
  const evalFile = (frame: ProfileNode['callFrame']) => (frame.url.includes('[worker eval]') ? workerFile(frame.lineNumber) : frame.url);

  return {
    async stop() {
      const out: ThreadProfile[] = [];
      const main = await post<{ profile: Profile }>('Profiler.stop');
      out.push({ name: 'main thread', tid: process.pid, categories: summarise(main.profile, mainFile) });
      for (const [sessionId, w] of workers) {
        try {
          await w.started;
          const tid = await w.tid();
          const r = await toWorker<{ profile: Profile }>(sessionId, 'Profiler.stop');
          out.push({ name: `worker thread ${w.title}`, tid, categories: summarise(r.profile, evalFile) });
        } catch {
          // a worker that ended before the end of the profile (its CPU still counts in "other threads")
        }
      }
      session.disconnect();
      return out;
    },
  };
}

/**
 * The breakdown: each thread's CPU time (from the kernel) split by its profile's shares, per document.
 * Threads without a profile are summed as "other threads".
 */
export function cpuBreakdown(
  before: Map<number, number>,
  after: Map<number, number>,
  profiles: ThreadProfile[],
  documents: number,
): { lines: string[]; totalMs: number } {
  const used = new Map<number, number>();
  for (const [tid, ms] of after) used.set(tid, ms - (before.get(tid) ?? 0));
  const lines: string[] = [];
  let total = 0;
  let profiled = 0;
  const fmt = (ms: number) => (ms / documents).toFixed(3).padStart(7);
  for (const p of profiles) {
    const cpu = used.get(p.tid) ?? 0;
    if (p.tid < 0 || cpu === 0) continue;
    profiled += cpu;
    const busy = [...p.categories.values()].reduce((a, b) => a + b, 0) || 1;
    lines.push(`${fmt(cpu)} ms  ${p.name}`);
    for (const [category, ms] of [...p.categories].sort((a, b) => b[1] - a[1])) {
      const share = (ms / busy) * cpu;
      if (share / documents >= 0.005) lines.push(`   ${fmt(share)} ms    ${category}`);
    }
  }
  for (const ms of used.values()) total += ms;
  lines.push(`${fmt(total - profiled)} ms  other threads (libuv's pool: file system writes and fsyncs; V8's GC and compiler helpers)`);
  return { lines, totalMs: total };
}
