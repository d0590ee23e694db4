/**
 * `npm run demo [-- --seed N --dossiers N]`: the demo office as a stand-alone server for manual use.
 * Prints both simulators' URLs and the demo credentials, then serves until Ctrl+C.
 */
import { parseArgs } from 'node:util';
import { startDemoOffice } from './office';
import { DEFAULT_DOSSIERS, DEFAULT_INVOICES_PER_DOSSIER, DEFAULT_SEED } from './seed/world';

const usage = `Usage: npm run demo -- [options]

  --seed N            seed of the demo world (default ${DEFAULT_SEED}); the same seed gives the same world
  --dossiers N        Venice dossiers in the office (default ${DEFAULT_DOSSIERS}, up to 400 and more)
  --invoices N        average invoices per dossier in Billit (default ${DEFAULT_INVOICES_PER_DOSSIER})
  --billit-port P     fixed port for the Billit simulator (default: a free one)
  --venice-port P     fixed port for the Venice Cloud simulator (default: a free one)
  --export-every S    every S seconds a demo entrepreneur exports one pending document to the feeds
  --feed NAME         create this accountant feed before seeding (may repeat)
  -h, --help          this help
`;

function int(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    console.error(`--${name} must be an integer ≥ ${min}, got "${value}"\n\n${usage}`);
    process.exit(2);
  }
  return n;
}

async function main() {
  let parsed;
  try {
    parsed = parseArgs({
      options: {
        seed: { type: 'string' },
        dossiers: { type: 'string' },
        invoices: { type: 'string' },
        'billit-port': { type: 'string' },
        'venice-port': { type: 'string' },
        'export-every': { type: 'string' },
        feed: { type: 'string', multiple: true },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
    });
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${usage}`);
    process.exit(2);
  }
  const v = parsed.values;
  if (v.help) {
    console.log(usage);
    return;
  }
  const started = Date.now();
  const office = await startDemoOffice({
    seed: int('seed', v.seed, 0),
    dossiers: int('dossiers', v.dossiers, 1),
    invoicesPerDossier: int('invoices', v.invoices, 1),
    billitPort: int('billit-port', v['billit-port'], 0),
    venicePort: int('venice-port', v['venice-port'], 0),
    feeds: v.feed ?? [],
  });
  const c = office.credentials;
  const states = new Map<string, number>();
  for (const d of office.world.dossiers) states.set(d.billit, (states.get(d.billit) ?? 0) + 1);
  const linked = office.world.dossiers.filter((d) => d.billit === 'linked');
  const invoices = linked.reduce((n, d) => n + d.invoices().length, 0);
  const statements = linked.reduce((n, d) => n + d.statements().length, 0);
  console.log(`Demo office "${office.world.office.name}" (seed ${office.world.seed}), started in ${Date.now() - started} ms

Billit API        ${office.billitUrl}
  API key         ${c.billit.apiKey}
  office PartyID  ${c.billit.officePartyId}
  OAuth client    ${c.billit.oauth.clientId} / ${c.billit.oauth.clientSecret}
  redirect URIs   ${c.billit.oauth.redirectUris.join(', ')}
  authorize at    ${office.billitUrl}/Account/Logon?client_id=${c.billit.oauth.clientId}&redirect_uri=…

Venice Cloud      ${office.veniceUrl}
  user name       ${c.venice.username}
  password        ${c.venice.password}

Dossiers          ${office.world.dossiers.length} (${[...states].map(([s, n]) => `${n} ${s}`).join(', ')})
Linked documents  ${invoices} invoices, ${statements} CODA statements (${office.billit.population.pending.length} not yet exported)

Ctrl+C stops.`);

  const every = int('export-every', v['export-every'], 1);
  const timer = every
    ? setInterval(() => {
        if (office.billit.exportPending(1) > 0)
          console.log(`${new Date().toISOString()} exported a document (${office.billit.population.pending.length} pending)`);
      }, every * 1000)
    : null;

  const stop = async () => {
    if (timer) clearInterval(timer);
    await office.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
