/**
 * The first screens, an invoice and a bank statement in French, Dutch and English: every word in the
 * screen's language, amounts and dates Belgian, axe clean, photographed at both window sizes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentRow, DossierRow, Page as ListPage } from '../../shared/api';
import { chromiumMissing } from '../support/chromium';
import { buttonsOutsideViewport, call, canvasInk, expectAccessible, openDesk, shoot, type Desk } from './support';
import { demoOffice } from '../../electron/demo/office';

const missing = chromiumMissing();

/** Words of the English UI that must not show in the French or Dutch one (the data itself is Belgian). */
const english = /\b(Loading|Invoice|Invoices|Statement|Sales|Purchases|Settings|Synchronise|Customer|Supplier|Amount|Back|Search|Paid|Valid|Seller|Buyer|Lines|Quantity|Welcome|Connect|Refresh|selected|Last sync|Never|Work offline|Demo office|Due date)\b/;
const money = { fr: /\d{1,3}(?:\u202f\d{3})*,\d{2}\u00a0€/, nl: /\d{1,3}(?:\.\d{3})*,\d{2}\u00a0€/, en: /\d{1,3}(?:\.\d{3})*,\d{2}\u00a0€/ };
const words = {
  fr: { welcome: 'Bienvenue dans Billit Venice Link', dossiers: 'Dossiers', sales: 'Ventes', lines: 'Lignes', statement: 'Extrait', oldBalance: 'Ancien solde', language: 'Langue' },
  nl: { welcome: 'Welkom bij Billit Venice Link', dossiers: 'Dossiers', sales: 'Verkopen', lines: 'Lijnen', statement: 'Uittreksel', oldBalance: 'Oud saldo', language: 'Taal' },
  en: { welcome: 'Welcome to Billit Venice Link', dossiers: 'Dossiers', sales: 'Sales', lines: 'Lines', statement: 'Statement', oldBalance: 'Old balance', language: 'Language' },
} as const;
const langs = ['fr', 'nl', 'en'] as const;

describe.skipIf(missing)('the desk in French, Dutch and English', () => {
  let desk: Desk;
  let invoice: DocumentRow;
  let dossier: DossierRow;
  const page = () => desk.page;
  /** The words of the screen, without file paths (export folder names are the office's data). */
  const main = async () => {
    let text = await page().locator('main').innerText();
    for (const code of await page().locator('main code').allInnerTexts()) text = text.replace(code, '');
    return text;
  };

  beforeAll(async () => {
    desk = await openDesk({ firstRun: true, locale: 'fr-BE', config: { demo: demoOffice({ seed: 12, dossiers: 6, invoicesPerDossier: 5 }) } });
  });
  afterAll(async () => {
    expect(desk?.errors ?? []).toEqual([]);
    await desk?.close();
  });

  async function choose(lang: (typeof langs)[number]) {
    const current = await page().evaluate(() => document.documentElement.lang);
    await page().getByLabel(words[current as (typeof langs)[number]].language, { exact: true }).first().selectOption(lang);
    await expect.poll(() => page().evaluate(() => document.documentElement.lang)).toBe(lang);
  }

  function expectNoEnglish(text: string, lang: string, screen: string) {
    if (lang === 'en') return;
    expect(text.match(english)?.[0] ?? null, `English on the ${lang} ${screen}`).toBeNull();
  }

  it('first run', async () => {
    for (const lang of langs) {
      await choose(lang);
      await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toBe(words[lang].welcome);
      expectNoEnglish(await main(), lang, 'first run');
      await shoot(page(), `${lang}-first-run`);
    }
    await expectAccessible(page(), 'first run');
    await page().getByTestId('explore-demo').click();
    await call(desk.app, 'dossiers.refresh');
    const run = await call<{ runId: string }>(desk.app, 'sync.start', {});
    await expect.poll(async () => (await call<{ running: unknown; lastRun: { runId: string } | null }>(desk.app, 'sync.status')).lastRun?.runId, { timeout: 60_000 }).toBe(run.runId);
    for (const d of (await call<ListPage<DossierRow>>(desk.app, 'dossiers.list', { status: 'linked' })).items) {
      const found = (await call<ListPage<DocumentRow>>(desk.app, 'documents.list', { dossierId: d.id, direction: 'sales' })).items.find((x) => x.paid && x.hasPdf);
      if (found) {
        invoice = found;
        dossier = d;
        break;
      }
    }
    expect(invoice).toBeDefined();
  });

  it('the dossier list', async () => {
    for (const lang of langs) {
      await choose(lang);
      await page().getByRole('navigation').getByRole('button', { name: words[lang].dossiers, exact: true }).click();
      await expect.poll(() => page().locator('[data-testid="dossier-list"] .vtable-row').count()).toBe(6);
      const text = await main();
      expectNoEnglish(text, lang, 'dossier list');
      expect(text).toMatch(/\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
      for (const [width, height] of [
        [1280, 800],
        [1440, 900],
      ] as const) {
        await page().setViewportSize({ width, height });
        expect(await buttonsOutsideViewport(page()), `${lang} ${width}×${height}`).toEqual([]);
      }
      await shoot(page(), `${lang}-dossiers`);
    }
    await expectAccessible(page(), 'dossier list');
  });

  it('an invoice', async () => {
    for (const lang of langs) {
      await choose(lang);
      await page().getByRole('navigation').getByRole('button', { name: words[lang].dossiers, exact: true }).click();
      await page().getByRole('button', { name: dossier.name, exact: true }).click();
      await page().getByTestId('document-list').getByText(invoice.number, { exact: true }).dblclick();
      await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toContain(invoice.number);
      await expect.poll(() => page().getByTestId('pdf-view').getAttribute('data-state'), { timeout: 20_000 }).toBe('done');
      expect(await canvasInk(page(), '[data-testid="pdf-view"] canvas')).toBeGreaterThan(0.005);
      const text = await main();
      expect(text.toLowerCase()).toContain(words[lang].lines.toLowerCase());
      expect(text).toMatch(money[lang]);
      // Every euro sign follows its amount.
      expect(text.match(/€/g)!.length).toBe(text.match(/\d\u00a0€/g)!.length);
      expect(text).toMatch(/\+\+\+\d{3}\/\d{4}\/\d{5}\+\+\+/);
      expect(text).toMatch(/\b\d{2}\/\d{2}\/\d{4}\b/);
      expectNoEnglish(text, lang, 'invoice');
      await shoot(page(), `${lang}-invoice`);
    }
    await expectAccessible(page(), 'invoice');
  });

  it('a bank statement', async () => {
    for (const lang of langs) {
      await choose(lang);
      await page().getByTestId('payment-link').first().click();
      await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toContain(words[lang].statement);
      const text = await main();
      expect(text).toContain(words[lang].oldBalance);
      expect(text).toMatch(money[lang]);
      expect(text).toMatch(/[A-Z]{2}\d{2}( [A-Z0-9]{4}){3}/);
      expectNoEnglish(text, lang, 'statement');
      await shoot(page(), `${lang}-statement`);
      await page().getByRole('button', { name: /^← / }).click();
      await expect.poll(() => page().getByRole('heading', { level: 1 }).textContent()).toContain(invoice.number);
    }
    await page().getByTestId('payment-link').first().click();
    await expectAccessible(page(), 'statement');
  });
});
