/**
 * `npm run bench -- demo-world [--quick]`: how fast the demo office's world is made and served.
 * - the default office (40 dossiers): world + both simulators started;
 * - the large office (400 dossiers, ≥ 200,000 documents): every document header generated, and a sample of
 *   documents rendered (UBL with embedded PDF, CODA) to estimate the cost of rendering on demand.
 */
import { startDemoOffice } from '../../electron/demo/office';
import { renderCoda, renderUbl } from '../../electron/demo/seed/documents';
import { createWorld } from '../../electron/demo/seed/world';

const ms = (t: number) => `${(performance.now() - t).toFixed(0)} ms`;

export default async function run(args: string[]): Promise<void> {
  const quick = args.includes('--quick');

  let t = performance.now();
  const office = await startDemoOffice({ seed: 1 });
  console.log(`default office (40 dossiers) started in ${ms(t)}`);
  await office.close();

  const dossiers = quick ? 100 : 400;
  const invoicesPerDossier = quick ? 200 : 720;
  t = performance.now();
  const world = createWorld({ seed: 1, dossiers, invoicesPerDossier });
  console.log(`${dossiers} dossiers: headers in ${ms(t)}`);
  t = performance.now();
  const documents = world.documentCount();
  const heap = process.memoryUsage().heapUsed / 1e6;
  console.log(`${dossiers} dossiers: ${documents} documents (invoices + CODA statements) generated in ${ms(t)}, heap ${heap.toFixed(0)} MB`);

  const sample = 1000;
  let bytes = 0;
  t = performance.now();
  let rendered = 0;
  outer: for (const d of world.dossiers) {
    for (const i of d.invoices()) {
      bytes += renderUbl(d, i).length;
      if (++rendered >= sample) break outer;
    }
  }
  console.log(`render ${rendered} UBL (with PDF): ${ms(t)}, ${(bytes / rendered / 1024).toFixed(1)} KiB each`);
  t = performance.now();
  rendered = 0;
  outer2: for (const d of world.dossiers) {
    for (const s of d.statements()) {
      renderCoda(d, s);
      if (++rendered >= sample) break outer2;
    }
  }
  console.log(`render ${rendered} CODA: ${ms(t)}`);

  t = performance.now();
  const large = await startDemoOffice({ seed: 1, dossiers, invoicesPerDossier });
  console.log(`large office (${dossiers} dossiers) started in ${ms(t)}, heap ${(process.memoryUsage().heapUsed / 1e6).toFixed(0)} MB`);
  await large.close();
}
