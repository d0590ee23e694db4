import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRow, DossierRow, Page as ListPage } from '../../shared/api';
import { chromiumMissing } from '../support/chromium';
import { call, openDesk, type Desk } from './support';
import { demoOffice } from '../../electron/demo/office';

const missing = chromiumMissing();

/**
 * The accountant's path through the real UI, against the real core and the demo office: the office's
 * dossiers appear on first start, chosen from the keyboard, a sync fills a dossier, its invoices can be
 * filtered by Belgian dates, and a file can be taken out of the app (a download in browser mode).
 */
describe.skipIf(missing)('dossiers in Chromium over the web host', () => {
  let desk: Desk;
  const page = () => desk.page;

  beforeAll(async () => {
    desk = await openDesk({ config: { demo: demoOffice({ seed: 3, dossiers: 12, invoicesPerDossier: 6 }) }, width: 1400, height: 900 });
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('lists the office’s dossiers on first start, with their Billit state', async () => {
    await expect.poll(() => page().getByText(/^12 dossiers/).count(), { timeout: 15_000 }).toBe(1);
    const linked = desk.app.core.demoOffice!.world.dossiers.filter((d) => d.billit === 'linked');
    expect(await page().locator('[data-status="linked"]').count()).toBe(linked.length);
  });

  it('sorts and filters the list on the Node side', async () => {
    await page().getByLabel('Billit status').selectOption('linked');
    await expect.poll(() => page().locator('[data-testid="dossier-list"] [data-status]').count()).toBe(
      desk.app.core.demoOffice!.world.dossiers.filter((d) => d.billit === 'linked').length,
    );
    await page().getByLabel('Billit status').selectOption('');
    await page().getByLabel('Sort by').selectOption('status');
    // Most urgent first: a dossier waiting for the accountant's confirmation or not yet in Billit, not a linked one.
    await expect.poll(() => page().locator('[data-testid="dossier-list"] [data-status]').first().getAttribute('data-status')).not.toBe('linked');
    await page().getByLabel('Sort by').selectOption('name');
  });

  it('selects dossiers from the keyboard: arrows move, Space ticks, Enter opens', async () => {
    const grid = page().getByRole('grid', { name: 'Dossiers' });
    await grid.focus();
    await page().keyboard.press('ArrowDown');
    await page().keyboard.press('Space');
    await expect.poll(() => page().getByText(/· 1 selected$/).count()).toBe(1);
    await page().keyboard.press('Space');
    await expect.poll(() => page().getByText(/· 0 selected$/).count()).toBe(1);
    const first = await call<ListPage<DossierRow>>(desk.app, 'dossiers.list', {});
    await page().keyboard.press('Enter');
    await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toContain(first.items[0]!.name);
    await page().getByRole('button', { name: '← Dossiers' }).click();
  });

  it('syncs the office and shows a linked dossier’s invoices, filtered by dates typed dd/mm/yyyy', async () => {
    await page().getByTestId('sync-now').click();
    await expect.poll(() => page().getByTestId('sync-last').textContent(), { timeout: 60_000 }).toMatch(/done/);

    const linked = desk.app.core.demoOffice!.world.dossiers.find((d) => d.billit === 'linked' && d.invoices().filter((i) => i.direction === 'sales').length > 1)!;
    await page().getByRole('button', { name: linked.name, exact: true }).click();
    const sales = linked.invoices().filter((i) => i.direction === 'sales');
    await expect.poll(() => page().getByRole('tab', { name: /^Sales/ }).textContent()).toBe(`Sales (${sales.length})`);
    await expect.poll(() => page().getByText(/^\d+ items?$/).textContent()).toBe(`${sales.length} item${sales.length === 1 ? '' : 's'}`);
    expect(await page().getByTestId('document-list').locator('.vtable-row').count()).toBe(sales.length);

    const docs = (await call<ListPage<DocumentRow>>(desk.app, 'documents.list', { dossierId: linked.veniceId, direction: 'sales' })).items;
    const latest = [...docs].sort((a, b) => b.issueDate.localeCompare(a.issueDate))[0]!;
    const [y, m, d] = latest.issueDate.split('-');
    const from = page().getByLabel('From');
    await from.fill('31/02/2026');
    await from.press('Enter');
    await expect.poll(() => page().getByRole('alert').filter({ hasText: 'Not a date (dd/mm/yyyy)' }).count()).toBe(1);
    await from.fill(`${d}/${m}/${y}`);
    await from.press('Enter');
    const expected = docs.filter((x) => x.issueDate >= latest.issueDate).length;
    await expect.poll(() => page().getByTestId('document-list').locator('.vtable-row').count()).toBe(expected);
    expect(await from.inputValue()).toBe(`${d}/${m}/${y}`);
    await from.fill('');
    await from.press('Enter');
    await expect.poll(() => page().getByTestId('document-list').locator('.vtable-row').count()).toBe(sales.length);

    await page().getByRole('tab', { name: /^Bank statements/ }).click();
    await expect.poll(() => page().getByTestId('statement-list').locator('.vtable-row').count()).toBeGreaterThan(0);
  });

  it('takes a UBL file out of the app by dragging it (a download in browser mode)', async () => {
    await page().getByRole('tab', { name: /^Sales/ }).click();
    await page().getByTestId('document-list').locator('.vtable-row').first().click();
    const chip = page().getByTestId('file-chip').first();
    const name = (await chip.textContent())!.replace('⇩', '').trim();
    const downloading = page().waitForEvent('download');
    await chip.dispatchEvent('pointerdown');
    await chip.dispatchEvent('dragstart');
    const download = await downloading;
    const file = await download.path();
    const xml = fs.readFileSync(file!, 'utf8');
    expect(xml).toContain('urn:oasis:names:specification:ubl:schema:xsd:Invoice-2');
    expect(xml).toContain(name.replace(/\.xml$/, ''));
  });
});

describe.skipIf(missing)('settings in Chromium over the web host', () => {
  let desk: Desk;
  const page = () => desk.page;

  beforeAll(async () => {
    desk = await openDesk({ locale: 'nl-BE', config: { demo: demoOffice({ seed: 4, dossiers: 4, invoicesPerDossier: 2 }) } });
    await page().getByRole('navigation').getByRole('button', { name: 'Instellingen' }).click();
  });
  afterAll(async () => {
    await desk?.close();
  });

  it('checks the local database on demand and says it is intact', async () => {
    await page().getByTestId('integrity-check').click();
    await expect.poll(() => page().getByTestId('integrity-result').textContent()).toBe('De database is intact');
  });

  it('shows the last 200 lines of the log in browser mode, where no folder can be opened', async () => {
    await page().getByTestId('show-logs').click();
    await expect.poll(() => page().getByTestId('log-tail').textContent()).toContain('core started');
    const lines = (await page().getByTestId('log-tail').textContent())!.split('\n');
    expect(lines.length).toBeLessThanOrEqual(200);
  });

  it('says whether the keychain can hold credentials, and refuses to connect an account when it cannot', async () => {
    const info = await call<{ keychain: { available: boolean } }>(desk.app, 'app.info');
    const connect = page().getByRole('button', { name: 'Billit verbinden…' });
    if (info.keychain.available) {
      expect(await connect.isDisabled()).toBe(false);
    } else {
      await expect.poll(() => page().getByTestId('keychain-unavailable').isVisible()).toBe(true);
      expect(await page().getByTestId('keychain-unavailable').textContent()).toContain('geen account verbonden worden');
      expect(await connect.isDisabled()).toBe(true);
    }
  });
});
