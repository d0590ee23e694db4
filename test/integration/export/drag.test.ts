/**
 * Drag-out without Electron: the Electron binary is not available here, so `startDragOut` is driven with a
 * sender that records what `webContents.startDrag` would receive. Everything else is real: the files are
 * materialised on disk, their paths checked, the temp copies cleaned.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDragOut, startDragOut, type DragSender } from '../../../electron/core/export/drag-out';
import { exportHandlers } from '../../../electron/core/export/handlers';
import { openLedgerFile } from '../../../electron/core/export/ledger';
import { createExportService } from '../../../electron/core/export/service';
import { defaultProfile } from '../../../shared/export';
import { tempDir } from '../../support/repo';
import { bytesOf, FixtureSource, janssens } from './support';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function recordingSender(): DragSender<string> & { drags: { file: string; files?: string[]; icon: string }[] } {
  const drags: { file: string; files?: string[]; icon: string }[] = [];
  return { drags, startDrag: (item) => void drags.push(item) };
}

function setup() {
  const { dir, cleanup } = tempDir('bvl-drag-');
  const root = path.join(dir, 'exports');
  const dataDir = path.join(dir, 'data');
  fs.mkdirSync(root);
  fs.mkdirSync(dataDir);
  const opened = openLedgerFile(path.join(dataDir, 'ledger.sqlite'));
  opened.ledger.setProfile(null, defaultProfile(root));
  const source = new FixtureSource([janssens]);
  source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-01' });
  source.add(janssens.id, { id: 'b', kind: 'purchases', number: 'AK/9', date: '2024-01-02' });
  source.add(janssens.id, { id: 'c', kind: 'coda', statementNumber: '7', date: '2024-01-31', iban: 'BE68539007547034' });
  source.add(janssens.id, { id: 'p', kind: 'pdf', number: 'F1', date: '2024-01-01' });
  let clock = 1_000_000;
  const service = createExportService({ ledger: opened.ledger, source });
  const dragOut = createDragOut({ dataDir, source, service, ttlMs: 60_000, now: () => clock });
  cleanups.push(async () => {
    await dragOut.close();
    opened.close();
    cleanup();
  });
  return { dir, root, dataDir, source, service, dragOut, advance: (ms: number) => (clock += ms) };
}

const item = (kind: 'sales' | 'purchases' | 'coda' | 'pdf', documentId: string) => ({ dossierId: janssens.id, kind, documentId });

describe('drag-out', () => {
  it('materialises several files before the drag and hands all of them to startDrag', async () => {
    const { dataDir, source, dragOut } = setup();
    const drag = await dragOut.prepare([item('sales', 'a'), item('purchases', 'b'), item('coda', 'c'), item('pdf', 'p')]);
    expect(drag.files.map((f) => [f.name, f.origin])).toEqual([
      ['F1 2024-01-01.xml', 'temp'],
      ['AK-9 2024-01-02.xml', 'temp'],
      ['007 2024-01-31 BE68539007547034.cod', 'temp'],
      ['F1 2024-01-01.pdf', 'temp'],
    ]);
    const sender = recordingSender();
    expect(await startDragOut(dragOut, sender, { dragId: drag.id }, 'icon.png')).toEqual({ ok: true, files: 4 });
    const [started] = sender.drags;
    expect(started!.icon).toBe('icon.png');
    expect(started!.file).toBe(started!.files![0]);
    const tempRoot = fs.realpathSync(path.join(dataDir, 'drag-out'));
    for (const [i, file] of started!.files!.entries()) {
      expect(file.startsWith(tempRoot + path.sep)).toBe(true);
      expect(fs.readFileSync(file).equals(bytesOf(source.spec(['a', 'b', 'c', 'p'][i]!)))).toBe(true);
    }
  });

  it('drags the exported file itself when it is still in place with the same bytes', async () => {
    const { root, service, dragOut } = setup();
    await service.run({ dossierId: janssens.id, kinds: ['sales'] });
    const drag = await dragOut.prepare([item('sales', 'a'), item('coda', 'c')]);
    expect(drag.files.map((f) => f.origin)).toEqual(['export', 'temp']);
    const sender = recordingSender();
    await startDragOut(dragOut, sender, { dragId: drag.id }, 'i');
    expect(sender.drags[0]!.files![0]).toBe(path.join(fs.realpathSync(root), 'Bakkerij Janssens BV (0427604308)', 'Sales', 'F1 2024-01-01.xml'));

    // Once Venice moved the exported file away, a copy is materialised instead.
    fs.rmSync(sender.drags[0]!.files![0]!);
    expect((await dragOut.prepare([item('sales', 'a')])).files[0]!.origin).toBe('temp');
  });

  it('returns names and sizes to the renderer, never paths', async () => {
    const { dir, dragOut, service } = setup();
    const handlers = exportHandlers({ service, dragOut, host: { kind: 'electron' } });
    const prepared = await handlers['exports.drag.prepare']({ items: [item('sales', 'a')] });
    expect(prepared).toEqual({ dragId: expect.any(String), files: [{ name: 'F1 2024-01-01.xml', size: expect.any(Number) }], downloads: null });
    expect(JSON.stringify(prepared)).not.toContain(dir);
  });

  it('refuses bad messages, unknown or expired drags, and paths that no longer lead inside the roots', async () => {
    const { dir, dragOut, advance } = setup();
    const sender = recordingSender();
    expect(await startDragOut(dragOut, sender, { dragId: '../../etc/passwd' }, 'i')).toEqual({ ok: false, error: 'invalid-input' });
    expect(await startDragOut(dragOut, sender, { dragId: crypto.randomUUID() }, 'i')).toEqual({ ok: false, error: 'not-found' });
    expect(await startDragOut(dragOut, sender, { dragId: crypto.randomUUID(), files: ['/etc/passwd'] }, 'i')).toEqual({
      ok: false,
      error: 'invalid-input',
    });

    // A prepared file swapped for a link to something outside: refused at drag time.
    const drag = await dragOut.prepare([item('sales', 'a')]);
    const secret = path.join(dir, 'secret.txt');
    fs.writeFileSync(secret, 'secret');
    fs.rmSync(drag.files[0]!.path);
    fs.symlinkSync(secret, drag.files[0]!.path);
    expect(await startDragOut(dragOut, sender, { dragId: drag.id }, 'i')).toEqual({ ok: false, error: 'file-system' });

    const later = await dragOut.prepare([item('coda', 'c')]);
    advance(61_000);
    expect(await startDragOut(dragOut, sender, { dragId: later.id }, 'i')).toEqual({ ok: false, error: 'not-found' });
    expect(sender.drags).toEqual([]);
  });

  it('cleans temp copies on the timer sweep and at quit, and leftovers of other sessions once they are old', async () => {
    const { dataDir, dragOut, advance } = setup();
    const old = await dragOut.prepare([item('sales', 'a')]);
    advance(30_000);
    const fresh = await dragOut.prepare([item('coda', 'c')]);
    const stale = path.join(dataDir, 'drag-out', '999999-deadbeef', 'x');
    fs.mkdirSync(stale, { recursive: true });
    fs.writeFileSync(path.join(stale, 'left.xml'), 'from a crashed session');
    fs.utimesSync(path.dirname(stale), new Date(0), new Date(0));

    advance(40_000);
    expect(await dragOut.sweep()).toBe(2);
    expect(fs.existsSync(old.files[0]!.path)).toBe(false);
    expect(fs.existsSync(fresh.files[0]!.path)).toBe(true);
    expect(fs.existsSync(stale)).toBe(false);

    await dragOut.close();
    expect(fs.existsSync(fresh.files[0]!.path)).toBe(false);
    expect(fs.readdirSync(path.join(dataDir, 'drag-out'))).toEqual([]);
  });
});
