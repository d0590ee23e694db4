/**
 * The official checks through the core, as the UI uses them: documents synced from the demo office are
 * checked in the background (the UI hears `documents.checked`), `documents.get` shows the results with the
 * rules release; a document not checked yet says "checking" and goes first; when the rule files are swapped
 * for another release every document is checked again and the new release is shown.
 *
 * Venice's import rules: a second document with an already delivered number is held back from the export
 * folders and shown with VENICE-DUPLICATE-ID until the accountant releases it (then it is exported) or keeps
 * it back.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core, type CoreConfig } from '../../../electron/core';
import { addOrder } from '../../../electron/demo/billit/state';
import { startDemoOffice, type DemoOffice } from '../../../electron/demo/office';
import { FEED_NAME } from '../../../electron/core/sync/reads';
import { renderUbl } from '../../../electron/demo/seed/documents';
import type { ChecksStatus, DocumentDetail, DocumentRow, DossierRow, Page, ReviewRow } from '../../../shared/api';
import { repoRoot, tempDir } from '../../support/repo';
import { call, folderFiles, syncNow, testClock } from '../sync/support';

const dir = tempDir('bvl-checks-');
const rulesDir = path.join(dir.dir, 'rules');
const exportRoot = path.join(dir.dir, 'exports');
const clock = testClock();
let core: Core;
const checked = new Set<string>();

let office: DemoOffice;

function config(): CoreConfig {
  return {
    dataDir: path.join(dir.dir, 'data'),
    version: '0.0.0-test',
    host: 'browser',
    // One demo office for the whole file: it outlives the cores (a core that started its own would stop it).
    demo: { office },
    exportRoot,
    clock,
    timing: { baseDelayMs: 1, maxDelayMs: 4, timeoutMs: 5_000 },
    syncOnStartup: false,
    checks: { rulesDir },
  };
}

async function start(): Promise<Core> {
  const c = await createCore(config());
  c.subscribe((event, payload) => {
    if (event === 'documents.checked') for (const id of (payload as { ids: string[] }).ids) checked.add(id);
  });
  return c;
}

async function documents(): Promise<DocumentRow[]> {
  const dossiers = await call<Page<DossierRow>>(core, 'dossiers.list', {});
  const out: DocumentRow[] = [];
  for (const d of dossiers.items.filter((x) => x.billitStatus === 'linked')) {
    out.push(...(await call<Page<DocumentRow>>(core, 'documents.list', { dossierId: d.id, limit: 500 })).items);
  }
  return out;
}

beforeAll(async () => {
  fs.cpSync(path.join(repoRoot, 'resources/rules'), rulesDir, { recursive: true });
  office = await startDemoOffice({ seed: 23, dossiers: 6, invoicesPerDossier: 6, feeds: [FEED_NAME] });
  core = await start();
  await call(core, 'dossiers.refresh');
  await syncNow(core);
});

afterAll(async () => {
  await core?.close();
  await office?.close();
  dir.cleanup();
});

describe('official checks in the background', () => {
  it('checks every synced document, tells the UI, and shows the results with the rules release', async () => {
    await core.checks.idle();
    const rows = await documents();
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.every((r) => checked.has(r.id))).toBe(true);
    const status = await call<ChecksStatus>(core, 'checks.status');
    expect(status).toEqual({ release: 'Peppol BIS 3.0.19 (May 2025) + EN 16931 1.3.14.1', pending: 0, running: true });
    const detail = await call<DocumentDetail>(core, 'documents.get', { id: rows[0]!.id });
    expect(detail.checks).toMatchObject({ state: 'done', release: status.release });
    expect(detail.checks.checkedAt).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    // The demo writes valid Peppol BIS 3.0: no error from the rules, the schema or Venice.
    expect(detail.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(detail.lines.length).toBeGreaterThan(0);
  }, 180_000);

  it('reads a large stored invoice for the document view on a check worker, with the same lines and parties', async () => {
    const { readInvoice } = await import('../../../electron/core/checks/invoice-reading');
    const base = fs.readFileSync(path.join(repoRoot, '../shared/fixtures/ubl/peppol-bis3/base-example.xml'), 'utf8');
    const start = base.indexOf('<cac:InvoiceLine>');
    const end = base.lastIndexOf('</cac:InvoiceLine>') + '</cac:InvoiceLine>'.length;
    const big = new TextEncoder().encode(base.slice(0, start) + base.slice(start, end).repeat(400) + base.slice(end));
    expect(big.byteLength).toBeGreaterThan(512 * 1024);
    const reading = await core.checks.readInvoice(big);
    expect(reading.lines).toHaveLength(800);
    expect(reading.invoice?.seller.name).toBeTruthy();
    expect(reading).toEqual(readInvoice(big));
  }, 60_000);

  it('rule files swapped for another release: documents show "checking", are checked again, and show the new release', async () => {
    const before = await documents();
    await core.close();
    // A newer release folder beside the old one: the app takes the newest.
    const next = path.join(rulesDir, 'peppol-next');
    fs.cpSync(path.join(rulesDir, 'peppol-3.0.19'), next, { recursive: true });
    const manifest = JSON.parse(fs.readFileSync(path.join(next, 'release.json'), 'utf8')) as { name: string; published: string };
    fs.writeFileSync(path.join(next, 'release.json'), JSON.stringify({ ...manifest, name: 'Peppol BIS 3.0 next (test)', published: '2099-01-01' }));
    checked.clear();
    core = await start();
    const first = await call<DocumentDetail>(core, 'documents.get', { id: before[0]!.id });
    expect(first.checks).toEqual({ state: 'checking', release: 'Peppol BIS 3.0 next (test)', checkedAt: null });
    await core.checks.idle();
    expect(before.every((r) => checked.has(r.id))).toBe(true);
    const again = await call<DocumentDetail>(core, 'documents.get', { id: before[0]!.id });
    expect(again.checks).toMatchObject({ state: 'done', release: 'Peppol BIS 3.0 next (test)' });
    expect((await call<ChecksStatus>(core, 'checks.status')).release).toBe('Peppol BIS 3.0 next (test)');
  }, 180_000);

  it('a document that breaks a rule shows the rule id, its English text, where, and the rule set', async () => {
    const world = office.world;
    const dossier = world.dossiers.find((d) => d.billit === 'linked' && d.invoices().some((i) => i.direction === 'sales'))!;
    const invoice = dossier.invoices().find((i) => i.direction === 'sales')!;
    const companyId = office.billit.population.companyOf.get(dossier.index)!;
    const original = [...office.billit.state.orders.values()].find((o) => o.companyId === companyId && o.orderNumber === invoice.number)!;
    // The same invoice with a payable amount that does not add up (BR-CO-16), under a new number.
    const text = new TextDecoder().decode(renderUbl(dossier, invoice));
    const broken = text
      .replace(/(<cbc:PayableAmount currencyID="EUR">)([\d.]+)/, (_m, tag: string, v: string) => `${tag}${(Number(v) + 1).toFixed(2)}`)
      .replace(`<cbc:ID>${invoice.number}</cbc:ID>`, `<cbc:ID>${invoice.number}-B</cbc:ID>`);
    addOrder(office.billit.state, companyId, {
      direction: 'Income',
      orderNumber: `${invoice.number}-B`,
      orderDate: new Date(`${invoice.issueDate}T10:00:00Z`),
      counterPartyId: original.counterPartyId,
      lines: original.lines,
      ubl: { fileName: `${invoice.number}-B.xml`, bytes: new TextEncoder().encode(broken) },
      created: new Date(),
    });
    await syncNow(core);
    const row = (await documents()).find((r) => r.number === `${invoice.number}-B`)!;
    expect(row).toBeDefined();
    await core.checks.idle();
    const detail = await call<DocumentDetail>(core, 'documents.get', { id: row.id });
    const rule = detail.findings.find((f) => f.code === 'BR-CO-16');
    expect(rule).toMatchObject({ severity: 'error', source: 'cen', location: '/Invoice[1]/cac:LegalMonetaryTotal[1]' });
    expect(rule!.message).toMatch(/Amount due for payment/);
    expect(rule!.line).toBeGreaterThan(1);
    // Once the official rules have spoken, the pre-check's own version of the same finding is not repeated.
    expect(detail.findings.some((f) => f.code === 'totals-payable')).toBe(false);
    expect(row.errors).toBeGreaterThan(0);
  }, 180_000);
});

describe("Venice's import rules before export", () => {
  it('holds back a second document with a delivered number, shows why, and exports it once released', async () => {
    const world = office.world;
    const dossier = world.dossiers.find((d) => d.billit === 'linked' && d.invoices().some((i) => i.direction === 'sales'))!;
    const invoice = dossier.invoices().find((i) => i.direction === 'sales')!;
    const companyId = office.billit.population.companyOf.get(dossier.index)!;
    const original = [...office.billit.state.orders.values()].find((o) => o.companyId === companyId && o.orderNumber === invoice.number)!;
    const delivered = (await documents()).find((r) => r.number === invoice.number)!;
    expect(delivered.status).toBe('exported');
    const filesBefore = folderFiles(exportRoot).files;

    // Billit hands over the same invoice number again (another order).
    addOrder(office.billit.state, companyId, {
      direction: 'Income',
      orderNumber: invoice.number,
      orderDate: new Date(`${invoice.issueDate}T11:00:00Z`),
      counterPartyId: original.counterPartyId,
      lines: original.lines,
      ubl: { fileName: `${invoice.number}-again.xml`, bytes: renderUbl(dossier, invoice) },
      created: new Date(),
    });
    await syncNow(core);
    const again = (await documents()).filter((r) => r.number === invoice.number && r.id !== delivered.id);
    expect(again).toHaveLength(1);
    expect(again[0]!.status).toBe('held');
    expect(folderFiles(exportRoot).files).toEqual(filesBefore);

    const detail = await call<DocumentDetail>(core, 'documents.get', { id: again[0]!.id });
    expect(detail.held).toBe(true);
    expect(detail.findings.find((f) => f.code === 'VENICE-DUPLICATE-ID')).toMatchObject({ severity: 'error', source: 'venice' });
    // The first one, delivered before, is not a duplicate of the second.
    const first = await call<DocumentDetail>(core, 'documents.get', { id: delivered.id });
    expect(first.findings.some((f) => f.code === 'VENICE-DUPLICATE-ID')).toBe(false);

    // A later sync leaves it held; the accountant releases it: exported at once.
    await syncNow(core);
    expect((await call<DocumentDetail>(core, 'documents.get', { id: again[0]!.id })).status).toBe('held');
    expect(await call(core, 'documents.hold', { ids: [again[0]!.id], hold: false })).toEqual({ changed: [again[0]!.id], exported: [again[0]!.id] });
    // (The same bytes as the first one: the export folders recognise the file they already hold.)
    const released = await call<DocumentDetail>(core, 'documents.get', { id: again[0]!.id });
    expect(released).toMatchObject({ status: 'exported', held: false });

    // Holding back an exported document changes nothing; an unknown one is refused.
    expect(await call(core, 'documents.hold', { ids: [delivered.id], hold: true })).toEqual({ changed: [], exported: [] });
    const unknown = await core.call('documents.hold', { ids: ['999999'], hold: true });
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
  }, 180_000);

  it('a document the accountant holds back stays held when Billit sends it again', async () => {
    const world = office.world;
    const dossier = world.dossiers.find((d) => d.billit === 'linked' && d.invoices().filter((i) => i.direction === 'sales').length > 1)!;
    const invoice = dossier.invoices().filter((i) => i.direction === 'sales')[1]!;
    const companyId = office.billit.population.companyOf.get(dossier.index)!;
    const original = [...office.billit.state.orders.values()].find((o) => o.companyId === companyId && o.orderNumber === invoice.number)!;
    const order = addOrder(office.billit.state, companyId, {
      direction: 'Income',
      orderNumber: invoice.number,
      orderDate: new Date(`${invoice.issueDate}T12:00:00Z`),
      counterPartyId: original.counterPartyId,
      lines: original.lines,
      ubl: { fileName: `${invoice.number}-copy.xml`, bytes: renderUbl(dossier, invoice) },
      created: new Date(),
    });
    await syncNow(core);
    const copy = (await documents()).find((r) => r.number === invoice.number && r.status === 'held')!;
    expect(copy).toBeDefined();
    expect(await call(core, 'documents.hold', { ids: [copy.id], hold: true })).toEqual({ changed: [copy.id], exported: [] });
    const filesBefore = folderFiles(exportRoot).files;
    // Billit changes the order: the sync fetches it again and would export it; the accountant's word stands.
    order.lastModified = new Date(Date.now() + 60_000);
    await syncNow(core);
    expect((await call<DocumentDetail>(core, 'documents.get', { id: copy.id })).status).toBe('held');
    expect(folderFiles(exportRoot).files).toEqual(filesBefore);
  }, 180_000);

  it('"To review" lists every dossier\'s documents that Venice must not see as they are, with whose and why', async () => {
    const review = await call<Page<ReviewRow>>(core, 'documents.review', {});
    const held = review.items.filter((r) => r.reason === 'held');
    expect(held.length).toBeGreaterThan(0);
    for (const row of review.items) {
      // Each is listed for a reason the document itself shows.
      const detail = await call<DocumentDetail>(core, 'documents.get', { id: row.id });
      if (row.reason === 'errors') expect(row.errors).toBeGreaterThan(0);
      else expect(detail.status).toBe(row.reason);
      const dossier = await call<DossierRow>(core, 'dossiers.get', { id: row.dossierId });
      expect(row.dossierName).toBe(dossier.name);
    }
    expect(review.total).toBe(review.items.length);
    // Newest first, across dossiers.
    const dates = review.items.map((r) => r.issueDate);
    expect(dates).toEqual([...dates].sort().reverse());
    // Released, a held document leaves the list; the others stay.
    const released = held[0]!;
    await call(core, 'documents.hold', { ids: [released.id], hold: false });
    const after = await call<Page<ReviewRow>>(core, 'documents.review', {});
    expect(after.items.map((r) => r.id)).toEqual(review.items.map((r) => r.id).filter((id) => id !== released.id));
  }, 180_000);
});
