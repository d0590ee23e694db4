import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumMissing } from '../support/chromium';
import { repoRoot } from '../support/repo';
import { call, openDesk, type Desk } from './support';
import { demoOffice } from '../../electron/demo/office';

const missing = chromiumMissing();
if (missing && process.env.CI) throw new Error(`end-to-end tests need Chromium: ${missing}`);

describe.skipIf(missing)('first screen in Chromium over the web host', () => {
  let desk: Desk;

  beforeAll(async () => {
    desk = await openDesk({ locale: 'fr-BE', config: { demo: demoOffice({ seed: 2, dossiers: 4, invoicesPerDossier: 1 }) } });
  });
  afterAll(async () => {
    await desk?.close();
  });
  const page = () => desk.page;

  it('shows the version that app.info reports, in the OS language', async () => {
    await expect.poll(() => page().getByTestId('version').textContent()).toBe('Version 0.0.0-test');
    expect(await page().getByRole('button', { name: 'Paramètres' }).isVisible()).toBe(true);
    expect(await page().evaluate(() => document.documentElement.lang)).toBe('fr');
  });

  it('drops the token from the address bar once connected', async () => {
    expect(page().url()).not.toContain('token');
  });

  it('shows the demo office as a visible mode when no account is configured', async () => {
    expect(await page().getByTestId('demo-banner').textContent()).toContain('Bureau de démonstration');
  });

  it('switches language to Dutch and English, and the Node side keeps the choice', async () => {
    await page().getByLabel('Langue').selectOption('nl');
    await expect.poll(() => page().getByTestId('version').textContent()).toBe('Versie 0.0.0-test');
    expect(await page().getByRole('button', { name: 'Instellingen' }).isVisible()).toBe(true);
    await expect.poll(async () => (await call<{ language: string }>(desk.app, 'app.info')).language).toBe('nl');
    await page().reload();
    await expect.poll(() => page().getByTestId('version').textContent()).toBe('Versie 0.0.0-test');
    await page().getByLabel('Taal').selectOption('en');
    await expect.poll(() => page().getByRole('button', { name: 'Settings' }).isVisible()).toBe(true);
  });

  it('takes the language the Node side keeps over the browser’s own (another window, the tray…)', async () => {
    await call(desk.app, 'app.setLanguage', { language: 'nl' });
    await expect.poll(() => page().getByTestId('version').textContent()).toBe('Versie 0.0.0-test');
    await call(desk.app, 'app.setLanguage', { language: 'en' });
    await expect.poll(() => page().getByTestId('version').textContent()).toBe('Version 0.0.0-test');
  });

  it('moves between places with the keyboard', async () => {
    await page().keyboard.press('Control+5');
    await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toBe('Settings');
    await page().keyboard.press('Control+3');
    await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toBe('Synchronisation');
    await page().keyboard.press('Control+2');
    await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toBe('To review');
    await page().keyboard.press('Control+1');
    await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toBe('Dossiers');
  });

  it('writes a screenshot under test-results/', async () => {
    const file = path.join(repoRoot, 'test-results', 'first-screen.png');
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page().screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(5_000);
    expect(desk.errors).toEqual([]);
  });
});
