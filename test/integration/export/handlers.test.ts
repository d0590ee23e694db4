/**
 * The export calls as the renderer makes them: through `dispatch` (schemas first), with the real service,
 * ledger and folders; the host port is the only stand-in (it is Electron's `shell` in the app).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { createDragOut } from '../../../electron/core/export/drag-out';
import { exportHandlers } from '../../../electron/core/export/handlers';
import { browserExportHost, type ExportHost } from '../../../electron/core/export/host';
import { openLedgerFile } from '../../../electron/core/export/ledger';
import { createExportService } from '../../../electron/core/export/service';
import type { Handlers } from '../../../shared/api';
import { defaultProfile } from '../../../shared/export';
import { tempDir } from '../../support/repo';
import { bytesOf, FixtureSource, janssens } from './support';

const cleanups: (() => void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function recordingHost(openResult = ''): ExportHost & { shown: string[]; opened: string[] } {
  const shown: string[] = [];
  const opened: string[] = [];
  return {
    kind: 'electron',
    shown,
    opened,
    showInFolder: (file) => void shown.push(file),
    openPath: async (file) => {
      opened.push(file);
      return openResult;
    },
  };
}

function setup(host: ExportHost = recordingHost()) {
  const { dir, cleanup } = tempDir('bvl-handlers-');
  const root = path.join(dir, 'root');
  fs.mkdirSync(root);
  const opened = openLedgerFile(path.join(dir, 'ledger.sqlite'));
  const source = new FixtureSource([janssens, { id: 'EMPTY', name: 'Leeg BV', enterpriseNumber: '0999999999' }]);
  source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F2024/0007', date: '2024-04-02' });
  source.add(janssens.id, { id: 'b', kind: 'sales', number: 'F2024/0008', date: '2024-04-03' });
  source.add(janssens.id, { id: 'c', kind: 'coda', statementNumber: '3', date: '2024-04-30', iban: 'BE68539007547034' });
  const service = createExportService({ ledger: opened.ledger, source });
  const dragOut = createDragOut({ dataDir: dir, source, service });
  const handlers = exportHandlers({ service, dragOut, host }) as unknown as Handlers;
  cleanups.push(async () => {
    await dragOut.close();
    opened.close();
    cleanup();
  });
  const call = (channel: string, input?: unknown) => dispatch(handlers, channel, input);
  return { dir, root, source, service, dragOut, call, ledger: opened.ledger };
}

function value<T>(envelope: { ok: boolean; value?: unknown; error?: unknown }): T {
  expect(envelope.ok, JSON.stringify(envelope)).toBe(true);
  return envelope.value as T;
}

describe('export calls', () => {
  it('saves profiles with their templates checked, and lets a dossier override the office default', async () => {
    const { root, call } = setup();
    expect(value<{ source: string }>(await call('exports.profile.get', {}))).toMatchObject({ source: 'builtin' });

    const bad = defaultProfile(root);
    bad.kinds.sales.folder = '{dossier}/../{client}';
    const refused = await call('exports.profile.set', { dossierId: null, profile: bad });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const paths = (refused as { error: { details: { path: string }[] } }).error.details.map((d) => d.path);
    expect(paths).toContain('profile.kinds.sales.folder');

    const unreachable = await call('exports.profile.set', { dossierId: null, profile: defaultProfile(path.join(root, 'missing')) });
    expect(unreachable).toMatchObject({ ok: false, error: { code: 'invalid-input', details: { reason: 'root-missing' } } });

    value(await call('exports.profile.set', { dossierId: null, profile: defaultProfile(root) }));
    const own = defaultProfile(null);
    own.kinds.sales.folder = '{veniceId}/{year}';
    const saved = value<{ source: string; profile: { root: string; kinds: { sales: { folder: string } } } }>(
      await call('exports.profile.set', { dossierId: janssens.id, profile: own }),
    );
    expect(saved).toMatchObject({ source: 'dossier', profile: { root, kinds: { sales: { folder: '{veniceId}/{year}' } } } });
    expect(value(await call('exports.profile.get', { dossierId: 'EMPTY' }))).toMatchObject({ source: 'office' });
    value(await call('exports.profile.set', { dossierId: janssens.id, profile: null }));
    expect(value(await call('exports.profile.get', { dossierId: janssens.id }))).toMatchObject({ source: 'office' });
  });

  it('refuses to remove the office default and to keep a profile for a dossier that does not exist', async () => {
    const { root, call, ledger } = setup();
    value(await call('exports.profile.set', { dossierId: null, profile: defaultProfile(root) }));

    const wipe = await call('exports.profile.set', { dossierId: null, profile: null });
    expect(wipe).toMatchObject({ ok: false, error: { code: 'office-default-required' } });
    expect(value(await call('exports.profile.get', {}))).toMatchObject({ source: 'office', profile: { root } });

    const own = defaultProfile(null);
    own.kinds.sales.folder = '{veniceId}/{year}';
    const ghost = await call('exports.profile.set', { dossierId: 'NO-SUCH-DOSSIER', profile: own });
    expect(ghost).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(ledger.getProfile('NO-SUCH-DOSSIER')).toBeNull();
    expect(await call('exports.profile.set', { dossierId: 'NO-SUCH-DOSSIER', profile: null })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('previews the path of a real document, of a draft profile, and of a dossier without documents', async () => {
    const { root, call } = setup();
    value(await call('exports.profile.set', { dossierId: null, profile: defaultProfile(root) }));
    const preview = value<{ absolutePath: string; document: { id: string } }>(
      await call('exports.preview', { dossierId: janssens.id, kind: 'sales', documentId: 'b' }),
    );
    expect(preview).toMatchObject({
      ok: true,
      relativePath: 'Bakkerij Janssens BV (0427604308)/Sales/F2024-0008 2024-04-03.xml',
      absolutePath: path.join(root, 'Bakkerij Janssens BV (0427604308)', 'Sales', 'F2024-0008 2024-04-03.xml'),
      document: { id: 'b', label: 'F2024/0008', date: '2024-04-03' },
      changes: [expect.objectContaining({ where: 'file', raw: 'F2024/0008 2024-04-03' })],
    });

    const draft = defaultProfile(root);
    draft.kinds.coda.folder = 'CODA/{iban}/{year}';
    draft.kinds.coda.file = '{veniceId}-{statement}';
    expect(value(await call('exports.preview', { dossierId: janssens.id, kind: 'coda', profile: draft }))).toMatchObject({
      relativePath: 'CODA/BE68539007547034/2024/JANSSENS-003.cod',
    });

    const empty = value<{ document: null; relativePath: string }>(await call('exports.preview', { dossierId: 'EMPTY', kind: 'sales' }));
    expect(empty).toMatchObject({ ok: true, document: null, relativePath: 'Leeg BV (0999999999)/Sales/F2024-0001 2024-03-05.xml' });

    const broken = defaultProfile(root);
    broken.kinds.sales.file = '{iban}';
    expect(await call('exports.preview', { dossierId: janssens.id, kind: 'sales', profile: broken })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await call('exports.preview', { dossierId: 'NOPE', kind: 'sales' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('runs an export and pages its history, newest first', async () => {
    const { root, call } = setup();
    value(await call('exports.profile.set', { dossierId: null, profile: defaultProfile(root) }));
    expect(value(await call('exports.run', { dossierId: janssens.id }))).toMatchObject({ written: 3, failed: 0 });
    expect(value(await call('exports.run', { dossierId: janssens.id, kinds: ['sales'] }))).toMatchObject({ alreadyExported: 2 });
    const first = value<{ items: { id: number; status: string }[]; nextCursor: number }>(
      await call('exports.history', { dossierId: janssens.id, limit: 3 }),
    );
    expect(first.items.map((e) => e.status)).toEqual(['already-exported', 'already-exported', 'written']);
    const second = value<{ items: { status: string }[]; nextCursor: number | null }>(
      await call('exports.history', { dossierId: janssens.id, limit: 3, cursor: first.nextCursor }),
    );
    expect(second.items.map((e) => e.status)).toEqual(['written', 'written']);
    expect(second.nextCursor).toBeNull();
    expect(await call('exports.history', { dossierId: janssens.id, limit: 0 })).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('shows and opens written files through the host, only while they are the files that were written', async () => {
    const host = recordingHost();
    const { root, call, service } = setup(host);
    value(await call('exports.profile.set', { dossierId: null, profile: defaultProfile(root) }));
    const run = await service.run({ dossierId: janssens.id, kinds: ['sales'] });
    const [a, b] = run.entries;
    const fileA = path.join(fs.realpathSync(root), ...a!.relativePath!.split('/'));

    expect(value(await call('exports.reveal', { historyId: a!.id, action: 'show' }))).toEqual({ done: true, downloadUrl: null });
    expect(value(await call('exports.reveal', { historyId: a!.id, action: 'open' }))).toEqual({ done: true, downloadUrl: null });
    expect(host.shown).toEqual([fileA]);
    expect(host.opened).toEqual([fileA]);

    // Changed since export: showing is fine, opening is refused.
    fs.appendFileSync(fileA, 'tampered');
    expect(await call('exports.reveal', { historyId: a!.id, action: 'open' })).toMatchObject({ ok: false, error: { code: 'conflict' } });
    // Moved away (Venice imported it).
    fs.rmSync(path.join(fs.realpathSync(root), ...b!.relativePath!.split('/')));
    expect(await call('exports.reveal', { historyId: b!.id, action: 'show' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(await call('exports.reveal', { historyId: 9999, action: 'show' })).toMatchObject({ ok: false, error: { code: 'not-found' } });
    expect(host.opened).toHaveLength(1);

    const failing = setup(recordingHost('No application is associated'));
    value(await failing.call('exports.profile.set', { dossierId: null, profile: defaultProfile(failing.root) }));
    const entry = (await failing.service.run({ dossierId: janssens.id, kinds: ['sales'] })).entries[0]!;
    expect(await failing.call('exports.reveal', { historyId: entry.id, action: 'open' })).toMatchObject({
      ok: false,
      error: { code: 'file-system', message: expect.stringContaining('No application is associated') },
    });
  });

  it('in browser mode offers downloads instead of showing files or starting an OS drag', async () => {
    const { root, call, service, dragOut, source } = setup(browserExportHost('/exports/download/'));
    value(await call('exports.profile.set', { dossierId: null, profile: defaultProfile(root) }));
    const entry = (await service.run({ dossierId: janssens.id, kinds: ['sales'] })).entries[0]!;
    const reveal = value<{ done: boolean; downloadUrl: string }>(await call('exports.reveal', { historyId: entry.id, action: 'show' }));
    expect(reveal.done).toBe(false);
    expect(reveal.downloadUrl).toMatch(/^\/exports\/download\/[0-9a-f-]{36}\.0$/);
    const download = await dragOut.download(decodeURIComponent(reveal.downloadUrl.split('/').pop()!));
    expect(download).toMatchObject({ name: 'F2024-0007 2024-04-02.xml', contentType: 'application/xml' });
    expect(download!.bytes.equals(bytesOf(source.spec('a')))).toBe(true);

    const drag = value<{ downloads: { name: string; url: string }[] }>(
      await call('exports.drag.prepare', { items: [{ dossierId: janssens.id, kind: 'coda', documentId: 'c' }] }),
    );
    expect(drag.downloads).toEqual([{ name: '003 2024-04-30 BE68539007547034.cod', url: expect.stringMatching(/^\/exports\/download\//) }]);
    const coda = await dragOut.download(drag.downloads[0]!.url.split('/').pop()!);
    expect(coda!.bytes.equals(bytesOf(source.spec('c')))).toBe(true);
    expect(await dragOut.download('not-a-token')).toBeNull();
  });
});
