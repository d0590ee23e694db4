import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-host';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { repoRoot } from '../support/repo';

const missing = chromiumMissing();

/**
 * The accountant's path through the real UI, against the real core and the demo office:
 * the office's dossiers appear on first start, a sync fills a dossier, its invoices and
 * statements can be read, and a file can be taken out of the app (a download in browser mode).
 */
describe.skipIf(missing)('dossiers in Chromium over the web host', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ demo: { seed: 3, dossiers: 12, invoicesPerDossier: 6 }, syncOnStartup: false });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'en-GB', viewport: { width: 1400, height: 900 }, acceptDownloads: true });
    await page.goto(app.host.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  const shot = (name: string) => {
    fs.mkdirSync(path.join(repoRoot, 'test-results'), { recursive: true });
    return page.screenshot({ path: path.join(repoRoot, 'test-results', name) });
  };

  it('lists the office’s dossiers on first start, with their Billit state', async () => {
    await expect.poll(() => page.getByText('12 dossiers').count(), { timeout: 15_000 }).toBe(1);
    const linked = app.core.demoOffice!.world.dossiers.filter((d) => d.billit === 'linked');
    expect(await page.locator('.badge', { hasText: /^Linked$/ }).count()).toBe(linked.length);
  });

  it('refuses "Add or resync" until a selected dossier has a valid e-mail', async () => {
    const withoutEmail = app.core.demoOffice!.world.dossiers.find((d) => !d.header.email && !d.header.billitEmail)!;
    await page.getByLabel(`Select ${withoutEmail.name}`).check();
    const add = page.getByTestId('add-or-resync');
    expect(await add.isDisabled()).toBe(true);
    const input = page.getByLabel(`E-mail address for ${withoutEmail.name}`);
    await input.fill('not-an-address');
    expect(await add.isDisabled()).toBe(true);
    await input.fill('boekhouding@example.be');
    expect(await add.isDisabled()).toBe(false);
    await page.getByLabel(`Select ${withoutEmail.name}`).uncheck();
  });

  it('selects dossiers from the keyboard: arrows move, Space ticks, Enter opens', async () => {
    const grid = page.getByRole('grid', { name: 'Dossiers' });
    await grid.focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByText(/· 1 selected$/).count()).toBe(1);
    await page.keyboard.press('Space');
    await expect.poll(() => page.getByText(/· 0 selected$/).count()).toBe(1);
  });

  it('syncs the office and shows a linked dossier’s invoices and statements', async () => {
    await page.getByTestId('sync-now').click();
    await expect.poll(() => page.getByTestId('sync-last').textContent(), { timeout: 60_000 }).toMatch(/done/);
    await shot('dossiers-after-sync.png');

    const linked = app.core.demoOffice!.world.dossiers.find((d) => d.billit === 'linked' && d.invoices().length > 0)!;
    await page.getByRole('button', { name: linked.name, exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(linked.name);
    const sales = linked.invoices().filter((i) => i.direction === 'sales');
    await expect.poll(() => page.getByRole('tab', { name: /^Sales/ }).textContent()).toBe(`Sales (${sales.length})`);
    // The list's total is that of its filter (sales only), not of the whole dossier.
    await expect.poll(() => page.getByText(/^\d+ items?$/).textContent()).toBe(`${sales.length} item${sales.length === 1 ? '' : 's'}`);
    expect(await page.locator('.vtable-row').count()).toBe(sales.length);
    const first = page.locator('.vtable-row').first();
    await first.click();
    await expect.poll(() => page.getByLabel('Details').isVisible()).toBe(true);
    await shot('dossier-document.png');

    await page.getByRole('tab', { name: /^Bank statements/ }).click();
    await expect.poll(() => page.locator('.vtable-row').count()).toBeGreaterThan(0);
  });

  it('takes a UBL file out of the app by dragging it (a download in browser mode)', async () => {
    await page.getByRole('tab', { name: /^Sales/ }).click();
    await page.locator('.vtable-row').first().click();
    const chip = page.getByTestId('file-chip').first();
    const name = (await chip.textContent())!.replace('⇩', '').trim();
    const downloading = page.waitForEvent('download');
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
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startApp({ demo: { seed: 4, dossiers: 4, invoicesPerDossier: 2 }, syncOnStartup: false });
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'nl-BE' });
    await page.goto(app.host.openUrl);
    await page.getByRole('button', { name: 'Instellingen' }).click();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('checks the local database on demand and says it is intact', async () => {
    await page.getByTestId('integrity-check').click();
    await expect.poll(() => page.getByTestId('integrity-result').textContent()).toBe('De database is intact');
  });

  it('says whether the keychain can hold credentials, and refuses to save when it cannot', async () => {
    const info = await app.core.call('app.info', undefined);
    if (!info.ok) throw new Error(info.error.message);
    const keychain = (info.value as { keychain: { available: boolean } }).keychain;
    await page.getByLabel('API-sleutel').fill('some-key-that-must-not-be-stored');
    const save = page.getByRole('button', { name: 'Bewaren in de sleutelhanger' });
    if (keychain.available) {
      expect(await save.isDisabled()).toBe(false);
    } else {
      expect(await page.getByTestId('keychain-unavailable').isVisible()).toBe(true);
      expect(await save.isDisabled()).toBe(true);
    }
  });
});
