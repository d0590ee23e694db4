/**
 * The desk's own calls: the language kept in the cache, the first run's choice, the log's last lines,
 * what a desktop host adds, and the sync history — each run's dossiers, a retry of those that failed,
 * and a notice when a run nobody watched ends with problems.
 */
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore, type Core, type CoreConfig } from '../../../electron/core';
import type { AppInfo, DocumentRow, Events, Page, StatementRow, SyncRunDetail } from '../../../shared/api';
import { tempDir } from '../../support/repo';
import { call, syncNow, testClock } from '../sync/support';
import { demoOffice, type DemoOffice } from '../../../electron/demo/office';

const dir = tempDir('bvl-desk-app-');
const cores: Core<DemoOffice>[] = [];
afterAll(async () => {
  for (const core of cores) await core.close();
  dir.cleanup();
});

async function start(name: string, overrides: Partial<CoreConfig<DemoOffice>> = {}): Promise<Core<DemoOffice>> {
  const core = await createCore({
    dataDir: path.join(dir.dir, name),
    version: '0.0.0-test',
    host: 'browser',
    demo: demoOffice({ seed: 9, dossiers: 4, invoicesPerDossier: 3 }),
    timing: { retries: 0, timeoutMs: 5_000 },
    syncOnStartup: false,
    ...overrides,
  });
  cores.push(core);
  return core;
}

async function stop(core: Core<DemoOffice>) {
  await core.close();
  cores.splice(cores.indexOf(core), 1);
}

describe('the app room', () => {
  it('keeps the chosen language across restarts and tells the hosts', async () => {
    const core = await start('language');
    expect((await call<AppInfo>(core, 'app.info')).language).toBeNull();
    const told: unknown[] = [];
    core.subscribe((event, payload) => event === 'app.language' && told.push(payload));
    expect(await call(core, 'app.setLanguage', { language: 'nl' })).toEqual({ language: 'nl' });
    expect(told).toEqual([{ language: 'nl' }]);
    expect((await core.call('app.setLanguage', { language: 'de' })).ok).toBe(false);
    await stop(core);
    const again = await start('language');
    expect((await call<AppInfo>(again, 'app.info')).language).toBe('nl');
  });

  it('asks for the first-run choice once: the demo office, or accounts that are connected', async () => {
    const core = await start('first-run');
    expect((await call<AppInfo>(core, 'app.info')).firstRun).toBe(true);
    expect(await core.call('app.setup', { use: 'accounts' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect((await call<AppInfo>(core, 'app.setup', { use: 'demo' })).firstRun).toBe(false);
    await stop(core);
    expect((await call<AppInfo>(await start('first-run'), 'app.info')).firstRun).toBe(false);
  });

  it('shows the newest log lines, oldest first, without a secret', async () => {
    const core = await start('logs');
    const info = await call<AppInfo>(core, 'app.info');
    for (let i = 0; i < 30; i++) core.log.info(`line ${i}`);
    await new Promise((r) => setImmediate(r));
    const tail = await call<{ file: string; lines: string[] }>(core, 'app.logTail', { lines: 10 });
    expect(tail.file).toBe(path.join(info.logDir, 'main.log'));
    expect(tail.lines).toHaveLength(10);
    expect(tail.lines.at(-1)).toContain('line 29');
    expect(tail.lines[0]).toContain('line 20');
    const key = core.demoOffice!.credentials.billit.apiKey;
    expect((await call<{ lines: string[] }>(core, 'app.logTail', {})).lines.join('\n')).not.toContain(key);
  });

  it('has no folder dialogs in browser mode, and uses the desktop host’s where there is one', async () => {
    const browser = await start('browser-host');
    expect((await call<AppInfo>(browser, 'app.info')).desktop).toEqual({ openFolder: false, pickFolder: false });
    expect(await call(browser, 'app.openFolder', { folder: 'logs' })).toEqual({ opened: false });
    expect(await call(browser, 'app.pickFolder', { title: 'Export folder' })).toEqual({ path: null });

    const opened: string[] = [];
    const desktop = await start('desktop-host', {
      host: 'electron',
      desktop: {
        openFolder: async (folder) => (opened.push(folder), folder.endsWith('Exports') ? 'No application can open this folder' : ''),
        pickFolder: async (title) => (title === 'Export folder' ? '/srv/venice/import' : null),
      },
    });
    const info = await call<AppInfo>(desktop, 'app.info');
    expect(info.desktop).toEqual({ openFolder: true, pickFolder: true });
    expect(await call(desktop, 'app.openFolder', { folder: 'logs' })).toEqual({ opened: true });
    expect(opened).toEqual([info.logDir]);
    expect(await desktop.call('app.openFolder', { folder: 'exports' })).toMatchObject({
      ok: false,
      error: { code: 'file-system', message: 'No application can open this folder' },
    });
    expect(await call(desktop, 'app.pickFolder', { title: 'Export folder' })).toEqual({ path: '/srv/venice/import' });
  });
});

describe('sync history', () => {
  it('lists each run with its dossiers and why one failed, and a retry runs that dossier again', async () => {
    const core = await start('history');
    await call(core, 'dossiers.refresh');
    const server = core.demoOffice!.billit.server;
    server.setFaults([{ kind: 'server-error', status: 500, route: 'GET /v1/orders', schedule: { first: 1 } }]);
    const failed = await syncNow(core);
    expect(failed.errors).toBe(1);
    expect(failed.scope).toBeNull();
    const detail = await call<SyncRunDetail>(core, 'sync.run', { runId: failed.runId });
    expect(detail.scope).toBeNull();
    const bad = detail.dossiers.filter((d) => d.status === 'failed');
    expect(bad).toHaveLength(1);
    expect(bad[0]!.error).toBeTruthy();
    expect(bad[0]!.name).toBeTruthy();
    expect(detail.dossiers.filter((d) => d.status === 'done').length).toBeGreaterThan(0);

    server.clearFaults();
    const finished = new Promise<Events['sync.finished']>((resolve) => core.subscribe((e, p) => e === 'sync.finished' && resolve(p as Events['sync.finished'])));
    const { runId } = await call<{ runId: string }>(core, 'sync.retry', { runId: failed.runId });
    expect(runId).not.toBe(failed.runId);
    expect(await finished).toMatchObject({ status: 'done', errors: 0 });
    const retried = await call<SyncRunDetail>(core, 'sync.run', { runId });
    expect(retried.scope).toEqual([bad[0]!.id]);
    expect(retried.dossiers.map((d) => [d.id, d.status])).toEqual([[bad[0]!.id, 'done']]);
    expect(await core.call('sync.run', { runId: '999999' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it("counts what a run brought each dossier, though dossiers sync side by side and the feed serves them all", async () => {
    const core = await start('per-dossier');
    await call(core, 'dossiers.refresh');
    const run = await syncNow(core);
    expect(run.documents).toBeGreaterThan(0);
    expect(run.statements).toBeGreaterThan(0);
    const detail = await call<SyncRunDetail>(core, 'sync.run', { runId: run.runId });
    expect(detail.dossiers.length).toBeGreaterThan(1);
    for (const d of detail.dossiers) {
      const docs = await call<Page<DocumentRow>>(core, 'documents.list', { dossierId: d.id });
      const statements = await call<Page<StatementRow>>(core, 'statements.list', { dossierId: d.id });
      expect([d.name, d.documents, d.statements]).toEqual([d.name, docs.total, statements.total]);
    }
    expect(detail.dossiers.reduce((n, d) => n + d.documents, 0)).toBe(run.documents);
    expect(detail.dossiers.reduce((n, d) => n + d.statements, 0)).toBe(run.statements);
  });

  it('raises a notice when a scheduled run ends with problems, not for a run the accountant started', async () => {
    const clock = testClock();
    const core = await start('schedule', { clock });
    await call(core, 'dossiers.refresh');
    const first = await syncNow(core);
    expect(first.errors).toBe(0);
    const notices: Events['app.notice'][] = [];
    core.subscribe((event, payload) => event === 'app.notice' && notices.push(payload as Events['app.notice']));
    core.demoOffice!.billit.server.setFaults([{ kind: 'server-error', status: 500, route: 'GET /v1/orders' }]);
    await call(core, 'sync.setSchedule', { intervalMinutes: 15 });
    await expect.poll(() => notices.length, { timeout: 10_000 }).toBeGreaterThan(0);
    await call(core, 'sync.setSchedule', { intervalMinutes: 0 });
    expect(notices[0]).toMatchObject({ level: 'warning', code: 'sync.scheduled-problems' });
    expect(Number(notices[0]!.data!.errors)).toBeGreaterThan(0);

    await expect.poll(async () => (await call<{ running: unknown }>(core, 'sync.status')).running).toBeNull();
    notices.length = 0;
    const manual = await syncNow(core);
    expect(manual.trigger).toBe('manual');
    expect(manual.errors).toBeGreaterThan(0);
    expect(notices.filter((n) => n.data?.runId === manual.runId)).toEqual([]);
  });
});
