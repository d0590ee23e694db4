/**
 * `npm run bench -- sync [--quick]`: a full sync of a demo office on loopback (fetch, parse, cache, export),
 * then a re-sync with nothing new. Prints documents/s end to end, the app's peak RSS, and requests per
 * dossier per source on the re-sync; the baseline is the bare download of the same kind of files (order and
 * its UBL, no parse, cache or export), measured in the same run against the same server.
 *
 * The demo office runs in a child process (`_sync-office.ts`): the figures are the app's, not the
 * simulators'. The default is the full size (400 dossiers, ≥ 200,000 documents); `--quick` is a short check.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createCore } from '../../electron/core';
import type { SyncRunSummary } from '../../shared/api';
import type { BenchOfficeInfo } from './_sync-office';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The demo office in a child process, driven by one JSON line per command. */
async function startOffice(args: string[]) {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(here, '_sync-office.ts'), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`the demo office exited (${code})`)));
    });
  const info = JSON.parse(await next()) as BenchOfficeInfo;
  return {
    info,
    async command<T>(name: string): Promise<T> {
      const answer = next();
      child.stdin.write(name + '\n');
      return JSON.parse(await answer) as T;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

export default async function bench(args: string[]): Promise<void> {
  const quick = args.includes('--quick');
  const dossiers = quick ? 40 : 400;
  const invoicesPerDossier = quick ? 120 : 1150;
  const sampleSize = quick ? 500 : 3000;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-bench-sync-'));
  let started = performance.now();
  const office = await startOffice(['--seed', '5', '--dossiers', String(dossiers), '--invoices', String(invoicesPerDossier), '--sample', String(sampleSize)]);
  const { info } = office;
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

    const run = async (): Promise<{ summary: SyncRunSummary; seconds: number }> => {
      const start = performance.now();
      const finished = new Promise<SyncRunSummary>((resolve) => {
        const off = core.subscribe((event, payload) => {
          if (event === 'sync.finished') {
            off();
            resolve(payload as SyncRunSummary);
          }
        });
      });
      const result = await core.call('sync.start', undefined);
      if (!result.ok) throw new Error(result.error.message);
      const summary = await finished;
      return { summary, seconds: (performance.now() - start) / 1000 };
    };

    await core.call('dossiers.refresh', undefined);
    await office.command('clear-log');
    const full = await run();
    const rate = full.summary.documents / full.seconds;
    const fullRoutes = await office.command<Record<string, number>>('routes');
    await office.command('clear-log');
    const again = await run();
    const routes = await office.command<Record<string, number>>('routes');
    const requests = Object.values(routes).reduce((a, b) => a + b, 0);
    const perDossier = (route: string) => (routes[route] ?? 0) / info.linked;
    peak = Math.max(peak, process.resourceUsage().maxRSS * 1024);

    console.log(
      `full sync (${full.summary.status}): ${full.summary.documents} documents, ${full.summary.statements} statements, ${full.summary.exported} exported, ${full.summary.errors} errors in ${full.seconds.toFixed(1)} s (load average ${os.loadavg()[0]!.toFixed(1)})`,
    );
    console.log(`documents/s end to end: ${rate.toFixed(0)} (target ≥ 1000); with statements: ${((full.summary.documents + full.summary.statements) / full.seconds).toFixed(0)}/s`);
    console.log(`full sync requests by route: ${JSON.stringify(fullRoutes)}`);
    console.log(`baseline (download only, order + UBL): ${baseline.toFixed(0)} documents/s; end to end is ${(rate / baseline).toFixed(2)}× the baseline`);
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
