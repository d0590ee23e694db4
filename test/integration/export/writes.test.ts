import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedgerFile, type ExportLedger } from '../../../electron/core/export/ledger';
import { createExportService, type ExportService } from '../../../electron/core/export/service';
import { defaultProfile, type ExportProfile } from '../../../shared/export';
import { tempDir } from '../../support/repo';
import { hostileNames } from '../../unit/export/hostile-names';
import { bytesOf, FixtureSource, janssens, listFiles, manifestLines, sha256File, sha256Of } from './support';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

interface Desk {
  dir: string;
  root: string;
  ledger: ExportLedger;
  source: FixtureSource;
  service: ExportService;
}

/** A desktop: its own ledger (cache) and the same export root, unless given one. */
function desk(options: { root?: string; source?: FixtureSource; profile?: (root: string) => ExportProfile; platform?: NodeJS.Platform } = {}): Desk {
  const { dir, cleanup } = tempDir('bvl-export-');
  const root = options.root ?? path.join(dir, 'root');
  fs.mkdirSync(root, { recursive: true });
  const opened = openLedgerFile(path.join(dir, 'ledger.sqlite'));
  cleanups.push(() => {
    opened.close();
    cleanup();
  });
  const source = options.source ?? new FixtureSource([janssens]);
  opened.ledger.setProfile(null, options.profile ? options.profile(root) : defaultProfile(root));
  const service = createExportService({ ledger: opened.ledger, source, platform: options.platform });
  return { dir, root, ledger: opened.ledger, source, service };
}

const salesFolder = 'Bakkerij Janssens BV (0427604308)/Sales';

describe('export writes', () => {
  it('writes each document once under its template name, with the manifest beside it', async () => {
    const d = desk();
    d.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F2024/0001', date: '2024-01-15' });
    d.source.add(janssens.id, { id: 'b', kind: 'purchases', number: 'AK-77', date: '2024-02-01' });
    d.source.add(janssens.id, { id: 'c', kind: 'coda', statementNumber: '12', date: '2024-02-29', iban: 'BE68539007547034' });
    d.source.add(janssens.id, { id: 'p', kind: 'pdf', number: 'F2024/0001', date: '2024-01-15' });

    const first = await d.service.run({ dossierId: janssens.id });
    expect(first).toMatchObject({ written: 3, failed: 0, conflicts: 0 });
    expect(listFiles(d.root)).toEqual([
      'Bakkerij Janssens BV (0427604308)/CODA/012 2024-02-29 BE68539007547034.cod',
      'Bakkerij Janssens BV (0427604308)/Purchases/AK-77 2024-02-01.xml',
      `${salesFolder}/F2024-0001 2024-01-15.xml`,
    ]);
    expect(sha256File(path.join(d.root, salesFolder, 'F2024-0001 2024-01-15.xml'))).toBe(sha256Of(bytesOf(d.source.spec('a'))));
    const lines = manifestLines(d.root);
    expect(lines.map((l) => l.doc).sort()).toEqual(['a', 'b', 'c']);
    expect(d.source.outcomes.map((o) => o.status)).toEqual(['written', 'written', 'written']);

    // Re-export of the same bytes: nothing touched, nothing added.
    const mtime = fs.statSync(path.join(d.root, salesFolder, 'F2024-0001 2024-01-15.xml')).mtimeMs;
    const second = await d.service.run({ dossierId: janssens.id });
    expect(second).toMatchObject({ written: 0, alreadyExported: 3, failed: 0 });
    expect(fs.statSync(path.join(d.root, salesFolder, 'F2024-0001 2024-01-15.xml')).mtimeMs).toBe(mtime);
    expect(manifestLines(d.root)).toHaveLength(3);

    // PDFs only when asked for (off by default).
    const pdf = await d.service.run({ dossierId: janssens.id, kinds: ['pdf'] });
    expect(pdf.written).toBe(1);
    expect(listFiles(d.root)).toContain('Bakkerij Janssens BV (0427604308)/PDF/F2024-0001 2024-01-15.pdf');
  });

  it('recognises exported documents without reading their files when the cache knows their hash', async () => {
    const d = desk();
    d.source.withHashes = true;
    d.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-15' });
    d.source.add(janssens.id, { id: 'b', kind: 'sales', number: 'F2', date: '2024-01-16' });
    await d.service.run({ dossierId: janssens.id });
    expect(d.source.reads).toEqual(['a', 'b']);
    d.source.docs[1]!.revision = 1;
    const again = await d.service.run({ dossierId: janssens.id });
    expect(again).toMatchObject({ alreadyExported: 1, conflicts: 1 });
    expect(d.source.reads).toEqual(['a', 'b', 'b']);
  });

  it('never overwrites a different file: the new one gets a suffix and the conflict is reported', async () => {
    const d = desk();
    d.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-15' });
    const target = path.join(d.root, salesFolder, 'F1 2024-01-15.xml');
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.writeFileSync(target, 'someone else\'s file');

    const run = await d.service.run({ dossierId: janssens.id });
    expect(run).toMatchObject({ written: 0, conflicts: 1 });
    expect(fs.readFileSync(target, 'utf8')).toBe("someone else's file");
    const [entry] = run.entries;
    expect(entry).toMatchObject({ status: 'conflict', conflictWith: 'F1 2024-01-15.xml', relativePath: `${salesFolder}/F1 2024-01-15 (2).xml` });
    expect(entry!.message).toContain('holds a different file');
    expect(sha256File(path.join(d.root, salesFolder, 'F1 2024-01-15 (2).xml'))).toBe(sha256Of(bytesOf(d.source.spec('a'))));

    // The document changes in Billit: the new bytes never replace what was exported.
    d.source.docs[0]!.revision = 1;
    const changed = await d.service.run({ dossierId: janssens.id });
    expect(changed.entries[0]).toMatchObject({ status: 'conflict', relativePath: `${salesFolder}/F1 2024-01-15 (3).xml` });
    expect(sha256File(path.join(d.root, salesFolder, 'F1 2024-01-15 (2).xml'))).toBe(sha256Of(bytesOf({ ...d.source.spec('a'), revision: 0 })));
  });

  it('"include already exported" writes again what Venice moved away, and never duplicates what is still there', async () => {
    const d = desk();
    d.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-15' });
    d.source.add(janssens.id, { id: 'b', kind: 'sales', number: 'F2', date: '2024-01-16' });
    await d.service.run({ dossierId: janssens.id });
    // Venice's import moved F1 away.
    fs.rmSync(path.join(d.root, salesFolder, 'F1 2024-01-15.xml'));

    const normal = await d.service.run({ dossierId: janssens.id });
    expect(normal).toMatchObject({ written: 0, alreadyExported: 2 });
    expect(listFiles(d.root)).toEqual([`${salesFolder}/F2 2024-01-16.xml`]);

    const again = await d.service.run({ dossierId: janssens.id, includeAlreadyExported: true });
    expect(again).toMatchObject({ written: 1, alreadyPresent: 1, conflicts: 0 });
    expect(listFiles(d.root)).toEqual([`${salesFolder}/F1 2024-01-15.xml`, `${salesFolder}/F2 2024-01-16.xml`]);
  });

  it('lets two desktops sharing one folder see each other through the manifest beside the exports', async () => {
    const a = desk();
    a.source.add(janssens.id, { id: 'x', kind: 'sales', number: 'F9', date: '2024-05-05' });
    const b = desk({ root: a.root, source: a.source });
    await a.service.run({ dossierId: janssens.id });
    // Venice imported (and moved) the file before desktop B ran: B must still not deliver it again.
    fs.rmSync(path.join(a.root, salesFolder, 'F9 2024-05-05.xml'));
    const run = await b.service.run({ dossierId: janssens.id });
    expect(run).toMatchObject({ written: 0, alreadyExported: 1 });
    expect(run.entries[0]!.message).toMatch(/^exported/);
    expect(listFiles(a.root)).toEqual([]);
  });

  it('tolerates a torn line in the shared manifest and skips it', async () => {
    const a = desk();
    a.source.add(janssens.id, { id: 'x', kind: 'sales', number: 'F9', date: '2024-05-05' });
    a.source.add(janssens.id, { id: 'y', kind: 'sales', number: 'F10', date: '2024-05-05' });
    await a.service.run({ dossierId: janssens.id, documentIds: ['x'] });
    // Another desktop died in the middle of its append.
    fs.appendFileSync(path.join(a.root, '.billit-venice-manifest.jsonl'), '\n{"v":1,"path":"Bakk');
    const b = desk({ root: a.root, source: a.source });
    const run = await b.service.run({ dossierId: janssens.id });
    expect(run).toMatchObject({ alreadyExported: 1, written: 1, failed: 0 });
    const c = desk({ root: a.root, source: a.source });
    expect(await c.service.run({ dossierId: janssens.id })).toMatchObject({ alreadyExported: 2, written: 0 });
  });

  it('never writes outside the root and never fails silently, whatever the names (hostile table)', async () => {
    const { dir, cleanup } = tempDir('bvl-hostile-');
    cleanups.push(cleanup);
    const root = path.join(dir, 'root');
    const canary = path.join(dir, 'canary');
    fs.mkdirSync(root);
    fs.mkdirSync(canary);
    fs.writeFileSync(path.join(canary, 'keep.txt'), 'canary');
    const dossiers = hostileNames.map((name, i) => ({ id: `d${i}`, name, enterpriseNumber: '0427604308' }));
    const source = new FixtureSource(dossiers);
    hostileNames.forEach((name, i) => {
      source.add(`d${i}`, { id: `n${i}`, kind: 'sales', number: name, date: '2024-01-01' });
      source.add(`d${i}`, { id: `m${i}`, kind: 'coda', number: name, statementNumber: name, iban: name, date: '2024-01-01' });
    });
    const d = desk({ root, source });

    const realRoot = fs.realpathSync(root);
    for (const [i, raw] of hostileNames.entries()) {
      const run = await d.service.run({ dossierId: `d${i}` });
      expect(run.entries).toHaveLength(2);
      for (const entry of run.entries) {
        // Either written (inside the root, the changes reported) or failed with a reason: never nothing.
        if (entry.status === 'failed') {
          expect(entry.reason, `${JSON.stringify(raw)}: ${entry.message}`).toMatch(/missing-value|path-too-long/);
          expect(entry.message).toBeTruthy();
          continue;
        }
        expect(['written', 'conflict', 'already-present']).toContain(entry.status);
        const file = path.join(realRoot, ...entry.relativePath!.split('/'));
        expect(fs.realpathSync(file).startsWith(realRoot + path.sep)).toBe(true);
        expect(entry.relativePath!.split('/')).toHaveLength(3);
        // A name that could not be used as it is says how it was changed.
        const verbatim = `${raw.trim()} (0427604308)/Sales/${raw.trim()} 2024-01-01.xml`;
        if (entry.kind === 'sales' && entry.relativePath !== verbatim) {
          expect(entry.message, JSON.stringify(raw)).toContain('name made safe');
        }
      }
    }
    // Nothing appeared beside the root, and only the root holds files.
    expect(fs.readdirSync(dir).sort()).toEqual(['canary', 'root']);
    expect(listFiles(canary, true)).toEqual(['keep.txt']);
    expect(listFiles(root, true).every((f) => f.split('/').every((segment) => segment !== '..' && segment !== '.'))).toBe(true);
  });

  it('refuses a folder that is a symbolic link leading out of the root', async () => {
    const d = desk();
    d.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-15' });
    const outside = path.join(d.dir, 'outside');
    fs.mkdirSync(outside);
    fs.symlinkSync(outside, path.join(d.root, 'Bakkerij Janssens BV (0427604308)'));
    const run = await d.service.run({ dossierId: janssens.id });
    expect(run.entries[0]).toMatchObject({ status: 'failed', reason: 'outside-root', retryable: true });
    expect(listFiles(outside, true)).toEqual([]);
    expect(d.ledger.pendingRetries(janssens.id)).toBe(1);
  });

  it('treats a symbolic link at the final name as a conflict and never writes or reads through it', async () => {
    const d = desk();
    d.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-15' });
    const secret = path.join(d.dir, 'secret.xml');
    fs.writeFileSync(secret, bytesOf(d.source.spec('a')));
    fs.mkdirSync(path.join(d.root, salesFolder), { recursive: true });
    fs.symlinkSync(secret, path.join(d.root, salesFolder, 'F1 2024-01-15.xml'));
    const run = await d.service.run({ dossierId: janssens.id });
    expect(run.entries[0]).toMatchObject({ status: 'conflict', relativePath: `${salesFolder}/F1 2024-01-15 (2).xml` });
    expect(fs.lstatSync(path.join(d.root, salesFolder, 'F1 2024-01-15.xml')).isSymbolicLink()).toBe(true);
  });

  it('refuses a path longer than the platform allows, with a clear reason', async () => {
    const deep = desk({
      profile: (root) => {
        const p = defaultProfile(root);
        p.kinds.sales.folder = Array.from({ length: 110 }, () => '{dossier} {enterprise} {veniceId}').join('/');
        return p;
      },
    });
    deep.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-15' });
    const run = await deep.service.run({ dossierId: janssens.id });
    expect(run.entries[0]).toMatchObject({ status: 'failed', reason: 'path-too-long' });
    expect(fs.readdirSync(deep.root)).toEqual([]);

    // On Windows (MAX_PATH) a long dossier name and a long number are shortened to fit, and the file is written.
    const win = desk({ platform: 'win32', source: new FixtureSource([{ ...janssens, name: 'B'.repeat(120) }]) });
    win.source.add(janssens.id, { id: 'b', kind: 'sales', number: 'N'.repeat(140), date: '2024-01-15' });
    const winRun = await win.service.run({ dossierId: janssens.id });
    expect(winRun.entries[0]).toMatchObject({ status: 'written' });
    const [written] = listFiles(win.root);
    expect(path.win32.join(`C:${'x'.repeat(win.root.length - 2)}`, written!).length).toBeLessThanOrEqual(259 - ' (99)'.length);
    expect(written).toMatch(/^B+~[0-9a-f]{8}\/Sales\/N+~[0-9a-f]{8}\.xml$/);
  });

  it('says so when no root is chosen or the root is not reachable, and creates nothing', async () => {
    const none = desk({ profile: () => defaultProfile(null) });
    none.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-15' });
    const run = await none.service.run({ dossierId: janssens.id });
    expect(run.entries).toEqual([expect.objectContaining({ status: 'failed', reason: 'root-not-set', documentId: null })]);

    const { dir, cleanup } = tempDir('bvl-unmounted-');
    cleanups.push(cleanup);
    const unmounted = path.join(dir, 'share-not-mounted');
    const gone = desk({ profile: () => defaultProfile(unmounted) });
    gone.source.add(janssens.id, { id: 'a', kind: 'sales', number: 'F1', date: '2024-01-15' });
    const goneRun = await gone.service.run({ dossierId: janssens.id });
    expect(goneRun.entries[0]).toMatchObject({ status: 'failed', reason: 'root-missing' });
    expect(fs.existsSync(unmounted)).toBe(false);
  });
});
