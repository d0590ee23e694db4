/**
 * Prepares the office benchmark's cache, in a process of its own (the benchmark measures the app, not the
 * filling): the demo office's dossiers learnt as the app learns them (a refresh through the core), then a
 * history of documents and statements in each, one dossier much larger than the others. Writes the data
 * folder and `meta.json` (the large dossier, documents to look up) into the folder given.
 *
 * Env: BVL_OFFICE (the running demo office, JSON), BVL_DIR (where to write), BVL_DOCUMENTS, BVL_BIG.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createCore } from '../../electron/core';
import { openCache } from '../../electron/core/cache';
import { dossierHistory, rng, type HistorySample } from './_history';

const office = JSON.parse(process.env.BVL_OFFICE!) as { billitUrl: string; veniceUrl: string; credentials: never };
const dir = process.env.BVL_DIR!;
const documents = Number(process.env.BVL_DOCUMENTS);
const big = Number(process.env.BVL_BIG);
const data = path.join(dir, 'data');

const core = await createCore({ dataDir: data, version: 'bench', host: 'browser', demo: { office }, syncOnStartup: false });
// A returning accountant: the first run's choice (the demo office) is made, so the app opens on the dossiers.
await core.call('app.setup', { use: 'demo' });
const refreshed = await core.call('dossiers.refresh', undefined);
if (!refreshed.ok) throw new Error(refreshed.error.message);
await core.close();
// Each run chooses its own export folder and keeps its own export ledger.
for (const f of fs.readdirSync(data)) if (f.startsWith('exports.sqlite') || f === 'Exports') fs.rmSync(path.join(data, f), { recursive: true, force: true });

const cache = openCache(path.join(data, 'cache.sqlite'));
const dossiers = cache.dossiers.all();
const large = dossiers.find((d) => d.linkState === 'linked') ?? dossiers[0]!;
const others = dossiers.filter((d) => d !== large);
const each = Math.floor((documents - big) / others.length);
const random = rng(42);
const samples: HistorySample[] = [];
let written = 0;
const started = performance.now();
for (const [d, dossier] of [large, ...others].entries()) {
  const count = d === 0 ? big : d === others.length ? documents - big - each * (others.length - 1) : each;
  const { rows, stmts } = dossierHistory({ d, dossierId: dossier.id, name: dossier.name, enterpriseNumber: dossier.enterpriseNumber ?? '0000000000', count, random, samples, statementEvery: 10, movements: 4 });
  await cache.documents.putMany(rows);
  await cache.statements.putMany(stmts);
  written += count;
  if (d % 40 === 0) process.stdout.write(`  … ${written.toLocaleString('en')} documents (${Math.round(written / ((performance.now() - started) / 1000))}/s)\n`);
}
await cache.close();
const largeSamples = samples.filter((s) => s.dossierId === large.id).slice(0, 40);
fs.writeFileSync(path.join(dir, 'meta.json'), JSON.stringify({ large: { veniceId: large.veniceId, name: large.name, documents: big }, documents: written, dossiers: dossiers.length, samples: largeSamples }));
process.stdout.write(`filled: ${written} documents in ${dossiers.length} dossiers in ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
