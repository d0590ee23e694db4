/**
 * What the invoice and statement views read: an invoice's parties, lines, VAT per rate and totals from
 * its UBL, the bank movements that paid it, the statement's movements pointing back at it, its PDF, and
 * search hits with what a result row shows.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import type { DocumentDetail, DocumentRow, DossierRow, Page, SearchHit, StatementDetail } from '../../../shared/api';
import { tempDir } from '../../support/repo';
import { call, syncNow } from '../sync/support';
import { demoOffice, type DemoOffice } from '../../../electron/demo/office';

let core: Core<DemoOffice>;
let dir: { dir: string; cleanup: () => void };
let paid: DocumentDetail;

beforeAll(async () => {
  dir = tempDir('bvl-invoice-');
  core = await createCore({
    dataDir: path.join(dir.dir, 'data'),
    version: '0.0.0-test',
    host: 'browser',
    demo: demoOffice({ seed: 3, dossiers: 6, invoicesPerDossier: 12 }),
    timing: { retries: 0, timeoutMs: 5_000 },
    syncOnStartup: false,
  });
  await call(core, 'dossiers.refresh');
  expect((await syncNow(core)).status).toBe('done');
  for (const d of (await call<Page<DossierRow>>(core, 'dossiers.list', { status: 'linked' })).items) {
    for (const row of (await call<Page<DocumentRow>>(core, 'documents.list', { dossierId: d.id, direction: 'sales' })).items) {
      if (!row.paid) continue;
      paid = await call<DocumentDetail>(core, 'documents.get', { id: row.id });
      return;
    }
  }
});
afterAll(async () => {
  await core?.close();
  dir?.cleanup();
});

describe('the invoice view', () => {
  it('reads like an invoice: parties, lines, VAT per rate, totals that add up', () => {
    expect(paid, 'a paid sales invoice in the demo office').toBeDefined();
    const inv = paid.invoice!;
    expect(inv.seller.name).toBeTruthy();
    expect(inv.buyer.name).toContain(paid.counterparty);
    expect(inv.seller.address.length).toBeGreaterThan(0);
    expect(inv.seller.vatNumber).toMatch(/^BE \d{4}\.\d{3}\.\d{3}$/);
    expect(paid.lines.length).toBeGreaterThan(0);
    expect(paid.lines.reduce((n, l) => n + l.lineTotal, 0)).toBe(inv.totals.lines);
    expect(inv.vatBreakdown.reduce((n, v) => n + v.taxable, 0)).toBe(inv.totals.excl);
    expect(inv.vatBreakdown.reduce((n, v) => n + v.tax, 0)).toBe(inv.totals.vat);
    expect(inv.totals.excl + inv.totals.vat).toBe(inv.totals.incl);
    expect(inv.totals.incl).toBe(paid.totalIncl);
    expect(inv.totals.payable).toBe(inv.totals.incl - inv.totals.prepaid + inv.totals.rounding);
    expect(inv.paymentAccount?.iban).toMatch(/^[A-Z]{2}\d{2}( [A-Z0-9]{4})+( [A-Z0-9]{1,4})?$/);
    expect(inv.structured).toBe(true);
    expect(paid.paymentReference).toMatch(/^\d{12}$/);
  });

  it('names the movement that paid it, and that statement points back at the invoice', async () => {
    expect(paid.payments.length).toBeGreaterThan(0);
    const payment = paid.payments[0]!;
    expect(payment.amount).toBeGreaterThan(0);
    const statement = await call<StatementDetail>(core, 'statements.get', { id: payment.statementId });
    expect(payment.statement).toContain(statement.sequence);
    const movement = statement.movementsList.find((m) => m.sequence === payment.sequence)!;
    expect(movement).toMatchObject({ paysDocumentId: paid.id, paysDocumentNumber: paid.number, structured: true });
    expect(movement.communication).toBe(paid.paymentReference);
    // Unmatched movements are there too, marked as such.
    const all = await call<Page<{ id: string }>>(core, 'statements.list', { dossierId: paid.dossierId });
    let unmatched = 0;
    for (const s of all.items) unmatched += (await call<StatementDetail>(core, 'statements.get', { id: s.id })).movementsList.filter((m) => m.paysDocumentId === null).length;
    expect(unmatched).toBeGreaterThan(0);
  });

  it('hands out its PDF for the viewer', async () => {
    expect(paid.hasPdf).toBe(true);
    const pdf = await call<{ name: string; base64: string }>(core, 'documents.pdf', { id: paid.id });
    expect(pdf.name).toBe(`${paid.number}.pdf`);
    expect(Buffer.from(pdf.base64, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });

  it('finds it by number, amount in Belgian notation and structured communication, with what a result shows', async () => {
    const amount = (paid.totalIncl / 100).toFixed(2).replace('.', ',');
    for (const text of [paid.number, amount, `+++${paid.paymentReference!.slice(0, 3)}/${paid.paymentReference!.slice(3, 7)}/${paid.paymentReference!.slice(7)}+++`]) {
      const { hits } = await call<{ hits: SearchHit[] }>(core, 'search.all', { text });
      const hit = hits.find((h) => h.kind === 'document' && h.id === paid.id);
      expect(hit, text).toMatchObject({ dossierId: paid.dossierId, direction: 'sales', amount: paid.totalIncl, currency: 'EUR', date: paid.issueDate });
      expect(hit!.dossierName).toBeTruthy();
    }
  });
});
