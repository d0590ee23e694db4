/**
 * The demo office of `bench sync`, in a process of its own so the benchmark measures the app (its time and
 * its memory), not the simulators.
 *
 * Started with `--seed N --dossiers N --invoices N --sample N`; prints one JSON line on stdout (URLs,
 * credentials, sizes, a sample of orders for the download baseline), then answers commands read from stdin,
 * one per line, with one JSON line each: `clear-log`, `routes` (request counts per route since the last
 * clear). Exits when stdin closes.
 */
import readline from 'node:readline';
import { parseArgs } from 'node:util';
import { startDemoOffice } from '../../electron/demo/office';
import { FEED_NAME } from '../../electron/core/sync/reads';

export interface BenchOfficeInfo {
  billitUrl: string;
  veniceUrl: string;
  credentials: Awaited<ReturnType<typeof startDemoOffice>>['credentials'];
  dossiers: number;
  linked: number;
  documents: number;
  statements: number;
  /** Orders to download for the baseline: company, order and UBL file ids. */
  sample: Array<{ companyId: number; orderId: number; ublFileId: string | null }>;
}

const { values } = parseArgs({
  options: { seed: { type: 'string' }, dossiers: { type: 'string' }, invoices: { type: 'string' }, sample: { type: 'string' } },
});
const office = await startDemoOffice({
  seed: Number(values.seed ?? 5),
  dossiers: Number(values.dossiers ?? 40),
  invoicesPerDossier: Number(values.invoices ?? 120),
  feeds: [FEED_NAME],
});
const linked = office.world.dossiers.filter((d) => d.billit === 'linked');
const sampleSize = Number(values.sample ?? 500);
const sample: BenchOfficeInfo['sample'] = [];
for (const o of office.billit.state.orders.values()) {
  if (sample.length >= sampleSize) break;
  // Only what the office may read: an order of a company not linked to it would be a 401, not a download.
  if (!office.billit.state.companies.get(o.companyId)?.linkedToOffice) continue;
  sample.push({ companyId: o.companyId, orderId: o.orderId, ublFileId: o.attachments.find((a) => a.mimeType === 'text/xml')?.fileId ?? null });
}
const info: BenchOfficeInfo = {
  billitUrl: office.billitUrl,
  veniceUrl: office.veniceUrl,
  credentials: office.credentials,
  dossiers: office.world.dossiers.length,
  linked: linked.length,
  documents: linked.reduce((n, d) => n + d.invoices().length, 0),
  statements: linked.reduce((n, d) => n + d.statements().length, 0),
  sample,
};
process.stdout.write(JSON.stringify(info) + '\n');

// Requests per route since the last `clear-log`, counted here: the server's own log keeps only the newest.
let counts: Record<string, number> = {};
office.billit.server.observe(({ entry }) => {
  const route = entry.route ?? '(none)';
  counts[route] = (counts[route] ?? 0) + 1;
});

const lines = readline.createInterface({ input: process.stdin });
lines.on('line', (line) => {
  const command = line.trim();
  if (command === 'clear-log') {
    counts = {};
    process.stdout.write('{"ok":true}\n');
  } else if (command === 'routes') {
    process.stdout.write(JSON.stringify(counts) + '\n');
  } else {
    process.stdout.write(JSON.stringify({ error: `unknown command ${command}` }) + '\n');
  }
});
lines.on('close', () => {
  void office.close().then(() => process.exit(0));
});
