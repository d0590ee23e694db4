/**
 * The cache as the export folders see it: each export kind selects its documents and reads its bytes as
 * its descriptor says (sales and purchase UBLs by book, PDFs of both books, one CODA file per file however
 * many statements it holds), never a held-back or deleted invoice, and a kind it does not know is an error.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { exportKinds, type ExportKind } from '../../../shared/export';
import { openCache, type Cache } from '../../../electron/core/cache';
import { cacheExportSource } from '../../../electron/core/sync/export-bridge';
import { doc, statement, tempDir } from '../cache/fixtures';

const open: Cache[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

const bytes = (text: string) => new Uint8Array(Buffer.from(text, 'utf8'));

async function office() {
  const cache = openCache(path.join(tempDir(), 'cache.sqlite'));
  open.push(cache);
  await cache.dossiers.upsertMany([
    { veniceId: 'JANSSENS', name: 'Bakkerij Janssens BV', enterpriseNumber: '0427604308' },
    { veniceId: 'OTHER', name: 'Other BV', enterpriseNumber: '0999999999' },
  ]);
  const janssens = cache.dossiers.byVeniceId('JANSSENS')!.id;
  const other = cache.dossiers.byVeniceId('OTHER')!.id;
  const put = await cache.documents.putMany([
    doc(janssens, 1, { direction: 'sales', number: 'VF-1', ubl: bytes('<sales 1/>'), pdf: bytes('%PDF sales 1') }),
    doc(janssens, 2, { direction: 'purchase', number: 'AF-2', ubl: bytes('<purchase 2/>') }),
    doc(janssens, 3, { direction: 'purchase', number: 'AF-3', ubl: bytes('<purchase 3/>'), pdf: bytes('%PDF purchase 3') }),
    doc(janssens, 4, { direction: 'sales', number: 'VF-4', ubl: bytes('<sales 4 held/>') }),
    doc(janssens, 5, { direction: 'sales', number: 'VF-5', ubl: bytes('<sales 5 deleted/>'), pdf: bytes('%PDF deleted') }),
    doc(janssens, 6, { direction: 'sales', number: 'VF-6' }),
    doc(other, 7, { direction: 'sales', number: 'VF-OTHER', ubl: bytes('<other/>') }),
  ]);
  const [sales1, purchase2, purchase3, held4, deleted5, bare6, other7] = put.ids as [number, number, number, number, number, number, number];
  await cache.documents.setStatus([held4], 'held');
  await cache.documents.setStatus([deleted5], 'deleted');
  // Two statements of one CODA file, one of another file, one without a file.
  const coda = bytes('0000 coda file A\n');
  const st = await cache.statements.putMany([
    statement(janssens, 1, 1, { coda }),
    statement(janssens, 2, 1, { coda }),
    statement(janssens, 3, 1, { coda: bytes('0000 coda file B\n') }),
    statement(janssens, 4, 1),
  ]);
  const [st1, st2, st3, st4] = st.ids as [number, number, number, number];
  return { cache, source: cacheExportSource(cache), ids: { sales1, purchase2, purchase3, held4, deleted5, bare6, other7, st1, st2, st3, st4 } };
}

const idsOf = (docs: { id: string }[]) => docs.map((d) => Number(d.id)).sort((a, b) => a - b);

describe('the cache as an export source', () => {
  it('selects per kind: a book’s UBLs, the PDFs of both books, one document per CODA file', async () => {
    const { source, ids } = await office();
    expect(idsOf(await source.documents('JANSSENS', 'sales'))).toEqual([ids.sales1]);
    expect(idsOf(await source.documents('JANSSENS', 'purchases'))).toEqual([ids.purchase2, ids.purchase3]);
    expect(idsOf(await source.documents('JANSSENS', 'pdf'))).toEqual([ids.sales1, ids.purchase3]);
    const statements = await source.documents('JANSSENS', 'coda');
    expect(statements).toHaveLength(2);
    expect(statements.map((s) => Number(s.id))).not.toContain(ids.st4);
    expect(statements.filter((s) => [ids.st1, ids.st2].includes(Number(s.id)))).toHaveLength(1);
    for (const s of statements) expect(s).toMatchObject({ kind: 'coda', dossierId: 'JANSSENS', iban: expect.any(String), statementNumber: expect.any(String) });
    // Each document carries the kind it was selected as and its dossier's Venice id.
    for (const kind of exportKinds) {
      for (const d of await source.documents('JANSSENS', kind)) expect(d).toMatchObject({ kind, dossierId: 'JANSSENS' });
    }
  });

  it('narrows to the ids asked, within the dossier, by the same rules', async () => {
    const { source, ids } = await office();
    const asked = [ids.sales1, ids.purchase2, ids.purchase3, ids.held4, ids.deleted5, ids.bare6, ids.other7].map(String);
    expect(idsOf(await source.documents('JANSSENS', 'sales', asked))).toEqual([ids.sales1]);
    expect(idsOf(await source.documents('JANSSENS', 'pdf', asked))).toEqual([ids.sales1, ids.purchase3]);
    expect(idsOf(await source.documents('JANSSENS', 'sales', [String(ids.other7), String(ids.held4), 'x', '-1']))).toEqual([]);
    expect(idsOf(await source.documents('JANSSENS', 'coda', [String(ids.st2), String(ids.st4)]))).toEqual([ids.st2]);
    expect(await source.documents('NOBODY', 'sales')).toEqual([]);
  });

  it('reads each kind’s own stored file', async () => {
    const { source, ids } = await office();
    const text = async (kind: ExportKind, id: number) => {
      const [d] = await source.documents('JANSSENS', kind, [String(id)]);
      return Buffer.from(await source.read(d!)).toString('utf8');
    };
    expect(await text('sales', ids.sales1)).toBe('<sales 1/>');
    expect(await text('pdf', ids.sales1)).toBe('%PDF sales 1');
    expect(await text('purchases', ids.purchase3)).toBe('<purchase 3/>');
    expect(await text('pdf', ids.purchase3)).toBe('%PDF purchase 3');
    expect(await text('coda', ids.st3)).toBe('0000 coda file B\n');
    // A document without the file asked for says so instead of delivering nothing.
    await expect(source.read({ id: String(ids.bare6), dossierId: 'JANSSENS', kind: 'sales' })).rejects.toThrow(/no stored file/);
  });

  it('refuses a kind it does not know instead of selecting nothing', async () => {
    const { source } = await office();
    await expect(source.documents('JANSSENS', 'receipts' as ExportKind)).rejects.toThrow(/Unknown export kind/);
    await expect(source.read({ id: '1', dossierId: 'JANSSENS', kind: 'receipts' as ExportKind })).rejects.toThrow(/Unknown export kind/);
  });

  it('lists every document of a dossier past the first page of the cache', async () => {
    const { cache, source } = await office();
    const dossier = cache.dossiers.byVeniceId('OTHER')!.id;
    const many = Array.from({ length: 1203 }, (_, i) => doc(dossier, 100 + i, { direction: 'sales', ubl: bytes(`<many ${i}/>`) }));
    await cache.documents.putMany(many);
    const sales = await source.documents('OTHER', 'sales');
    expect(sales).toHaveLength(1204);
    expect(new Set(sales.map((d) => d.id)).size).toBe(1204);
    // Whole rows a page at a time, in the order and with the cursors of the list the screens page through.
    const listed = cache.documents.page({ dossierId: dossier, limit: 500 });
    const whole = cache.documents.records({ dossierId: dossier, limit: 500 });
    expect(whole.items.map((d) => d.id)).toEqual(listed.items.map((d) => d.id));
    expect(whole.next).toBe(listed.next);
    expect(whole.items[0]).toEqual(cache.documents.get(whole.items[0]!.id));
  });
});
