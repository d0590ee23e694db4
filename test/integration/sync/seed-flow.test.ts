/**
 * The seed's whole flow against the demo office, through the core's API as the UI calls it: list the
 * Venice dossiers with their Billit state, add one (completing its e-mail), connect one that already
 * uses Billit, the entrepreneur accepts, send login data, relations imported, then documents and bank
 * statements synced, cached and exported — and a re-run with nothing new costs one request per dossier
 * per source.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../../electron/core';
import type { AddResult, DocumentRow, DossierRow, Page, StatementRow } from '../../../shared/api';
import { tempDir } from '../../support/repo';
import { call, canonicalDump, syncNow, testClock } from './support';
import { demoOffice, type DemoOffice } from '../../../electron/demo/office';

const clock = testClock();
let core: Core<DemoOffice>;
let dir: { dir: string; cleanup: () => void };
let exportRoot: string;
const rows = new Map<string, DossierRow>();

beforeAll(async () => {
  dir = tempDir('bvl-sync-seed-');
  exportRoot = path.join(dir.dir, 'exports');
  core = await createCore({
    dataDir: path.join(dir.dir, 'data'),
    version: '0.0.0-test',
    host: 'browser',
    demo: demoOffice({ seed: 11, dossiers: 8, invoicesPerDossier: 8 }),
    exportRoot,
    clock,
    timing: { baseDelayMs: 1, maxDelayMs: 4, timeoutMs: 5_000 },
    syncOnStartup: false,
  });
});

afterAll(async () => {
  await core?.close();
  dir?.cleanup();
});

const byStatus = (status: DossierRow['billitStatus']) => [...rows.values()].filter((r) => r.billitStatus === status);

describe('the seed flow against the demo office', () => {
  it('runs on the demo office when no account is configured', async () => {
    const info = await call<{ mode: string; accounts: unknown[] }>(core, 'app.info');
    expect(info.mode).toBe('demo');
    expect(info.accounts).toEqual([]);
  });

  it('lists the Venice dossiers with what Billit knows of each', async () => {
    expect(await call(core, 'dossiers.refresh')).toEqual({ dossiers: 8 });
    const page = await call<Page<DossierRow>>(core, 'dossiers.list', {});
    expect(page.total).toBe(8);
    for (const r of page.items) rows.set(r.id, r);
    const world = core.demoOffice!.world;
    for (const d of world.dossiers) {
      const expected = { absent: 'not-in-billit', unlinked: 'not-linked', linked: 'linked', 'login-pending': 'login-not-activated' }[d.billit];
      expect(rows.get(d.veniceId)?.billitStatus, d.veniceId).toBe(expected);
    }
    const filtered = await call<Page<DossierRow>>(core, 'dossiers.list', { status: 'linked' });
    expect(filtered.items.every((r) => r.billitStatus === 'linked')).toBe(true);
    expect(filtered.total).toBe(byStatus('linked').length);
  });

  it('adds a dossier that is not in Billit once its e-mail is completed, with its relations', async () => {
    const target = byStatus('not-in-billit')[0]!;
    const venice = core.demoOffice!.world.dossier(target.id)!;
    if (!target.email) {
      const missing = await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: target.id }] });
      expect(missing.results[0]).toMatchObject({ outcome: 'failed', reason: { code: 'email-required' } });
    }
    const bad = await core.call('dossiers.addOrResync', { dossiers: [{ id: target.id, email: 'not an e-mail' }] });
    expect(bad.ok).toBe(false);

    const added = await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: target.id, email: 'owner@example.be' }] });
    const result = added.results[0]!;
    expect(result, JSON.stringify(result.reason)).toMatchObject({ outcome: 'created' });
    expect(result.status).toBe('login-not-activated');
    const relations = venice.customers().length + venice.suppliers().length;
    expect(result.relations!.created + result.relations!.updated + result.relations!.unchanged + result.relations!.failed).toBe(relations);
    expect(result.relations!.created).toBeGreaterThan(0);
    const company = [...core.demoOffice!.billit.state.companies.values()].find((c) => c.enterpriseNumber === target.enterpriseNumber)!;
    expect(company.email).toBe('owner@example.be');
    const parties = [...core.demoOffice!.billit.state.parties.values()].filter((p) => p.companyId === company.partyId);
    expect(parties.length).toBe(relations - result.relations!.failed);

    // Adding it again finds it linked: resynced, and its relations are unchanged.
    const again = await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: target.id }] });
    expect(again.results[0]!.outcome).toBe('resynced');
    expect(again.results[0]!.relations!.created).toBe(0);
    expect(again.results[0]!.relations!.unchanged).toBe(result.relations!.created + result.relations!.updated + result.relations!.unchanged);

    // Send login data: the entrepreneur has no activated login yet.
    expect(await call(core, 'dossiers.sendLoginData', { id: target.id })).toEqual({ sentTo: 'owner@example.be', sentAt: new Date(clock.now()).toISOString() });
    expect(company.loginDataSentAt).toBeTruthy();
    const detail = await call<{ lastRelations: unknown; billitStatus: string }>(core, 'dossiers.get', { id: target.id });
    expect(detail.billitStatus).toBe('login-not-activated');
    expect(detail.lastRelations).toMatchObject({ created: 0 });
  });

  it('links a company that already uses Billit after "Connect" and the entrepreneur accepting', async () => {
    const target = byStatus('not-linked')[0]!;
    const first = await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: target.id, email: 'boss@example.be' }] });
    expect(first.results[0]).toMatchObject({ outcome: 'link-confirmation-needed', status: 'link-confirmation-needed' });
    const listed = await call<Page<DossierRow>>(core, 'dossiers.list', { status: 'link-confirmation-needed' });
    expect(listed.items.map((r) => r.id)).toContain(target.id);

    const connected = await call<AddResult>(core, 'dossiers.confirmLink', { id: target.id });
    expect(connected).toMatchObject({ outcome: 'link-requested', status: 'link-pending' });
    const state = core.demoOffice!.billit.state;
    const company = [...state.companies.values()].find((c) => c.enterpriseNumber === target.enterpriseNumber)!;
    expect(company.linkRequest?.state).toBe('pending');

    // The entrepreneur accepts in their own Billit.
    const res = await fetch(`${core.demoOffice!.billitUrl}/portal-modelled/demo/link-requests/${company.linkRequest!.id}/accept`, { method: 'POST' });
    expect(res.status).toBe(200);
    await call(core, 'dossiers.refresh');
    const detail = await call<DossierRow & { linkHistory: Array<{ status: string }>; lastRelations: unknown }>(core, 'dossiers.get', { id: target.id });
    expect(detail.billitStatus).toBe('linked');
    expect(detail.linkHistory.map((e) => e.status)).toEqual(expect.arrayContaining(['link-pending', 'linked']));
    // Relations came along when the link was accepted.
    expect(detail.lastRelations).not.toBeNull();
  });

  it('resyncs a linked dossier and imports its relations', async () => {
    const target = byStatus('linked')[0]!;
    const out = await call<{ results: AddResult[] }>(core, 'dossiers.addOrResync', { dossiers: [{ id: target.id }, { id: 'NO-SUCH-DOSSIER' }] });
    expect(out.results[0]!.outcome).toBe('resynced');
    expect(out.results[0]!.relations!.failed).toBe(0);
    expect(out.results[1]).toMatchObject({ outcome: 'failed', reason: { code: 'not-found' } });
  });

  it('syncs documents and statements into the cache and the export folders', async () => {
    const summary = await syncNow(core);
    expect(summary.status).toBe('done');
    expect(summary.errors).toBe(0);
    const world = core.demoOffice!.world;
    const linked = (await call<Page<DossierRow>>(core, 'dossiers.list', { status: 'linked' })).items;
    let expectedDocs = 0;
    for (const row of linked) {
      const d = world.dossier(row.id)!;
      const docs = await call<Page<DocumentRow>>(core, 'documents.list', { dossierId: row.id, limit: 500 });
      expect(docs.items.length, row.id).toBe(d.invoices().length);
      expectedDocs += d.invoices().length;
      expect(docs.items.every((doc) => doc.exported)).toBe(true);
      const numbers = new Set(d.invoices().map((i) => i.number));
      expect(docs.items.every((doc) => numbers.has(doc.number))).toBe(true);
    }
    expect(expectedDocs).toBeGreaterThan(0);
    expect(summary.documents).toBe(expectedDocs);

    // Statements: those the banks delivered to the office (exported CODA files) are routed to their dossier.
    const withStatements = linked.find((r) => world.dossier(r.id)!.statements().some((s) => s.exported))!;
    const statements = await call<Page<StatementRow>>(core, 'statements.list', { dossierId: withStatements.id, limit: 500 });
    expect(statements.items.length).toBe(world.dossier(withStatements.id)!.statements().filter((s) => s.exported).length);
    const one = await call<{ movementsList: unknown[]; findings: Array<{ severity: string }> }>(core, 'statements.get', { id: statements.items[0]!.id });
    expect(one.movementsList.length).toBe(statements.items[0]!.movements);
    expect(one.findings.filter((f) => f.severity === 'error')).toEqual([]);

    const docs = await call<Page<DocumentRow>>(core, 'documents.list', { dossierId: withStatements.id, limit: 5 });
    const detail = await call<{ findings: Array<{ severity: string }>; lines: unknown[]; exports: unknown[] }>(core, 'documents.get', { id: docs.items[0]!.id });
    expect(detail.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(detail.lines.length).toBeGreaterThan(0);

    const dump = canonicalDump(path.join(dir.dir, 'data', 'cache.sqlite'), exportRoot);
    expect(dump.partial).toEqual([]);
    const xml = Object.keys(dump.files).filter((f) => f.endsWith('.xml'));
    const coda = Object.keys(dump.files).filter((f) => f.endsWith('.cod'));
    expect(xml.length).toBe(expectedDocs);
    expect(coda.length).toBe(dump.statements.length);
    expect(dump.statements.length).toBeGreaterThan(0);

    // Feed items are confirmed once delivered: the office's feed has nothing open.
    const feed = core.demoOffice!.billit.state.feeds.get('billit-venice-link')!;
    expect(feed.items.filter((i) => !i.confirmed && i.entityType !== 'Document')).toEqual([]);
  });

  it('re-syncs with no change for at most one request per dossier per source, plus the feed poll', async () => {
    const server = core.demoOffice!.billit.server;
    server.clearLog();
    clock.advance(61_000);
    const summary = await syncNow(core);
    expect(summary.status).toBe('done');
    expect(summary.documents).toBe(0);
    const log = server.requestLog();
    const linked = (await call<Page<DossierRow>>(core, 'dossiers.list', {})).items.filter(
      (r) => r.billitStatus === 'linked' || r.billitStatus === 'login-not-activated',
    );
    const orders = log.filter((e) => e.route === 'GET /v1/orders');
    const deleted = log.filter((e) => e.route === 'GET /v1/orders/deleted');
    expect(orders.length).toBeLessThanOrEqual(linked.length);
    expect(deleted.length).toBeLessThanOrEqual(linked.length);
    const other = log.filter((e) => e.route !== 'GET /v1/orders' && e.route !== 'GET /v1/orders/deleted');
    expect(other.map((e) => e.route)).toEqual(['GET /v1/accountant/feeds/{feedName}']);

    // Within the minute the feed is not polled again.
    server.clearLog();
    await syncNow(core);
    expect(server.requestLog().filter((e) => e.route?.includes('feeds'))).toEqual([]);
  });

  it('leaves no secret in the database, the logs or the exported files', async () => {
    const { apiKey } = core.demoOffice!.credentials.billit;
    const { password } = core.demoOffice!.credentials.venice;
    const secrets = [apiKey, password, Buffer.from(`${core.demoOffice!.credentials.venice.username}:${password}`).toString('base64')];
    const files: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const full = path.join(d, e.name);
        if (e.isDirectory()) walk(full);
        else files.push(full);
      }
    };
    walk(dir.dir);
    expect(files.some((f) => f.endsWith('cache.sqlite'))).toBe(true);
    expect(files.some((f) => f.endsWith('.log'))).toBe(true);
    for (const file of files) {
      const bytes = fs.readFileSync(file);
      for (const secret of secrets) expect(bytes.includes(Buffer.from(secret)), `${secret.slice(0, 4)}… in ${path.basename(file)}`).toBe(false);
    }
  });
});
