/**
 * The official rules in the invoice view: a document that breaks a rule shows the rule's id, its message in
 * the screen's language, where in the file, and the rules release it was checked against.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrder } from '../../electron/demo/billit/state';
import { renderUbl } from '../../electron/demo/seed/documents';
import { ruleMessages } from '../../renderer/i18n/rules';
import type { DocumentRow, DossierRow, Page as ListPage } from '../../shared/api';
import { chromiumMissing } from '../support/chromium';
import { call, expectAccessible, openDesk, shoot, type Desk } from './support';
import { demoOffice } from '../../electron/demo/office';

const missing = chromiumMissing();

async function syncAll(desk: Desk) {
  const run = await call<{ runId: string }>(desk.app, 'sync.start', {});
  const until = Date.now() + 60_000;
  while ((await call<{ lastRun: { runId: string } | null }>(desk.app, 'sync.status')).lastRun?.runId !== run.runId) {
    if (Date.now() > until) throw new Error('the sync did not finish within a minute');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe.skipIf(missing)('a document that breaks an official rule', () => {
  let desk: Desk;
  let dossier: DossierRow;
  let number: string;

  beforeAll(async () => {
    desk = await openDesk({ locale: 'fr-BE', config: { demo: demoOffice({ seed: 5, dossiers: 6, invoicesPerDossier: 3 }) } });
    await call(desk.app, 'dossiers.refresh');
    await syncAll(desk);
    // The same sales invoice again under a new number, with a payable amount that does not add up (BR-CO-16).
    const office = desk.app.core.demoOffice!;
    const source = office.world.dossiers.find((d) => d.billit === 'linked' && d.invoices().some((i) => i.direction === 'sales'))!;
    const invoice = source.invoices().find((i) => i.direction === 'sales')!;
    const companyId = office.billit.population.companyOf.get(source.index)!;
    const original = [...office.billit.state.orders.values()].find((o) => o.companyId === companyId && o.orderNumber === invoice.number)!;
    number = `${invoice.number}-B`;
    const broken = new TextDecoder()
      .decode(renderUbl(source, invoice))
      .replace(/(<cbc:PayableAmount currencyID="EUR">)([\d.]+)/, (_m, tag: string, v: string) => `${tag}${(Number(v) + 1).toFixed(2)}`)
      .replace(`<cbc:ID>${invoice.number}</cbc:ID>`, `<cbc:ID>${number}</cbc:ID>`);
    addOrder(office.billit.state, companyId, {
      direction: 'Income',
      orderNumber: number,
      orderDate: new Date(`${invoice.issueDate}T10:00:00Z`),
      counterPartyId: original.counterPartyId,
      lines: original.lines,
      ubl: { fileName: `${number}.xml`, bytes: new TextEncoder().encode(broken) },
      created: new Date(),
    });
    await syncAll(desk);
    await desk.app.core.checks.idle();
    const dossiers = await call<ListPage<DossierRow>>(desk.app, 'dossiers.list', { status: 'linked' });
    for (const d of dossiers.items) {
      const docs = await call<ListPage<DocumentRow>>(desk.app, 'documents.list', { dossierId: d.id, direction: 'sales' });
      if (docs.items.some((r) => r.number === number)) dossier = d;
    }
    expect(dossier).toBeDefined();
  }, 120_000);
  afterAll(async () => {
    expect(desk?.errors ?? []).toEqual([]);
    await desk?.close();
  });

  it('shows the rule id, its French and Dutch text, where, and the release', async () => {
    const page = desk.page;
    await page.getByRole('navigation').getByRole('button', { name: 'Dossiers', exact: true }).click();
    await page.getByRole('button', { name: dossier.name, exact: true }).click();
    await page.getByTestId('document-list').getByText(number, { exact: true }).dblclick();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(number);
    const findings = page.getByTestId('findings');
    await expect.poll(() => findings.innerText()).toContain('BR-CO-16');
    expect(await findings.innerText()).toContain(ruleMessages.fr['BR-CO-16']);
    expect(await findings.innerText()).toContain('cac:LegalMonetaryTotal');
    expect(await page.getByTestId('rules-release').innerText()).toMatch(/Peppol BIS 3\.0\.\d+.*EN 16931/);
    await findings.scrollIntoViewIfNeeded();
    await shoot(page, 'fr-rule-finding');
    await expectAccessible(page, 'invoice with a rule finding');

    await page.getByLabel('Langue', { exact: true }).first().selectOption('nl');
    await expect.poll(() => findings.innerText()).toContain(ruleMessages.nl['BR-CO-16']);
    await findings.scrollIntoViewIfNeeded();
    await shoot(page, 'nl-rule-finding');
  });

  it('"To review" lists the invoice Venice would refuse, with its dossier and why, and opens it', async () => {
    const page = desk.page;
    await page.getByRole('navigation').getByRole('button', { name: 'Na te kijken', exact: true }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Na te kijken');
    const list = page.getByTestId('review-list');
    const row = list.getByRole('row').filter({ hasText: number });
    await expect.poll(() => row.innerText()).toContain(dossier.name);
    expect(await row.innerText()).toMatch(/\d+ fout/);
    await shoot(page, 'nl-review');
    await expectAccessible(page, 'to review');

    await page.getByLabel('Taal', { exact: true }).first().selectOption('fr');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('À vérifier');
    await expect.poll(() => row.innerText()).toMatch(/\d+ erreur/);
    await shoot(page, 'fr-review');
    await row.dblclick();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(number);
  });
});
