/**
 * `npm run bench -- sync [--quick]`: a full sync of a demo office on loopback (fetch, parse, cache, export),
 * then a re-sync with nothing new. Prints documents/s end to end, the app's peak RSS, and requests per
 * dossier per source on the re-sync; the baseline is the bare download of the same kind of files (order and
 * its UBL, no parse, cache or export), measured in the same run against the same server.
 *
 * The demo office runs in a child process (`_sync-office.ts`): the figures are the app's, not the
 * simulators'. The default is the full size (400 dossiers, ≥ 200,000 documents); `--quick` is a short check;
 * `--dossiers=N --invoices=N` any size between.
 *
 * The app and the simulator share the machine's cores (and so does anything else running): rates are read
 * against the baseline of the same run, and CPU is counted in CPU time, per process and per thread, with a
 * sampling profile splitting each thread's time between the parts of the app (`_cpu.ts`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore } from '../../electron/core';
import type { SyncRunSummary } from '../../shared/api';
import { cpuBreakdown, processCpu, processCpuNow, profilerCpu, startProfiling, threadCpu } from './_cpu';
import { startOffice } from './_office-process';

export default async function bench(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
  const dossiers = Number(opt('dossiers') ?? (quick ? 40 : 400));
  const invoicesPerDossier = Number(opt('invoices') ?? (quick ? 120 : 1150));
  const sampleSize = quick ? 500 : 3000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-bench-sync-'));
  let started = performance.now();
  const office = await startOffice(['--seed', '5', '--dossiers', String(dossiers), '--invoices', String(invoicesPerDossier), '--sample', String(sampleSize)]);
  const { info } = office;
  const load = () => os.loadavg()[0]!.toFixed(1);
  console.log(`machine: ${os.availableParallelism()} cores, load average ${load()} before the run`);
  console.log(
    `world: ${info.dossiers} dossiers (${info.linked} linked), ${info.documents} documents and ${info.statements} statements to sync (office started in ${((performance.now() - started) / 1000).toFixed(1)} s, own process)`,
  );
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  try {
    const core = await createCore({
      dataDir: path.join(dir, 'data'),
      version: 'bench',
      host: 'browser',
      demo: { office: info },
      exportRoot: path.join(dir, 'exports'),
      sync: { feedIntervalMs: 0 },
      syncOnStartup: false,
    });

    // Baseline: the same files, only downloaded (no parse, no cache, no export), on a sample.
    const key = info.credentials.billit.apiKey;
    let appCpu = processCpuNow();
    let simCpu = processCpu(office.pid);
    started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < info.sample.length) {
          const o = info.sample[next++]!;
          const headers = { ApiKey: key, PartyID: String(o.companyId), ContextPartyID: String(info.credentials.billit.officePartyId) };
          await (await fetch(`${info.billitUrl}/v1/orders/${o.orderId}`, { headers })).arrayBuffer();
          if (o.ublFileId) await (await fetch(`${info.billitUrl}/v1/files/${o.ublFileId}`, { headers })).arrayBuffer();
        }
      }),
    );
    const baseline = info.sample.length / ((performance.now() - started) / 1000);
    const baselineCpu = { app: (processCpuNow() - appCpu) / info.sample.length, sim: (processCpu(office.pid) - simCpu) / info.sample.length };

    const run = async (): Promise<{ summary: SyncRunSummary; seconds: number; steps: Map<string, number> }> => {
      const start = performance.now();
      // Time per step of the run (orders per dossier, then the feed's orders, then its statements).
      const steps = new Map<string, number>();
      let step = '';
      let stepAt = start;
      const finished = new Promise<SyncRunSummary>((resolve) => {
        const off = core.subscribe((event, payload) => {
          if (event === 'sync.progress') {
            const p = payload as { step: string };
            if (p.step !== step) {
              const now = performance.now();
              if (step) steps.set(step, (steps.get(step) ?? 0) + (now - stepAt) / 1000);
              step = p.step;
              stepAt = now;
            }
          }
          if (event === 'sync.finished') {
            off();
            if (step) steps.set(step, (steps.get(step) ?? 0) + (performance.now() - stepAt) / 1000);
            resolve(payload as SyncRunSummary);
          }
        });
      });
      const result = await core.call('sync.start', undefined);
      if (!result.ok) throw new Error(result.error.message);
      const summary = await finished;
      return { summary, seconds: (performance.now() - start) / 1000, steps };
    };

    await core.call('dossiers.refresh', undefined);
    await office.command('clear-log');
    // A sample every 4 ms on a long run keeps the profiler's memory and cost small; proportions hold.
    const profiling = await startProfiling(info.documents > 50_000 ? 4000 : 1000);
    const threadsBefore = threadCpu();
    appCpu = processCpuNow();
    simCpu = processCpu(office.pid);
    const loadBefore = load();
    const full = await run();
    const loadAfter = load();
    const threadsAfter = threadCpu();
    // The profiler's own threads are the measurement's cost, not the app's.
    const fullCpu = { app: processCpuNow() - appCpu - profilerCpu(), sim: processCpu(office.pid) - simCpu };
    const rate = full.summary.documents / full.seconds;
    const fullRoutes = await office.command<Record<string, number>>('routes');
    await office.command('clear-log');
    const again = await run();
    const routes = await office.command<Record<string, number>>('routes');
    const requests = Object.values(routes).reduce((a, b) => a + b, 0);
    const perDossier = (route: string) => (routes[route] ?? 0) / info.linked;
    // The peak is the app's: taken before the profiles (tens of MB of JSON) are collected.
    clearInterval(sampler);
    const profiles = await profiling.stop();

    const docs = full.summary.documents;
    const perDoc = (ms: number) => (ms / docs).toFixed(2);
    console.log(
      `full sync (${full.summary.status}): ${docs} documents, ${full.summary.statements} statements, ${full.summary.exported} exported, ${full.summary.errors} errors in ${full.seconds.toFixed(1)} s (load average ${loadBefore} at its start, ${loadAfter} at its end)`,
    );
    console.log(`  time per step: ${[...full.steps].map(([k, v]) => `${k} ${v.toFixed(1)} s`).join(', ')}`);
    console.log(`full sync requests by route: ${JSON.stringify(fullRoutes)}`);
    console.log(`baseline (download only, order + UBL, Node's fetch, 16 in flight): ${baseline.toFixed(0)} documents/s; CPU per document: app ${baselineCpu.app.toFixed(2)} ms, simulator ${baselineCpu.sim.toFixed(2)} ms`);
    console.log(`documents/s end to end: ${rate.toFixed(0)} = ${(rate / baseline).toFixed(2)}× the baseline (target ≥ 0.8×); with statements: ${((docs + full.summary.statements) / full.seconds).toFixed(0)}/s`);
    console.log(
      `CPU per document, end to end (statements, confirmations and all included): app ${perDoc(fullCpu.app)} ms, simulator ${perDoc(fullCpu.sim)} ms; both processes used ${((fullCpu.app + fullCpu.sim) / 1000 / full.seconds).toFixed(2)} of ${os.availableParallelism()} cores`,
    );
    // What the CPU figures allow on this machine when nothing else runs: all cores busy with the app and the
    // simulator, no waiting. The baseline does not need the cores (it waits on round trips), so its rate stands.
    const cores = os.availableParallelism();
    const ceiling = (cores * 1000) / ((fullCpu.app + fullCpu.sim) / docs);
    const appBudget = (cores * 1000) / (0.8 * baseline) - fullCpu.sim / docs;
    console.log(
      `ceiling at these CPU costs: ${cores} cores fully busy give at most ${ceiling.toFixed(0)} documents/s = ${(ceiling / baseline).toFixed(2)}× the baseline; 0.8× needs the app at ≤ ${appBudget.toFixed(2)} ms of CPU per document with the simulator as it is`,
    );
    const breakdown = cpuBreakdown(threadsBefore, threadsAfter, profiles, docs);
    if (breakdown.totalMs > 0) {
      console.log(`where the app's CPU goes, ms per document (CPU time per thread, split by a sampling profile; the profiler's own ${(profilerCpu() / docs).toFixed(2)} ms left out):`);
      for (const line of breakdown.lines) console.log('  ' + line);
    }
    console.log(`peak RSS of the app: ${(peak / 1048576).toFixed(0)} MB (target ≤ 400; the simulators run in their own process)`);
    console.log(
      `no-change re-sync (${again.summary.status}): ${again.seconds.toFixed(2)} s, ${requests} requests; per dossier: orders ${perDossier('GET /v1/orders').toFixed(2)}, deleted ${perDossier('GET /v1/orders/deleted').toFixed(2)} (target ≤ 1 per source), feed polls ${routes['GET /v1/accountant/feeds/{feedName}'] ?? 0}`,
    );
    console.log(`re-sync requests by route: ${JSON.stringify(routes)}`);
    await core.close();
  } finally {
    clearInterval(sampler);
    await office.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
