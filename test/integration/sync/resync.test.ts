/**
 * "Add or resync" run again and again on an unchanged dossier creates nothing and changes nothing in
 * Billit, for a company the app created, one it linked, and one whose login is not activated yet — also
 * where Venice relations share what Billit's create-or-update matches on: a group's accounting e-mail, a
 * branch's VAT number, a family address used by a person without a VAT number.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import type { AddResult, DossierRow, Page } from '../../../shared/api';
import { tempDir } from '../../support/repo';
import { call, testClock } from './support';
import { demoOffice, type DemoOffice } from '../../../electron/demo/office';

let core: Core<DemoOffice>;
let dir: { dir: string; cleanup: () => void };

beforeAll(async () => {
  dir = tempDir('bvl-resync-');
  core = await createCore({
    dataDir: path.join(dir.dir, 'data'),
    version: '0.0.0-test',
    host: 'browser',
    demo: demoOffice({ seed: 11, dossiers: 12, invoicesPerDossier: 1 }),
    exportRoot: path.join(dir.dir, 'exports'),
    clock: testClock(),
    timing: { baseDelayMs: 1, maxDelayMs: 4, timeoutMs: 5_000 },
    syncOnStartup: false,
  });
  await call(core, 'dossiers.refresh');
});

afterAll(async () => {
  await core?.close();
  dir?.cleanup();
});

/** Relations that meet on what Billit's create-or-update matches: they must stay distinct parties. */
function addLookalikes(veniceId: string) {
  const venice = core.demoOffice!.venice.state;
  const suppliers = venice.relations(veniceId, 'supplier');
  const customers = venice.relations(veniceId, 'customer');
  const withVat = suppliers.find((r) => r.VatNum && r.Email)!;
  const customer = customers.find((r) => r.VatNum)!;
  // A sister company with the same accounting e-mail and its own VAT number.
  venice.addRelation(veniceId, 'supplier', { Name: `${withVat.Name} Services`, VatNum: 'BE0403.170.701', Email: withVat.Email!, City: 'Gent', Language: 'N' });
  // A branch: the same VAT number under a sub-number.
  venice.addRelation(veniceId, 'customer', { Number: customer.Number!, SubNumber: '1', Name: `${customer.Name} (Antwerpen)`, VatNum: customer.VatNum!, City: 'Antwerpen', Language: 'N' });
  // Two people without a VAT number sharing a household e-mail.
  venice.addRelation(veniceId, 'customer', { Name: 'Jan Peeters', Email: 'gezin.peeters@example.be', City: 'Leuven', Language: 'N' });
  venice.addRelation(veniceId, 'customer', { Name: 'Els Peeters', Email: 'gezin.peeters@example.be', City: 'Leuven', Language: 'N' });
}

function partyTable(companyId: number) {
  return [...core.demoOffice!.billit.state.parties.values()]
    .filter((p) => p.companyId === companyId)
    .map((p) => JSON.stringify(p))
    .sort();
}

function relationStatuses(veniceId: string): string[] {
  const db = new Database(path.join(dir.dir, 'data', 'cache.sqlite'), { readonly: true });
  try {
    return db
      .prepare(`SELECT p.billit_status AS s FROM parties p JOIN dossiers d ON d.id = p.dossier_id WHERE d.venice_id = ?`)
      .all(veniceId)
      .map((r) => (r as { s: string }).s);
  } finally {
    db.close();
  }
}

async function rowsByStatus(status: DossierRow['billitStatus']): Promise<DossierRow> {
  const page = await call<Page<DossierRow>>(core, 'dossiers.list', { status });
  return page.items[0]!;
}

describe('resyncing an unchanged dossier', () => {
  const cases: Array<[string, DossierRow['billitStatus'], string | undefined]> = [
    ['created by the app', 'not-in-billit', 'new-owner@example.be'],
    ['linked', 'linked', undefined],
    ['whose login is not activated', 'login-not-activated', undefined],
  ];
  it.each(cases)('creates and updates nothing in Billit on the second and third run (%s)', async (_label, status, email) => {
    const row = await rowsByStatus(status);
    addLookalikes(row.id);
    const venice = core.demoOffice!.venice.state;
    const relationCount = venice.relations(row.id, 'customer').length + venice.relations(row.id, 'supplier').length;

    const first = (await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: row.id, email }] })).results[0]!;
    expect(first.outcome, JSON.stringify(first.reason)).toBe(status === 'not-in-billit' ? 'created' : 'resynced');
    expect(first.relations!.failed).toBe(0);
    const company = [...core.demoOffice!.billit.state.companies.values()].find((c) => c.enterpriseNumber === row.enterpriseNumber)!;
    // Every relation has a party of its own: none was merged into another's by Billit's matching.
    const numbered = new Set([...core.demoOffice!.billit.state.parties.values()].filter((p) => p.companyId === company.partyId).map((p) => `${p.partyType}:${p.nr}`));
    expect(numbered.size).toBeGreaterThanOrEqual(relationCount);
    const after = partyTable(company.partyId);

    for (const run of [2, 3]) {
      const server = core.demoOffice!.billit.server;
      server.clearLog();
      const again = (await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: row.id }] })).results[0]!;
      expect(again.outcome, `run ${run}`).toBe('resynced');
      expect(again.relations, `run ${run}`).toEqual({ created: 0, updated: 0, unchanged: relationCount, failed: 0, failures: [] });
      const writes = server.requestLog().filter((e) => e.route === 'POST /v1/parties' || e.route === 'PATCH /v1/parties/{partyID}');
      expect(writes, `run ${run}`).toEqual([]);
      expect(partyTable(company.partyId), `run ${run}`).toEqual(after);
      const statuses = relationStatuses(row.id);
      expect(statuses.length).toBe(relationCount);
      expect(new Set(statuses), `run ${run}`).toEqual(new Set(['unchanged']));
    }
  });
});

describe('a customer or supplier Billit cannot take', () => {
  it('is listed with why, by code and with the offending value, and does not stop the others', async () => {
    const dossier = (await call<Page<DossierRow>>(core, 'dossiers.list', { status: 'linked' })).items.at(-1)!;
    const venice = core.demoOffice!.venice.state;
    venice.addRelation(dossier.id, 'customer', { Name: 'Garage Fautif', VatNum: 'BE0123.456.788', City: 'Namur', Language: 'F' });
    venice.addRelation(dossier.id, 'supplier', { Name: '  ', VatNum: 'BE0403.170.701', City: 'Namur', Language: 'F' });
    const { results } = await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: dossier.id }] });
    const relations = results[0]!.relations!;
    expect(relations.failed).toBe(2);
    expect(relations.failures).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'Garage Fautif', code: 'invalid-vat', value: 'BE0123.456.788' }),
        expect.objectContaining({ code: 'no-name' }),
      ]),
    );
    // The dossier's other relations went through as usual.
    expect(relations.created + relations.updated + relations.unchanged).toBeGreaterThan(0);
    expect(results[0]!.outcome).toBe('resynced');
  });
});
