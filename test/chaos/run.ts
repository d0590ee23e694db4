/**
 * `npm run test:chaos [-- --small | --full] [--kills=N] [--faults=0.03] [--seed=N]`: the chaos run on the
 * large office (400 dossiers; `--full` with the benchmark's 1,150 invoices per dossier, `--small` the size
 * the test suite runs). Prints every run, the faults and kills survived, and exits 1 unless the end state
 * equals the clean run's.
 */
import os from 'node:os';
import { chaosHeld, describeChaos, runChaos } from './chaos';

const args = process.argv.slice(2);
const opt = (name: string) => args.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const small = args.includes('--small');
const full = args.includes('--full');
const world = small
  ? { seed: 41, dossiers: 8, invoicesPerDossier: 60 }
  : { seed: 5, dossiers: 400, invoicesPerDossier: full ? 1150 : 40 };

console.log(`chaos run: ${world.dossiers} dossiers × ${world.invoicesPerDossier} invoices (seed ${world.seed}); ${os.availableParallelism()} cores, load average ${os.loadavg()[0]!.toFixed(1)}`);
const report = await runChaos({
  world,
  kills: Number(opt('kills') ?? (small ? 12 : 40)),
  faultRate: Number(opt('faults') ?? 0.03),
  seed: Number(opt('seed') ?? 2026),
  log: (line) => console.log(`  ${line}`),
});
for (const line of describeChaos(report)) console.log(line);
const held = chaosHeld(report);
console.log(held ? 'chaos run: held' : 'chaos run: FAILED');
process.exit(held ? 0 : 1);
