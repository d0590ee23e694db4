/**
 * "Export again, including already exported" after the templates changed: the files already delivered
 * sit at the old paths in Venice's import folder. The run says so before writing anything; asked to move,
 * it renames them to the new layout (the manifest records the move, so other desktops forget the old
 * paths too) and Venice finds each file once; asked to copy, it writes the copies it used to. Real folders,
 * the real service and ledger, through the calls the renderer makes.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../../electron/core/dispatch';
import { createDragOut } from '../../../electron/core/export/drag-out';
import { exportHandlers } from '../../../electron/core/export/handlers';
import { browserExportHost } from '../../../electron/core/export/host';
import { openLedgerFile } from '../../../electron/core/export/ledger';
import { manifestFileName } from '../../../electron/core/export/manifest';
import { createExportService } from '../../../electron/core/export/service';
import type { ExportLayoutChange, ExportRunSummary, Handlers } from '../../../shared/api';
import { defaultProfile, type ExportProfile } from '../../../shared/export';
import { tempDir } from '../../support/repo';
import { bytesOf, FixtureSource, janssens, type DocSpec } from './support';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

const docs: DocSpec[] = [
  { id: 'a', kind: 'sales', number: 'F2024/0007', date: '2024-04-02' },
  { id: 'b', kind: 'sales', number: 'F2024/0008', date: '2024-04-03' },
  { id: 'c', kind: 'coda', statementNumber: '3', date: '2024-04-30', iban: 'BE68539007547034' },
];

function files(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name !== manifestFileName) out[path.relative(root, full).split(path.sep).join('/')] = fs.readFileSync(full).toString('latin1');
    }
  };
  walk(root);
  return out;
}

function setup(dir = tempDir('bvl-relayout-')) {
  const root = path.join(dir.dir, 'root');
  fs.mkdirSync(root, { recursive: true });
  const opened = openLedgerFile(path.join(dir.dir, `ledger-${cleanups.length}.sqlite`));
  const source = new FixtureSource([janssens]);
  for (const d of docs) source.add(janssens.id, d);
  const service = createExportService({ ledger: opened.ledger, source });
  const dragOut = createDragOut({ dataDir: dir.dir, source, service });
  const handlers = exportHandlers({ service, dragOut, host: browserExportHost() }) as unknown as Handlers;
  cleanups.push(async () => {
    await dragOut.close();
    opened.close();
  });
  const call = (channel: string, input?: unknown) => dispatch(handlers, channel, input);
  return { dir, root, call, ledger: opened.ledger };
}

function value<T>(envelope: { ok: boolean; value?: unknown; error?: unknown }): T {
  expect(envelope.ok, JSON.stringify(envelope)).toBe(true);
  return envelope.value as T;
}

/** The office changes its sales layout (year folders) after everything was delivered once. */
async function deliveredThenChanged(s: ReturnType<typeof setup>): Promise<{ before: Record<string, string>; profile: ExportProfile }> {
  value(await s.call('exports.profile.set', { dossierId: null, profile: defaultProfile(s.root) }));
  const first = value<ExportRunSummary>(await s.call('exports.run', { dossierId: janssens.id }));
  expect(first.written).toBe(3);
  const profile = defaultProfile(s.root);
  profile.kinds.sales.folder = '{dossier} ({enterprise})/{year}/Verkopen';
  value(await s.call('exports.profile.set', { dossierId: null, profile }));
  return { before: files(s.root), profile };
}

describe('export again into a changed layout', () => {
  it('says so before writing anything, then moves the delivered files to the new layout', async () => {
    const { dir, cleanup } = tempDir('bvl-relayout-');
    cleanups.push(cleanup);
    const s = setup({ dir, cleanup });
    const { before } = await deliveredThenChanged(s);
    const oldPaths = Object.keys(before).filter((p) => p.includes('/Sales/'));
    expect(oldPaths).toHaveLength(2);

    // Asked without a choice: refused with what would happen, nothing touched.
    const asked = await s.call('exports.run', { dossierId: janssens.id, includeAlreadyExported: true });
    expect(asked).toMatchObject({ ok: false, error: { code: 'export-layout-changed' } });
    const change = (asked as { error: { details: ExportLayoutChange } }).error.details;
    expect(change.files).toBe(2);
    expect(change.examples.map((e) => e.from).sort()).toEqual(oldPaths.sort());
    expect(change.examples.every((e) => /\/2024\/Verkopen\//.test(e.to))).toBe(true);
    expect(files(s.root)).toEqual(before);

    // Move: each sales file now only at its new path, the same bytes — the same file, renamed — and the
    // statement stays where it was.
    const inodes = new Map(oldPaths.map((p) => [fs.readFileSync(path.join(s.root, p)).toString('latin1'), fs.statSync(path.join(s.root, p)).ino]));
    const moved = value<ExportRunSummary>(await s.call('exports.run', { dossierId: janssens.id, includeAlreadyExported: true, relayout: 'move' }));
    const byDoc = new Map(moved.entries.map((e) => [e.documentId, e]));
    expect(byDoc.get('a')).toMatchObject({ status: 'moved', message: expect.stringContaining('moved from') });
    expect(byDoc.get('b')).toMatchObject({ status: 'moved' });
    expect(byDoc.get('c')).toMatchObject({ status: 'already-present' });
    const after = files(s.root);
    for (const p of oldPaths) expect(after[p], p).toBeUndefined();
    expect(Object.keys(after)).toHaveLength(3);
    for (const id of ['a', 'b']) {
      const rel = byDoc.get(id)!.relativePath!;
      expect(rel).toMatch(/\/2024\/Verkopen\//);
      expect(after[rel]).toBe(bytesOf(docs.find((d) => d.id === id)!).toString('latin1'));
      expect(fs.statSync(path.join(s.root, rel)).ino).toBe(inodes.get(after[rel]!));
    }
    expect(fs.readdirSync(path.join(s.root, path.dirname(oldPaths[0]!)))).toEqual([]);

    // The manifest says where they went: this desktop and a new one know only the new paths.
    const manifest = fs.readFileSync(path.join(s.root, manifestFileName), 'utf8');
    expect(manifest).toContain('"from":[');
    const real = fs.realpathSync(s.root);
    expect(s.ledger.filesOfDocument(real, janssens.id, 'sales', 'a').map((f) => f.path)).toEqual([byDoc.get('a')!.relativePath]);
    const other = setup({ dir, cleanup: () => undefined });
    value(await other.call('exports.profile.set', { dossierId: null, profile: defaultProfile(s.root) }));
    value(await other.call('exports.run', { dossierId: janssens.id, kinds: ['coda'] }));
    expect(other.ledger.filesOfDocument(real, janssens.id, 'sales', 'a').map((f) => f.path)).toEqual([byDoc.get('a')!.relativePath]);

    // Nothing left at an older layout: exporting again asks nothing and writes nothing new.
    const again = value<ExportRunSummary>(await s.call('exports.run', { dossierId: janssens.id, includeAlreadyExported: true }));
    expect(again.entries.map((e) => e.status)).toEqual(['already-present', 'already-present', 'already-present']);
    expect(files(s.root)).toEqual(after);
  });

  it('writes copies when asked to', async () => {
    const made = tempDir('bvl-relayout-');
    cleanups.push(made.cleanup);
    const s = setup(made);
    const { before } = await deliveredThenChanged(s);
    const copied = value<ExportRunSummary>(await s.call('exports.run', { dossierId: janssens.id, includeAlreadyExported: true, relayout: 'copy' }));
    expect(copied.written).toBe(2);
    const after = files(s.root);
    for (const p of Object.keys(before)) expect(after[p]).toBe(before[p]);
    expect(Object.keys(after)).toHaveLength(5);
  });

  it('does not ask about files Venice already took away, and writes those at the new path', async () => {
    const made = tempDir('bvl-relayout-');
    cleanups.push(made.cleanup);
    const s = setup(made);
    const { before } = await deliveredThenChanged(s);
    for (const p of Object.keys(before)) if (p.includes('/Sales/')) fs.rmSync(path.join(s.root, p));
    const run = value<ExportRunSummary>(await s.call('exports.run', { dossierId: janssens.id, includeAlreadyExported: true }));
    expect(run.written).toBe(2);
    expect(Object.keys(files(s.root)).filter((p) => p.includes('/2024/Verkopen/'))).toHaveLength(2);
  });
});
