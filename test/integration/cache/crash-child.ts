/**
 * Child process of crash.test.ts: writes one large batch of documents as a single transaction,
 * printing progress from inside it, so the parent can SIGKILL it mid-batch.
 * Usage: node --import tsx crash-child.ts <file> <batch number> <rows>
 */
import { openCache } from '../../../electron/core/cache';
import { doc } from './fixtures';

const [file, batchArg, rowsArg] = process.argv.slice(2);
const batch = Number(batchArg);
const rows = Number(rowsArg);

const cache = openCache(file!);
const dossierId =
  cache.dossiers.byVeniceId('V-crash')?.id ?? (await cache.dossiers.upsertMany([{ veniceId: 'V-crash', name: 'Crash test' }])).ids[0]!;
const docs = Array.from({ length: rows }, (_, i) => doc(dossierId, batch * rows + i, { ubl: Buffer.from(`<Invoice>${batch}-${i}</Invoice>`) }));

process.stdout.write('start\n');
await cache.transaction(async (tx) => {
  const count = tx.db.prepare('SELECT count(*) FROM documents').pluck();
  const timer = setInterval(() => process.stdout.write(`inside ${count.get() as number}\n`), 10);
  try {
    await cache.documents.putMany(docs);
  } finally {
    clearInterval(timer);
  }
});
process.stdout.write('committed\n');
await cache.close();
process.stdout.write('closed\n');
