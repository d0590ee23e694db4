import fs from 'node:fs';
import { asBillitPartyId, type DossierId } from '../../../shared/api/ids';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCache, type Cache, type Page } from '../../../electron/core/cache';
import { sha256 } from '../../../electron/core/lib/hash';
import { redact } from '../../../electron/core/log';
import { doc, statement, structured, tempDir } from './fixtures';

/** Every page of a keyset-paged list, following `next` until it is null. */
function all<T>(first: (after?: string) => Page<T>): { items: T[]; pages: number } {
  const items: T[] = [];
  let pages = 0;
  let next: string | undefined;
  do {
    const page = first(next);
    items.push(...page.items);
    pages++;
    next = page.next ?? undefined;
  } while (next);
  return { items, pages };
}

describe('the cache repository', () => {
  let cache: Cache;
  let dossierIds: DossierId[];
  const perDossier = 1_250;

  beforeAll(async () => {
    cache = openCache(path.join(tempDir(), 'cache.sqlite'));
    const put = await cache.dossiers.upsertMany(
      Array.from({ length: 5 }, (_, i) => ({
        veniceId: `V-${i}`,
        name: ['zeta', 'Alpha', 'beta', 'Épicerie', 'delta'][i]!,
        enterpriseNumber: `BE 0${400 + i}.123.456`,
      })),
    );
    dossierIds = put.ids;
    for (const id of dossierIds) {
      await cache.documents.putMany(Array.from({ length: perDossier }, (_, i) => doc(id, i)));
    }
  });

  afterAll(() => cache.close());

  it('lists dossiers by name with counts kept in step with the documents', () => {
    const { items } = all((after) => cache.dossiers.page({ after, limit: 2 }));
    expect(items.map((d) => d.name)).toEqual(['Alpha', 'beta', 'delta', 'Épicerie', 'zeta']);
    const sales = Array.from({ length: perDossier }, (_, i) => i).filter((i) => i % 3 !== 0).length;
    for (const d of items) {
      expect(d.counts).toMatchObject({ sales, purchases: perDossier - sales, toExport: perDossier, statements: 0 });
      expect(d.enterpriseNumber).toMatch(/^0\d{9}$/);
    }
  });

  it('pages a dossier’s documents newest first, every row exactly once', () => {
    const dossierId = dossierIds[1]!;
    const { items, pages } = all((after) => cache.documents.page({ dossierId, after, limit: 97 }));
    expect(pages).toBe(Math.ceil(perDossier / 97));
    expect(items).toHaveLength(perDossier);
    expect(new Set(items.map((d) => d.id)).size).toBe(perDossier);
    for (let i = 1; i < items.length; i++) {
      const a = items[i - 1]!;
      const b = items[i]!;
      expect(a.issueDate > b.issueDate || (a.issueDate === b.issueDate && a.id > b.id)).toBe(true);
    }
    expect(items.every((d) => d.dossierId === dossierId)).toBe(true);
  });

  it('filters by direction, period, status and text, still every matching row exactly once', async () => {
    const dossierId = dossierIds[2]!;
    const expected = Array.from({ length: perDossier }, (_, i) => doc(dossierId, i)).filter(
      (d) => d.direction === 'sales' && d.issueDate >= '2021-03-01' && d.issueDate <= '2023-06-30',
    );
    const { items } = all((after) => cache.documents.page({ dossierId, direction: 'sales', from: '2021-03-01', to: '2023-06-30', after, limit: 50 }));
    expect(items.map((d) => d.number).sort()).toEqual(expected.map((d) => d.number).sort());

    // Status: mark some exported, they leave the default "to export" count and match the filter.
    const first = items.slice(0, 30).map((d) => d.id);
    expect(await cache.documents.setStatus(first, 'exported')).toBe(30);
    const exported = all((after) => cache.documents.page({ dossierId, status: 'exported', after, limit: 7 })).items;
    expect(exported.map((d) => d.id).sort()).toEqual([...first].sort());
    expect(cache.dossiers.get(dossierId)).not.toBeNull();
    const row = all((after) => cache.dossiers.page({ after })).items.find((d) => d.id === dossierId)!;
    expect(row.counts.toExport).toBe(perDossier - 30);

    // Text: a counterparty name, within this dossier only.
    const leon = all((after) => cache.documents.page({ dossierId, text: 'leon', after, limit: 33 })).items;
    const expectedLeon = Array.from({ length: perDossier }, (_, i) => doc(dossierId, i)).filter(
      (d) => (d.direction === 'sales' ? d.buyer.name : d.seller.name) === 'Boulangerie Léon',
    );
    expect(leon).toHaveLength(expectedLeon.length);
    expect(leon.every((d) => d.dossierId === dossierId && d.counterpartyName === 'Boulangerie Léon')).toBe(true);
  });

  it('finds documents across dossiers by party name, number, amount and structured communication', () => {
    const target = doc(dossierIds[3]!, 777);
    const stored = cache.documents.bySource(dossierIds[3]!, 'billit-order', target.sourceId)!;

    // The fixture gives document i the same number in every dossier.
    const byNumber = cache.search(target.number).items;
    expect(byNumber.map((h) => [h.kind, h.id])).toContainEqual(['document', stored.id]);
    expect(byNumber.map((h) => h.subtitle)).toEqual(dossierIds.map(() => target.number));
    expect(cache.search({ q: target.number, dossierId: dossierIds[3] }).items.map((h) => h.id)).toEqual([stored.id]);

    const euros = `${Math.floor(target.totalInclCents / 100)},${String(target.totalInclCents % 100).padStart(2, '0')}`;
    const byAmount = cache.search(euros).items;
    expect(byAmount.map((h) => h.id)).toContain(stored.id);
    expect(byAmount.every((h) => h.amountCents === target.totalInclCents || h.kind !== 'document' || h.amountCents !== null)).toBe(true);

    const byCommunication = cache.search(target.paymentReference!).items;
    expect(byCommunication.map((h) => h.id)).toEqual([stored.id]);
    expect(cache.search(target.paymentReference!.replace(/\D/g, '')).items.map((h) => h.id)).toEqual([stored.id]);

    const byName = all((after) => cache.search({ q: 'broeck', after, limit: 200 })).items;
    const expectedNames = dossierIds.length * Array.from({ length: perDossier }, (_, i) => doc(0, i)).filter((d) =>
      [d.buyer.name, d.seller.name].includes('Van den Broeck NV'),
    ).length;
    expect(byName).toHaveLength(expectedNames);
    expect(new Set(byName.map((h) => h.id)).size).toBe(expectedNames);
    expect(byName.every((h) => h.title === 'Van den Broeck NV')).toBe(true);

    // Names ignore accents and case; several words must all match.
    expect(cache.search('EPICERIE').items.map((h) => h.kind)).toEqual(['dossier']);
    expect(cache.search('van broeck').items.length).toBeGreaterThan(0);
    expect(cache.search('van nobody').items).toEqual([]);
    // Within one dossier, and by kind.
    const scoped = cache.search({ q: 'broeck', dossierId: dossierIds[0], limit: 1000 }).items;
    expect(scoped.length).toBe(expectedNames / dossierIds.length);
    expect(scoped.every((h) => h.dossierId === dossierIds[0])).toBe(true);
    expect(cache.search({ q: 'alpha', kinds: ['dossier'] }).items.map((h) => h.title)).toEqual(['Alpha']);
  });

  it('stores statements with movements and links a payment to the invoice its structured communication names', async () => {
    const dossierId = dossierIds[4]!;
    const invoice = doc(dossierId, 5);
    const stored = cache.documents.bySource(dossierId, 'billit-order', invoice.sourceId)!;
    const st = statement(dossierId, 1, 2);
    st.movements!.push({
      seq: 3,
      amountCents: invoice.totalInclCents,
      counterpartyName: 'Garage Lambert',
      structuredReference: invoice.paymentReference!.replace(/\D/g, ''),
      communication: null,
    });
    st.coda = Buffer.from('0000001 CODA bytes');
    const put = await cache.statements.putMany([st, statement(dossierId, 2, 4), statement(dossierId, 3, 1)]);
    expect(put.inserted).toBe(3);

    expect(cache.documents.payments(stored.id).map((m) => m.amountCents)).toEqual([invoice.totalInclCents]);
    expect(cache.documents.page({ dossierId, text: invoice.number }).items[0]!.paid).toBe(true);
    const hits = cache.search(structured(dossierId * 1_000_000 + 5)).items;
    expect(hits.map((h) => h.kind).sort()).toEqual(['document', 'movement']);

    // Statements by account and period, every row once.
    const account = 'BE68539007547034';
    const byAccount = all((after) => cache.statements.page({ dossierId, accountIban: 'BE68 5390 0754 7034', after, limit: 1 })).items;
    expect(byAccount.map((s) => s.accountIban)).toEqual([account, account]);
    expect(cache.statements.page({ dossierId, from: '2024-03-01', to: '2024-03-31' }).items.map((s) => s.statementNumber)).toEqual(['002']);
    expect(cache.statements.accounts(dossierId).map((a) => [a.accountIban, a.statements])).toEqual([
      ['BE68539007547034', 2],
      ['BE71096123456769', 1],
    ]);
    expect(cache.statements.coda(put.ids[0]!)!.toString()).toBe('0000001 CODA bytes');
    expect(cache.dossiers.page().items.find((d) => d.id === dossierId)!.counts.statements).toBe(3);

    // Putting the same statements again changes nothing; changed movements replace the old ones.
    expect((await cache.statements.putMany([statement(dossierId, 2, 4)])).unchanged).toBe(1);
    await cache.statements.putMany([statement(dossierId, 2, 2)]);
    expect(cache.statements.movements(put.ids[1]!)).toHaveLength(2);
  });

  it('writes unchanged rows as no-ops and keeps the app’s own state when the source sends a row again', async () => {
    const dossierId = dossierIds[0]!;
    const again = await cache.documents.putMany([doc(dossierId, 1), doc(dossierId, 2)]);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 2 });

    await cache.documents.setStatus([again.ids[0]!], 'exported');
    const changed = await cache.documents.putMany([doc(dossierId, 1, { totalInclCents: 1, totalExclCents: 1, totalVatCents: 0 })]);
    expect(changed).toMatchObject({ updated: 1, ids: [again.ids[0]] });
    const record = cache.documents.get(again.ids[0]!)!;
    expect(record.totalInclCents).toBe(1);
    expect(record.status).toBe('exported');
    expect(cache.search({ q: '0,01', dossierId }).items.map((h) => h.id)).toContain(record.id);
  });

  it('keeps amounts exact: integer cents only', async () => {
    await expect(cache.documents.putMany([doc(dossierIds[0]!, 9999, { totalInclCents: 12.5 })])).rejects.toThrow(/integer number of cents/);
    expect(cache.documents.bySource(dossierIds[0]!, 'billit-order', String(100_000 + 9999))).toBeNull();
  });

  it('stores each original file once by SHA-256', async () => {
    const ubl = Buffer.from('<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"/>');
    const pdf = Buffer.from('%PDF-1.7 fake');
    const dossierId = dossierIds[0]!;
    const put = await cache.documents.putMany([
      doc(dossierId, 5000, { ubl, pdf }),
      doc(dossierId, 5001, { ubl, pdf }),
    ]);
    const a = cache.documents.get(put.ids[0]!)!;
    const b = cache.documents.get(put.ids[1]!)!;
    expect(a.ublSha256).toBe(sha256(ubl));
    expect(b.ublSha256).toBe(a.ublSha256);
    expect(cache.documents.ubl(a.id)!.equals(ubl)).toBe(true);
    expect(cache.documents.pdf(b.id)!.equals(pdf)).toBe(true);
    expect(await cache.blobs.put(ubl)).toBe(a.ublSha256);
    expect(cache.blobs.get(sha256(pdf))!.equals(pdf)).toBe(true);
    expect(await cache.blobs.put(Buffer.from('orphan'))).toBe(sha256(Buffer.from('orphan')));
    expect(await cache.blobs.gc()).toBe(1);
    expect(cache.blobs.has(a.ublSha256!)).toBe(true);
  });

  it('commits rows and the cursor that covers them together, or neither', async () => {
    const dossierId = dossierIds[0]!;
    await expect(
      cache.transaction(async () => {
        await cache.documents.putMany([doc(dossierId, 6000), doc(dossierId, 6001)]);
        await cache.cursors.set(`orders:${dossierId}`, '2024-06-01');
        throw new Error('network dropped before the page was complete');
      }),
    ).rejects.toThrow(/network dropped/);
    expect(cache.cursors.get(`orders:${dossierId}`)).toBeNull();
    expect(cache.documents.bySource(dossierId, 'billit-order', String(106_000))).toBeNull();

    await cache.transaction(async () => {
      await cache.documents.putMany([doc(dossierId, 6000), doc(dossierId, 6001)]);
      await cache.cursors.set(`orders:${dossierId}`, '2024-06-01');
    });
    expect(cache.cursors.get(`orders:${dossierId}`)).toBe('2024-06-01');
    expect(cache.documents.bySource(dossierId, 'billit-order', String(106_000))).not.toBeNull();
  });

  it('commits only after the writes started inside a transaction have finished, even when not awaited', async () => {
    const dossierId = dossierIds[0]!;
    let background: Promise<unknown> | undefined;
    await cache.transaction(() => {
      background = cache.documents.putMany(Array.from({ length: 3_000 }, (_, i) => doc(dossierId, 40_000 + i)));
    });
    // Committed as one: the batch is entirely there once the transaction resolved.
    expect(cache.documents.bySource(dossierId, 'billit-order', String(100_000 + 42_999))).not.toBeNull();
    await background;

    await expect(
      cache.transaction(() => {
        void cache.cursors.set('orphan', '1').catch(() => undefined);
        void cache.documents.putMany([doc(999_999, 50_000)]).catch(() => undefined);
      }),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(cache.cursors.get('orphan')).toBeNull();
  });

  it('lets the UI read while a large batch is written, showing none of it until it commits', async () => {
    const dossierId = dossierIds[0]!;
    const before = cache.documents.count({ dossierId });
    const seen: number[] = [];
    const timer = setInterval(() => seen.push(cache.documents.count({ dossierId })), 1);
    const rows = Array.from({ length: 8_000 }, (_, i) => doc(dossierId, 10_000 + i));
    await cache.documents.putMany(rows);
    clearInterval(timer);
    // The event loop ran during the batch (reads happened), and every read saw the state before it.
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((n) => n === before)).toBe(true);
    expect(cache.documents.count({ dossierId })).toBe(before + rows.length);
  });

  it('records runs, the last sync per dossier, and marks runs of dead processes interrupted', async () => {
    const dossierId = dossierIds[1]!;
    const run = await cache.runs.start({ trigger: 'manual', scope: { dossierIds: [dossierId] } });
    await cache.runs.dossierDone(run, dossierId, { status: 'failed', error: 'Billit answered 503', counts: { documents: 3 } });
    await cache.runs.finish(run, { status: 'partial', counts: { documents: 3 } });
    const item = cache.dossiers.page().items.find((d) => d.id === dossierId)!;
    expect(item.lastSync).toMatchObject({ status: 'failed', error: 'Billit answered 503' });
    expect(cache.runs.page().items[0]).toMatchObject({ id: run, status: 'partial', counts: { documents: 3 } });

    // A run whose process died stays 'running' until someone looks.
    const dead = await cache.runs.start({ trigger: 'schedule' });
    const raw = (await import('better-sqlite3')).default;
    const db = new raw(cache.file);
    db.prepare('UPDATE sync_runs SET pid = ? WHERE id = ?').run(2 ** 22 + 12345, dead);
    db.close();
    expect(await cache.runs.markInterrupted()).toEqual([dead]);
    expect(cache.runs.get(dead)!.status).toBe('interrupted');
  });

  it('keeps a link-state history per dossier', async () => {
    const id = dossierIds[3]!;
    await cache.dossiers.setLink(id, { state: 'not-linked', reason: 'exists in Billit', billitPartyId: asBillitPartyId(4242) });
    await cache.dossiers.setLink(id, { state: 'link-pending', reason: 'link requested' });
    await cache.dossiers.setLink(id, { state: 'linked', reason: 'accepted' });
    expect(cache.dossiers.linkHistory(id).map((e) => e.state)).toEqual(['unknown', 'not-linked', 'link-pending', 'linked']);
    expect(cache.dossiers.get(id)).toMatchObject({ linkState: 'linked', billitPartyId: 4242 });
    expect(cache.dossiers.byBillitPartyId(asBillitPartyId(4242))!.id).toBe(id);
    expect(cache.dossiers.byEnterpriseNumber('0403.123.456')[0]!.id).toBe(id);
  });

  it('keeps the audit log, never with a secret in it', async () => {
    const secret = 'sk_live_audit_test_4f1d9a';
    redact(secret);
    await cache.audit.add({ action: 'account.saved', subject: 'billit:demo', details: { note: `key ${secret}` } });
    expect(JSON.stringify(cache.audit.page().items)).not.toContain(secret);

    await cache.transaction(() => undefined); // flush
    const bytes = Buffer.concat(
      ['', '-wal'].filter((s) => fs.existsSync(cache.file + s)).map((s) => fs.readFileSync(cache.file + s)),
    );
    expect(bytes.includes(Buffer.from(secret))).toBe(false);
  });

  it('passes its integrity check', async () => {
    const report = await cache.integrityCheck();
    expect(report).toMatchObject({ ok: true, problems: [] });
    expect(report.sizeBytes).toBeGreaterThan(0);
  });
});
