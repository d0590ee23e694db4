/**
 * The whole job at the accountant's desk, through the UI in Chromium, against the real core and a fresh
 * demo office: first run → demo → add from Venice (an invalid, then a valid e-mail) → link confirmation →
 * pending → accepted (seen without a sync) → send login data → sync with progress → history → an invoice
 * (lines, VAT, its PDF drawn) → its payment → the statement that paid it → back → export folder preview →
 * files on disk → search → offline. Every screen is checked with axe and photographed at 1280×800 and
 * 1440×900 into test-results/screens/.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRow, DossierRow, ExportHistoryEntry, Page as ListPage } from '../../shared/api';
import { chromiumMissing } from '../support/chromium';
import { buttonsOutsideViewport, call, canvasInk, expectAccessible, openDesk, shoot, type Desk } from './support';
import { demoOffice } from '../../electron/demo/office';

const missing = chromiumMissing();
const date = /\b\d{2}\/\d{2}\/\d{4}\b/;

describe.skipIf(missing)('the whole job at the desk', () => {
  let desk: Desk;
  let absent: { veniceId: string; name: string };
  let unlinked: { veniceId: string; name: string; enterpriseNumber: string };
  let invoice: DocumentRow;
  let invoiceDossier: DossierRow;

  beforeAll(async () => {
    desk = await openDesk({ firstRun: true, config: { demo: demoOffice({ seed: 7, dossiers: 12, invoicesPerDossier: 6 }), linkPollMs: 300 } });
    const world = desk.app.core.demoOffice!.world;
    const a = world.dossiers.find((d) => d.billit === 'absent' && !d.header.email && d.header.enterpriseNumber)!;
    const u = world.dossiers.find((d) => d.billit === 'unlinked' && d.header.enterpriseNumber)!;
    absent = { veniceId: a.veniceId, name: a.name };
    unlinked = { veniceId: u.veniceId, name: u.name, enterpriseNumber: u.header.enterpriseNumber! };
    // The entrepreneur answers when this test says so.
    const company = [...desk.app.core.demoOffice!.billit.state.companies.values()].find((c) => c.enterpriseNumber === unlinked.enterpriseNumber)!;
    company.entrepreneur = { decision: 'manual', afterMs: 0 };
  });
  afterAll(async () => {
    expect(desk?.errors ?? [], 'console errors').toEqual([]);
    await desk?.close();
  });

  const page = () => desk.page;
  const heading = () => page().getByRole('heading', { level: 1 });
  const nav = (name: string) => page().getByRole('navigation').getByRole('button', { name, exact: true });

  it('first run: says the keychain is unavailable plainly and offers the demo office', async () => {
    await expect.poll(() => heading().textContent()).toBe('Welcome to Billit Venice Link');
    const info = await call<{ keychain: { available: boolean } }>(desk.app, 'app.info');
    const connect = page().getByRole('button', { name: 'Connect' }).first();
    if (info.keychain.available) {
      await connect.click();
      expect(await page().getByTestId('billit-form').isVisible()).toBe(true);
    } else {
      await expect.poll(() => page().getByTestId('keychain-unavailable').textContent()).toContain('no account can be connected');
      expect(await connect.isDisabled()).toBe(true);
    }
    await expectAccessible(page(), 'first run');
    await shoot(page(), 'en-01-first-run');
    await page().getByTestId('explore-demo').click();
    await expect.poll(() => page().getByText(/^12 dossiers/).count(), { timeout: 20_000 }).toBe(1);
    expect(await page().getByTestId('demo-banner').isVisible()).toBe(true);
  });

  it('lists the dossiers with their Billit state in words', async () => {
    await expectAccessible(page(), 'dossiers');
    await shoot(page(), 'en-03-dossiers');
    const linked = desk.app.core.demoOffice!.world.dossiers.filter((d) => d.billit === 'linked').length;
    expect(await page().locator('[data-status="linked"]').count()).toBe(linked);
  });

  it('add from Venice: an invalid e-mail says invalid, a missing one says missing, a valid one lets it run', async () => {
    const add = page().getByTestId('add-or-resync');
    await page().getByLabel(`Select ${absent.name}`).check();
    await expect.poll(() => page().getByTestId('email-note-missing').count()).toBe(1);
    expect(await add.isDisabled()).toBe(true);
    const email = page().getByLabel(`E-mail address for ${absent.name}`);
    await email.fill('boekhouding@');
    await expect.poll(() => page().getByTestId('email-note-invalid').textContent()).toBe('Invalid e-mail address');
    expect(await page().getByTestId('email-hint').textContent()).toContain('is invalid');
    expect(await add.isDisabled()).toBe(true);
    await shoot(page(), 'en-04-add-invalid-email');
    await email.fill('boekhouding@example.be');
    await page().getByLabel(`Select ${unlinked.name}`).check();
    expect(await add.isDisabled()).toBe(false);
    await add.click();
    const results = page().getByTestId('add-results');
    await expect.poll(() => results.getByText('2 of 2 done').count(), { timeout: 20_000 }).toBe(1);
    const created = results.locator(`[data-dossier="${absent.veniceId}"]`);
    expect(await created.textContent()).toContain('Created in Billit');
    expect(await created.textContent()).toMatch(/Customers and suppliers: \d+ new/);
    expect(await results.locator(`[data-dossier="${unlinked.veniceId}"]`).textContent()).toContain('confirm the link');
    await expectAccessible(page(), 'add results');
    await shoot(page(), 'en-05-add-results');
  });

  it('keeps every button of the dossier list inside the window at 1280×800 after Add, and after a resync', async () => {
    for (const [width, height] of [
      [1280, 800],
      [1440, 900],
    ] as const) {
      await page().setViewportSize({ width, height });
      expect(await buttonsOutsideViewport(page()), `${width}×${height} after Add`).toEqual([]);
    }
    await page().setViewportSize({ width: 1280, height: 800 });
    const linked = desk.app.core.demoOffice!.world.dossiers.find((d) => d.billit === 'linked')!;
    await page().getByLabel(`Select ${linked.name}`).check();
    await page().getByTestId('add-or-resync').click();
    await expect.poll(() => page().getByTestId('add-results').locator(`[data-dossier="${linked.veniceId}"]`).textContent(), { timeout: 20_000 }).toContain('Resynced');
    expect(await buttonsOutsideViewport(page()), 'after a resync').toEqual([]);
    // The outcome stays when leaving and coming back, until dismissed.
    await nav('Settings').click();
    await nav('Dossiers').click();
    expect(await page().getByTestId('add-result').count()).toBe(3);
  });

  it('link confirmation: "Connect" says what will happen; Esc closes; confirming leaves it pending', async () => {
    const row = page().getByTestId('add-results').locator(`[data-dossier="${unlinked.veniceId}"]`);
    await row.getByRole('button', { name: 'Connect' }).click();
    const dialog = page().getByTestId('connect-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    expect(await dialog.textContent()).toContain('Billit will ask the entrepreneur to accept');
    await expectAccessible(page(), 'connect dialog');
    await shoot(page(), 'en-06-connect-dialog');
    await page().keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    await row.getByRole('button', { name: 'Connect' }).click();
    await page().getByRole('button', { name: 'Send the link request' }).click();
    await expect.poll(() => page().locator('[data-code="link.requested"]').count()).toBe(1);
    await expect.poll(() => page().locator(`[data-status="link-pending"]`).count()).toBeGreaterThan(0);
  });

  it('pending since … with a refresh, then accepted by the entrepreneur without a sync, with a notice', async () => {
    await page().getByRole('button', { name: unlinked.name, exact: true }).click();
    await expect.poll(() => heading().textContent()).toContain(unlinked.name);
    const state = page().getByTestId('link-state');
    expect(await state.textContent()).toMatch(new RegExp(`Link request pending since ${date.source} \\d{2}:\\d{2}`));
    expect(await page().getByTestId('check-link').isVisible()).toBe(true);
    await expectAccessible(page(), 'dossier pending');
    await shoot(page(), 'en-07-pending');

    const company = [...desk.app.core.demoOffice!.billit.state.companies.values()].find((c) => c.enterpriseNumber === unlinked.enterpriseNumber)!;
    const res = await fetch(`${desk.app.core.demoOffice!.billitUrl}/portal-modelled/demo/link-requests/${company.linkRequest!.id}/accept`, { method: 'POST' });
    expect(res.status).toBe(200);
    await expect.poll(() => page().locator('[data-code="link.accepted"]').textContent(), { timeout: 10_000 }).toContain(`${unlinked.name} accepted the link`);
    await expect.poll(() => heading().locator('[data-status]').getAttribute('data-status')).toBe('linked');
    await shoot(page(), 'en-08-accepted');
  });

  it('send login data: to whom and when, and the dossier shows the invitation', async () => {
    await nav('Dossiers').click();
    const row = page().getByTestId('add-results').locator(`[data-dossier="${absent.veniceId}"]`);
    await row.getByRole('button', { name: 'Send login data' }).click();
    const dialog = page().getByTestId('login-dialog');
    expect(await dialog.textContent()).toContain('Billit will e-mail boekhouding@example.be an invitation');
    await expectAccessible(page(), 'login dialog');
    await page().getByRole('button', { name: 'Send the login data' }).click();
    await expect.poll(() => page().getByTestId('login-sent').textContent()).toMatch(new RegExp(`Login data sent to boekhouding@example.be on ${date.source} \\d{2}:\\d{2}`));
    await shoot(page(), 'en-09-login-sent');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page().getByText(/^invitation sent \d{2}\/\d{2}\/\d{4}$/).count()).toBe(1);
    await page().getByRole('button', { name: 'Dismiss all' }).click();
  });

  it('syncs with progress from the first second, then lists the run in the history with its dossiers', async () => {
    const office = desk.app.core.demoOffice!;
    office.billit.server.setFaults([{ kind: 'latency', latencyMs: 30, route: 'GET /v1/orders/{orderID}' }]);
    await nav('Synchronisation').click();
    await page().getByTestId('sync-now').click();
    await expect.poll(() => page().getByTestId('sync-step').count(), { timeout: 2_000 }).toBe(1);
    expect(await page().getByRole('progressbar').count()).toBeGreaterThan(0);
    await shoot(page(), 'en-10-sync-running');
    await expect.poll(() => page().getByTestId('sync-history').locator('tbody tr').count(), { timeout: 60_000 }).toBe(1);
    office.billit.server.clearFaults();
    await expect.poll(() => page().getByTestId('sync-last').textContent(), { timeout: 30_000 }).toMatch(/done/);
    await page().getByTestId('sync-history').getByRole('button', { name: 'Details' }).click();
    const detail = page().getByTestId('run-detail');
    await expect.poll(() => detail.locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await detail.textContent()).toContain(unlinked.name);
    await expectAccessible(page(), 'sync history');
    await shoot(page(), 'en-11-sync-history');
  });

  it('opens an invoice that reads like one: parties, lines, VAT breakdown, totals, the PDF drawn beside it', async () => {
    const linked = (await call<ListPage<DossierRow>>(desk.app, 'dossiers.list', { status: 'linked' })).items;
    for (const d of linked) {
      const docs = await call<ListPage<DocumentRow>>(desk.app, 'documents.list', { dossierId: d.id, direction: 'sales' });
      const paid = docs.items.find((x) => x.paid && x.hasPdf);
      if (paid) {
        invoice = paid;
        invoiceDossier = d;
        break;
      }
    }
    expect(invoice, 'a paid sales invoice with a PDF').toBeDefined();
    await nav('Dossiers').click();
    await page().getByRole('button', { name: invoiceDossier.name, exact: true }).click();
    await page().getByLabel('Search number, party, amount').fill(invoice.number);
    await expect.poll(() => page().getByTestId('document-list').locator('.vtable-row').count()).toBe(1);
    await page().getByTestId('document-list').locator('.vtable-row').first().click();
    await expect.poll(() => page().getByTestId('detail-panel').textContent()).toContain(invoice.number);
    await expectAccessible(page(), 'dossier with detail panel');
    await shoot(page(), 'en-12-dossier-panel');
    // Esc closes the panel; a tab switch never keeps it.
    await page().getByTestId('detail-panel').getByRole('button', { name: 'Open the invoice' }).focus();
    await page().keyboard.press('Escape');
    await expect.poll(() => page().getByTestId('detail-panel').count()).toBe(0);
    await page().getByTestId('document-list').locator('.vtable-row').first().click();
    await page().getByRole('tab', { name: /^Purchases/ }).click();
    expect(await page().getByTestId('detail-panel').count()).toBe(0);
    await page().getByRole('tab', { name: /^Sales/ }).click();
    await page().getByLabel('Search number, party, amount').fill(invoice.number);
    await expect.poll(() => page().getByTestId('document-list').locator('.vtable-row').count()).toBe(1);
    // Keyboard: the list takes the focus, arrows choose, Enter opens.
    await page().getByTestId('document-list').focus();
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('Enter');

    await expect.poll(() => heading().textContent()).toContain(invoice.number);
    expect(await page().getByTestId('invoice-lines').locator('tbody tr').count()).toBeGreaterThan(0);
    expect(await page().getByTestId('vat-breakdown').locator('tbody tr').count()).toBeGreaterThan(0);
    const totals = (await page().getByTestId('totals').textContent())!;
    expect(totals).toMatch(/Total incl\. VAT[\d.]+,\d{2}\u00a0€/);
    expect(await page().getByTestId('payment-reference').textContent()).toMatch(/^\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+$/);
    await expect.poll(() => page().getByTestId('pdf-view').getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
    expect(await canvasInk(page(), '[data-testid="pdf-view"] canvas')).toBeGreaterThan(0.005);
    await expectAccessible(page(), 'invoice');
    await shoot(page(), 'en-13-invoice');
  });

  it('goes from the invoice to the movement that paid it, the statement, and back', async () => {
    await page().getByTestId('payment-link').first().click();
    await expect.poll(() => heading().textContent()).toMatch(/^Statement /);
    const facts = (await page().getByTestId('statement-facts').textContent())!;
    expect(facts).toMatch(/[A-Z]{2}\d{2}( [A-Z0-9]{4}){3}/);
    expect(facts).toMatch(/Old balance-?[\d.]+,\d{2}\u00a0€/);
    await expect.poll(() => page().getByTestId('paid-invoice').filter({ hasText: invoice.number }).count()).toBe(1);
    await expectAccessible(page(), 'statement');
    await shoot(page(), 'en-14-statement');
    await page().getByRole('button', { name: '← Back' }).click();
    await expect.poll(() => heading().textContent()).toContain(invoice.number);
  });

  it('previews the export folder and the files are on disk', async () => {
    await nav('Exports').click();
    await page().getByLabel('Dossier', { exact: true }).selectOption(invoiceDossier.id);
    const exportRoot = path.join(desk.app.dataDir, 'Exports');
    await expect.poll(() => page().getByTestId('export-preview').locator('code').first().textContent()).toContain(exportRoot);
    await expect.poll(() => page().getByTestId('export-history').textContent()).toContain(invoice.number);
    const history = await call<{ items: ExportHistoryEntry[] }>(desk.app, 'exports.history', { dossierId: invoiceDossier.id });
    const entry = history.items.find((e) => e.documentId === invoice.id && e.kind === 'sales')!;
    const file = path.join(entry.root!, ...entry.relativePath!.split('/'));
    expect(fs.readFileSync(file, 'utf8')).toContain(invoice.number);
    await expectAccessible(page(), 'exports');
    await shoot(page(), 'en-15-exports');
  });

  it('searches everywhere with Ctrl+K, grouped, and Enter opens the result', async () => {
    await page().keyboard.press('Control+k');
    const dialog = page().getByTestId('search-dialog');
    await expect.poll(() => dialog.isVisible()).toBe(true);
    const amount = (invoice.totalIncl / 100).toFixed(2).replace('.', ',');
    await page().keyboard.type(amount);
    await expect.poll(() => dialog.getByRole('option').filter({ hasText: invoice.number }).count()).toBeGreaterThan(0);
    expect(await dialog.getByText('Invoices', { exact: true }).count()).toBe(1);
    await expectAccessible(page(), 'search');
    await shoot(page(), 'en-16-search');
    await page().keyboard.press('Escape');
    await expect.poll(() => dialog.count()).toBe(0);
    // From the sidebar field, by number this time.
    await page().getByLabel('Search everywhere').first().focus();
    await page().keyboard.type(invoice.number);
    await expect.poll(() => dialog.getByRole('option').first().textContent()).toContain(invoice.number);
    await page().keyboard.press('Enter');
    await expect.poll(() => heading().textContent()).toContain(invoice.number);
  });

  it('offline: says so, keeps every cached screen, and disables what needs the network with the reason', async () => {
    await page().getByTestId('offline-switch').check();
    await expect.poll(() => page().getByTestId('offline-banner').textContent()).toContain('You are working offline');
    expect(await page().getByTestId('offline-indicator').isVisible()).toBe(true);
    await expect.poll(() => page().getByTestId('pdf-view').getAttribute('data-state')).toBe('done');
    await nav('Dossiers').click();
    await expect.poll(() => page().getByText(/^12 dossiers/).count()).toBe(1);
    expect(await page().getByTestId('refresh').isDisabled()).toBe(true);
    expect(await page().getByTestId('sync-now').isDisabled()).toBe(true);
    expect(await page().getByTestId('sync-now').getAttribute('title')).toContain('need Billit and Venice Cloud');
    await expectAccessible(page(), 'offline dossiers');
    await shoot(page(), 'en-17-offline');
    await page().getByRole('button', { name: invoiceDossier.name, exact: true }).click();
    await page().getByRole('tab', { name: /^Bank statements/ }).click();
    await expect.poll(() => page().getByTestId('statement-list').locator('.vtable-row').count()).toBeGreaterThan(0);
    await page().getByTestId('statement-list').locator('.vtable-row').first().dblclick();
    await expect.poll(() => heading().textContent()).toMatch(/^Statement /);
    await nav('Settings').click();
    await expectAccessible(page(), 'settings');
    await shoot(page(), 'en-18-settings-offline');
    await page().getByTestId('offline-switch').uncheck();
    await expect.poll(() => page().getByTestId('offline-banner').count()).toBe(0);
  });
});
