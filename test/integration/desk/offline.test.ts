/**
 * Working offline: the core told it is offline serves every cached screen from the cache alone (no
 * request reaches Billit or Venice), refuses at once what needs them with the reason 'offline', and the
 * demo office really goes away meanwhile.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import type { AppInfo, DocumentRow, DossierRow, Page, SearchHit, StatementRow, SyncRunSummary } from '../../../shared/api';
import { tempDir } from '../../support/repo';
import { call, syncNow } from '../sync/support';
import { demoOffice, type DemoOffice } from '../../../electron/demo/office';

let core: Core<DemoOffice>;
let dir: { dir: string; cleanup: () => void };
const network: boolean[] = [];

beforeAll(async () => {
  dir = tempDir('bvl-offline-');
  core = await createCore({
    dataDir: path.join(dir.dir, 'data'),
    version: '0.0.0-test',
    host: 'browser',
    demo: demoOffice({ seed: 5, dossiers: 6, invoicesPerDossier: 4 }),
    timing: { retries: 0, timeoutMs: 2_000 },
    syncOnStartup: false,
  });
  core.subscribe((event, payload) => {
    if (event === 'app.network') network.push((payload as { offline: boolean }).offline);
  });
  await call(core, 'dossiers.refresh');
  expect((await syncNow(core)).status).toBe('done');
});
afterAll(async () => {
  await core?.close();
  dir?.cleanup();
});

const requests = () => core.demoOffice!.billit.server.requestLog().length + core.demoOffice!.venice.server.requestLog().length;

describe('offline', () => {
  it('says it is offline, and the demo office is really out of reach', async () => {
    expect((await call<AppInfo>(core, 'app.info')).offline).toBe(false);
    expect(await call(core, 'app.setOffline', { offline: true })).toEqual({ offline: true });
    expect(network).toEqual([true]);
    expect((await call<AppInfo>(core, 'app.info')).offline).toBe(true);
    await expect(fetch(`${core.demoOffice!.billitUrl}/v1/account/accountInformation`)).rejects.toThrow();
  });

  it('serves every cached screen without a request to Billit or Venice', async () => {
    core.demoOffice!.billit.server.clearLog();
    core.demoOffice!.venice.server.clearLog();

    const dossiers = await call<Page<DossierRow>>(core, 'dossiers.list', {});
    expect(dossiers.total).toBe(6);
    const linked = dossiers.items.find((d) => d.counts.sales + d.counts.purchases > 0 && d.counts.statements > 0)!;
    expect(linked).toBeDefined();
    expect((await call<DossierRow>(core, 'dossiers.get', { id: linked.id })).name).toBe(linked.name);
    await call(core, 'dossiers.list', { sort: 'problems' });

    const docs = await call<Page<DocumentRow>>(core, 'documents.list', { dossierId: linked.id, direction: 'sales' });
    expect(docs.items.length).toBeGreaterThan(0);
    const doc = await call<{ number: string; lines: unknown[]; invoice: unknown }>(core, 'documents.get', { id: docs.items[0]!.id });
    expect(doc.lines.length).toBeGreaterThan(0);
    expect(doc.invoice).not.toBeNull();
    if (docs.items[0]!.hasPdf) expect(await call(core, 'documents.pdf', { id: docs.items[0]!.id })).not.toBeNull();

    const statements = await call<Page<StatementRow>>(core, 'statements.list', { dossierId: linked.id });
    const statement = await call<{ movementsList: unknown[] }>(core, 'statements.get', { id: statements.items[0]!.id });
    expect(statement.movementsList.length).toBe(statements.items[0]!.movements);

    const hits = await call<{ hits: SearchHit[] }>(core, 'search.all', { text: docs.items[0]!.number });
    expect(hits.hits.some((h) => h.kind === 'document')).toBe(true);

    const runs = await call<{ runs: SyncRunSummary[] }>(core, 'sync.runs', {});
    expect(runs.runs.length).toBe(1);
    expect(await call<{ dossiers: unknown[] }>(core, 'sync.run', { runId: runs.runs[0]!.runId })).toMatchObject({ status: 'done' });
    await call(core, 'sync.status');
    await call(core, 'exports.profile.get', { dossierId: null });
    await call(core, 'exports.preview', { dossierId: linked.id, kind: 'sales' });
    await call(core, 'exports.history', { dossierId: linked.id });
    await call(core, 'settings.accounts');
    expect((await call<{ lines: string[] }>(core, 'app.logTail', {})).lines.length).toBeGreaterThan(0);

    expect(requests()).toBe(0);
  });

  it('refuses at once, with the reason, whatever needs Billit or Venice', async () => {
    const some = (await call<Page<DossierRow>>(core, 'dossiers.list', {})).items[0]!;
    const runId = (await call<{ runs: SyncRunSummary[] }>(core, 'sync.runs', {})).runs[0]!.runId;
    const refused: Array<[string, unknown]> = [
      ['dossiers.refresh', undefined],
      ['dossiers.addOrResync', { dossiers: [{ id: some.id }] }],
      ['dossiers.confirmLink', { id: some.id }],
      ['dossiers.sendLoginData', { id: some.id }],
      ['sync.start', {}],
      ['sync.retry', { runId }],
    ];
    const started = Date.now();
    for (const [channel, input] of refused) {
      expect(await core.call(channel, input), channel).toMatchObject({ ok: false, error: { code: 'offline' } });
    }
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(requests()).toBe(0);
  });

  it('works with Billit and Venice again once back online', async () => {
    expect(await call(core, 'app.setOffline', { offline: false })).toEqual({ offline: false });
    expect(network).toEqual([true, false]);
    expect(await call(core, 'dossiers.refresh')).toEqual({ dossiers: 6 });
  });
});
