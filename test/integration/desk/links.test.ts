/**
 * Link states that do not go stale: the entrepreneur accepts or refuses in their own Billit and the app
 * sees it without a sync — on a timer while a request is pending, on "Refresh from Venice", and at
 * start-up — each change as a `dossiers.linkChanged` event. And "send login data": refused without an
 * e-mail, answered with to whom and when, kept in the cache.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core, type CoreConfig } from '../../../electron/core';
import { startDemoOffice, type DemoOffice } from '../../../electron/demo/office';
import type { DossierDetail, LinkChange } from '../../../shared/api';
import { tempDir } from '../../support/repo';
import { call } from '../sync/support';

let office: DemoOffice;
let dir: { dir: string; cleanup: () => void };
const cores: Core[] = [];

beforeAll(async () => {
  office = await startDemoOffice({ seed: 21, dossiers: 20, invoicesPerDossier: 1 });
  dir = tempDir('bvl-links-');
});
afterAll(async () => {
  for (const core of cores) await core.close();
  await office?.close();
  dir?.cleanup();
});

async function start(name: string, overrides: Partial<CoreConfig> = {}): Promise<{ core: Core; changes: LinkChange[] }> {
  const core = await createCore({
    dataDir: path.join(dir.dir, name),
    version: '0.0.0-test',
    host: 'browser',
    demo: { office },
    timing: { retries: 0, timeoutMs: 5_000 },
    syncOnStartup: false,
    ...overrides,
  });
  cores.push(core);
  const changes: LinkChange[] = [];
  core.subscribe((event, payload) => {
    if (event === 'dossiers.linkChanged') changes.push(payload as LinkChange);
  });
  return { core, changes };
}

/** A company already in Billit whose entrepreneur answers only when the test says so. */
function unlinked(index: number) {
  const dossier = office.world.dossiers.filter((d) => d.billit === 'unlinked')[index]!;
  const company = [...office.billit.state.companies.values()].find((c) => c.enterpriseNumber === dossier.header.enterpriseNumber)!;
  company.entrepreneur = { decision: 'manual', afterMs: 0 };
  return { dossier, company };
}

async function requestLink(core: Core, veniceId: string): Promise<number> {
  await call(core, 'dossiers.addOrResync', { dossiers: [{ id: veniceId, email: 'patron@example.be' }] });
  await call(core, 'dossiers.confirmLink', { id: veniceId });
  const company = [...office.billit.state.companies.values()].find((c) => c.enterpriseNumber === office.world.dossier(veniceId)!.header.enterpriseNumber)!;
  expect(company.linkRequest?.state).toBe('pending');
  return company.linkRequest!.id;
}

async function entrepreneur(requestId: number, answer: 'accept' | 'refuse') {
  const res = await fetch(`${office.billitUrl}/portal-modelled/demo/link-requests/${requestId}/${answer}`, { method: 'POST' });
  expect(res.status).toBe(200);
}

const portalReads = () => office.billit.server.requestLog().filter((e) => e.route === 'GET /portal-modelled/v1/companies/{enterpriseNumber}').length;

describe('link states seen without a sync', () => {
  it('sees the entrepreneur accept on its own while the request is pending, and stops looking after', async () => {
    const { core, changes } = await start('accept', { linkPollMs: 40 });
    await call(core, 'dossiers.refresh');
    const { dossier } = unlinked(0);
    const requestId = await requestLink(core, dossier.veniceId);
    expect(changes.map((c) => [c.id, c.previous, c.status])).toContainEqual([dossier.veniceId, 'link-confirmation-needed', 'link-pending']);
    const pending = await call<DossierDetail>(core, 'dossiers.get', { id: dossier.veniceId });
    expect(pending.billitStatus).toBe('link-pending');
    expect(pending.billitStatusSince).toBeTruthy();

    office.billit.server.clearLog();
    await entrepreneur(requestId, 'accept');
    await expect.poll(() => changes.find((c) => c.id === dossier.veniceId && c.status === 'linked'), { timeout: 5_000 }).toMatchObject({
      name: dossier.name,
      previous: 'link-pending',
      status: 'linked',
    });
    // Nobody synced or refreshed: the timer asked Billit.
    expect(office.billit.server.requestLog().some((e) => e.route?.includes('/v1/orders'))).toBe(false);
    expect((await call<DossierDetail>(core, 'dossiers.get', { id: dossier.veniceId })).billitStatus).toBe('linked');

    // Nothing pending any more: the timer stops asking.
    await new Promise((r) => setTimeout(r, 100));
    const after = portalReads();
    await new Promise((r) => setTimeout(r, 300));
    expect(portalReads()).toBe(after);
  });

  it('sees the entrepreneur refuse on "Refresh from Venice"', async () => {
    const { core, changes } = await start('refuse', { linkPollMs: 600_000 });
    await call(core, 'dossiers.refresh');
    const { dossier } = unlinked(1);
    const requestId = await requestLink(core, dossier.veniceId);
    await entrepreneur(requestId, 'refuse');
    expect(changes.find((c) => c.status === 'link-refused')).toBeUndefined();
    await call(core, 'dossiers.refresh');
    expect(changes.find((c) => c.id === dossier.veniceId && c.status === 'link-refused')).toMatchObject({ previous: 'link-pending' });
    const detail = await call<DossierDetail>(core, 'dossiers.get', { id: dossier.veniceId });
    expect(detail.billitStatus).toBe('link-refused');
    expect(detail.linkHistory.map((e) => e.status)).toEqual(expect.arrayContaining(['link-pending', 'link-refused']));
  });

  it('sees at start-up what the entrepreneur answered while the app was closed', async () => {
    const first = await start('startup', { linkPollMs: 600_000 });
    await call(first.core, 'dossiers.refresh');
    const { dossier } = unlinked(2);
    const requestId = await requestLink(first.core, dossier.veniceId);
    await first.core.close();
    cores.splice(cores.indexOf(first.core), 1);

    await entrepreneur(requestId, 'accept');
    const again = await start('startup', { linkPollMs: 600_000 });
    await expect.poll(() => again.changes.find((c) => c.id === dossier.veniceId), { timeout: 5_000 }).toMatchObject({ previous: 'link-pending', status: 'linked' });
  });
});

describe('send login data', () => {
  it('is refused with a typed reason for a dossier without an e-mail, and sends nothing', async () => {
    const { core } = await start('no-email');
    await call(core, 'dossiers.refresh');
    const withoutEmail = office.world.dossiers.find((d) => !d.header.email)!;
    office.billit.server.clearLog();
    const refused = await core.call('dossiers.sendLoginData', { id: withoutEmail.veniceId });
    expect(refused).toMatchObject({ ok: false, error: { code: 'login-data.no-email' } });
    expect(office.billit.server.requestLog().filter((e) => e.route?.includes('send-login-data'))).toEqual([]);
  });

  it('says to whom and when, and the dossier keeps it ("invitation sent on …") across a restart', async () => {
    const first = await start('sent');
    await call(first.core, 'dossiers.refresh');
    const absent = office.world.dossiers.find((d) => d.billit === 'absent' && d.header.enterpriseNumber)!;
    const added = await call<{ results: Array<{ outcome: string }> }>(first.core, 'dossiers.addOrResync', {
      dossiers: [{ id: absent.veniceId, email: 'zaakvoerder@example.be' }],
    });
    expect(added.results[0]!.outcome).toBe('created');
    const before = Date.now();
    const sent = await call<{ sentTo: string; sentAt: string }>(first.core, 'dossiers.sendLoginData', { id: absent.veniceId });
    expect(sent.sentTo).toBe('zaakvoerder@example.be');
    expect(Date.parse(sent.sentAt)).toBeGreaterThanOrEqual(before - 1000);
    const company = [...office.billit.state.companies.values()].find((c) => c.enterpriseNumber === absent.header.enterpriseNumber)!;
    expect(company.loginDataSentTo).toBe('zaakvoerder@example.be');
    expect((await call<DossierDetail>(first.core, 'dossiers.get', { id: absent.veniceId })).invitation).toEqual(sent);

    await first.core.close();
    cores.splice(cores.indexOf(first.core), 1);
    const again = await start('sent');
    expect((await call<DossierDetail>(again.core, 'dossiers.get', { id: absent.veniceId })).invitation).toEqual(sent);
  });
});
