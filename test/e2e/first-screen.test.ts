import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, type RunningApp } from '../support/app-host';
import { chromiumMissing, launchChromium } from '../support/chromium';
import { repoRoot } from '../support/repo';

const missing = chromiumMissing();
if (missing && process.env.CI) throw new Error(`end-to-end tests need Chromium: ${missing}`);

describe.skipIf(missing)('first screen in Chromium over the web host', () => {
  let app: RunningApp;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    app = await startApp();
    browser = await launchChromium();
    page = await browser.newPage({ locale: 'fr-BE' });
    await page.goto(app.host.openUrl);
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('shows the version that app.info reports, in the OS language', async () => {
    await expect.poll(() => page.getByTestId('version').textContent()).toBe('Version 0.0.0-test');
    expect(await page.getByRole('button', { name: 'Paramètres' }).isVisible()).toBe(true);
  });

  it('drops the token from the address bar once connected', async () => {
    expect(page.url()).not.toContain('token');
  });

  it('shows the demo office as a visible mode when no account is configured', async () => {
    expect(await page.getByTestId('demo-banner').textContent()).toContain('Bureau de démonstration');
  });

  it('switches language to Dutch and English, and keeps the choice', async () => {
    await page.getByLabel('Langue').selectOption('nl');
    await expect.poll(() => page.getByTestId('version').textContent()).toBe('Versie 0.0.0-test');
    expect(await page.getByRole('button', { name: 'Instellingen' }).isVisible()).toBe(true);
    await page.reload();
    await expect.poll(() => page.getByTestId('version').textContent()).toBe('Versie 0.0.0-test');
    await page.getByLabel('Taal').selectOption('en');
    await expect.poll(() => page.getByRole('button', { name: 'Settings' }).isVisible()).toBe(true);
  });

  it('moves between places with the keyboard', async () => {
    await page.keyboard.press('Control+3');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Settings');
    await page.keyboard.press('Control+1');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Dossiers');
  });

  it('writes a screenshot under test-results/', async () => {
    const file = path.join(repoRoot, 'test-results', 'first-screen.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(5_000);
  });
});
