/**
 * A full disk and a read-only folder: clear reasons in the history, nothing marked exported that was not,
 * the files kept for a retry, and the retry completing once the disk has room again.
 *
 * Real file systems first: a tiny tmpfs (disk full) and a tmpfs remounted read-only, when this machine lets
 * the tests mount (Linux, root, `mount` permitted). Otherwise those two tests are skipped with the reason in
 * their name, and the same behaviour is still covered through the file-system port: writes that go to
 * /dev/full (the kernel's real ENOSPC) and operations that fail with EROFS / EACCES.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeExportFs, type ExportFs } from '../../../electron/core/export/fs-port';
import { openLedgerFile, type ExportLedger } from '../../../electron/core/export/ledger';
import { createExportService } from '../../../electron/core/export/service';
import { defaultProfile } from '../../../shared/export';
import { tempDir } from '../../support/repo';
import { bytesOf, FixtureSource, janssens, listFiles, manifestLines, sha256File, sha256Of, type StoredDoc } from './support';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

const salesFolder = 'Bakkerij Janssens BV (0427604308)/Sales';

/** Why real mounts cannot be used here, or null when they can. */
const mountUnavailable: string | null = (() => {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (process.getuid?.() !== 0) return 'not running as root';
  const { dir, cleanup } = tempDir('bvl-mount-probe-');
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir], { stdio: 'pipe' });
    execFileSync('umount', [dir], { stdio: 'pipe' });
    return null;
  } catch (error) {
    return `mount is not permitted here: ${String((error as { stderr?: Buffer }).stderr ?? error).trim().slice(0, 120)}`;
  } finally {
    cleanup();
  }
})();
if (mountUnavailable) console.warn(`export failure tests: real tmpfs mounts skipped (${mountUnavailable}); the fs-port tests cover the same behaviour`);
const realMount = (name: string) => (mountUnavailable ? `${name} [skipped: ${mountUnavailable}]` : name);

function mountTmpfs(options: string): string {
  const { dir, cleanup } = tempDir('bvl-tmpfs-');
  execFileSync('mount', ['-t', 'tmpfs', '-o', options, 'tmpfs', dir]);
  cleanups.push(() => {
    execFileSync('umount', ['-l', dir]);
    cleanup();
  });
  return dir;
}

function docs(count: number, size: number): StoredDoc[] {
  return Array.from({ length: count }, (_, i) => ({
    dossierId: janssens.id,
    id: `d${i + 1}`,
    kind: 'sales' as const,
    number: `F${i + 1}`,
    date: '2024-06-01',
    size,
  }));
}

function setup(root: string, fsPort: ExportFs = nodeExportFs, list: StoredDoc[] = docs(12, 48 * 1024)) {
  const { dir, cleanup } = tempDir('bvl-ledger-');
  const opened = openLedgerFile(path.join(dir, 'ledger.sqlite'));
  cleanups.push(() => {
    opened.close();
    cleanup();
  });
  const source = new FixtureSource([janssens], list);
  opened.ledger.setProfile(null, defaultProfile(root));
  const service = (port: ExportFs) => createExportService({ ledger: opened.ledger, source, fs: port });
  return { ledger: opened.ledger, source, service, exporter: service(fsPort) };
}

/** The invariant: whatever the ledger, the manifest or the history call exported is there, complete. */
function assertNothingFalselyExported(root: string, ledger: ExportLedger, source: FixtureSource) {
  const realRoot = fs.realpathSync(root);
  const onDisk = new Map(listFiles(root).map((rel) => [rel, sha256File(path.join(root, rel))]));
  for (const spec of source.docs) {
    const expectedSha = sha256Of(bytesOf(spec));
    const name = `${salesFolder}/${spec.number} ${spec.date}.xml`;
    // A final name only ever holds the complete file.
    if (onDisk.has(name)) expect(onDisk.get(name), `${name} is partial`).toBe(expectedSha);
    for (const known of ledger.filesOfDocument(realRoot, janssens.id, 'sales', spec.id)) {
      expect(onDisk.get(known.path), `${known.path} is in the ledger but not on disk`).toBe(known.sha256);
    }
  }
  for (const line of manifestLines(root)) {
    expect(onDisk.get(line.path), `${line.path} is in the manifest but not on disk`).toBe(line.sha256);
  }
  for (const entry of ledger.history(janssens.id, { limit: 500 })) {
    if (entry.status === 'written' || entry.status === 'conflict') {
      expect(onDisk.get(entry.relativePath!), `${entry.relativePath} is in the history as written`).toBe(entry.sha256);
    }
  }
  return onDisk;
}

/** A port whose temp-file writes go to /dev/full after `allowed` files: the kernel's own ENOSPC. */
function diskFullAfter(allowed: number): ExportFs {
  let opened = 0;
  return {
    ...nodeExportFs,
    async open(p, flags) {
      if (flags === 'wx' && /^\.~bvl-[0-9a-f]{8}-/.test(path.basename(p)) && ++opened > allowed) {
        return fsp.open('/dev/full', 'w');
      }
      return nodeExportFs.open(p, flags);
    },
  };
}

function failingWith(code: 'EROFS' | 'EACCES'): ExportFs {
  const fail = async (): Promise<never> => {
    throw Object.assign(new Error(`${code}: simulated`), { code });
  };
  return {
    ...nodeExportFs,
    mkdir: fail,
    link: fail,
    rename: fail,
    unlink: fail,
    open: (p, flags) => (flags === 'r' ? nodeExportFs.open(p, flags) : fail()),
  };
}

describe('export when the disk is full', () => {
  it.runIf(!mountUnavailable)(realMount('a real 256 KiB tmpfs fills up: clear error, nothing falsely exported, retry completes'), async () => {
    const root = mountTmpfs('size=256k');
    const { ledger, source, exporter } = setup(root);

    const run = await exporter.run({ dossierId: janssens.id });
    expect(run.written).toBeGreaterThanOrEqual(1);
    expect(run.written).toBeLessThan(12);
    const failed = run.entries.find((e) => e.status === 'failed' && e.documentId);
    expect(failed).toMatchObject({ reason: 'disk-full', retryable: true });
    expect(failed!.message).toMatch(/disk is full/i);
    expect(run.entries.at(-1)).toMatchObject({ status: 'failed', reason: 'disk-full', documentId: null });
    expect(run.entries.at(-1)!.message).toMatch(/not attempted/);
    const onDisk = assertNothingFalselyExported(root, ledger, source);
    expect(onDisk.size).toBe(run.written);
    expect(ledger.pendingRetries(janssens.id)).toBe(1);
    expect(source.outcomes.find((o) => o.id === failed!.documentId)).toMatchObject({ status: 'failed', reason: 'disk-full' });

    execFileSync('mount', ['-o', 'remount,size=4m', root]);
    const retry = await exporter.retry({ dossierId: janssens.id });
    expect(retry).toMatchObject({ written: 1, failed: 0 });
    const rest = await exporter.run({ dossierId: janssens.id });
    expect(rest.failed).toBe(0);
    expect(rest.alreadyExported).toBe(run.written + 1);
    expect(assertNothingFalselyExported(root, ledger, source).size).toBe(12);
    expect(ledger.pendingRetries(janssens.id)).toBe(0);
  });

  it.runIf(fs.existsSync('/dev/full'))('through the fs port writing to /dev/full: same errors, same guarantees', async () => {
    const { dir, cleanup } = tempDir('bvl-devfull-');
    cleanups.push(cleanup);
    const { ledger, source, service, exporter } = setup(dir, diskFullAfter(3));

    const run = await exporter.run({ dossierId: janssens.id });
    expect(run).toMatchObject({ written: 3 });
    expect(run.entries[3]).toMatchObject({ status: 'failed', reason: 'disk-full', documentId: 'd4', retryable: true });
    expect(run.entries[3]!.message).toMatch(/disk is full.*ENOSPC/i);
    expect(run.entries).toHaveLength(5);
    expect(assertNothingFalselyExported(dir, ledger, source).size).toBe(3);
    expect(listFiles(dir, true).filter((f) => path.basename(f).startsWith('.~bvl'))).toEqual([]);

    const healthy = service(nodeExportFs);
    expect(await healthy.retry({ dossierId: janssens.id })).toMatchObject({ written: 1, failed: 0 });
    expect(await healthy.run({ dossierId: janssens.id })).toMatchObject({ written: 8, alreadyExported: 4, failed: 0 });
    expect(assertNothingFalselyExported(dir, ledger, source).size).toBe(12);
  });
});

describe('export into a read-only folder', () => {
  it.runIf(!mountUnavailable)(realMount('a tmpfs remounted read-only: "read-only", nothing written, retry after it is writable again'), async () => {
    const root = mountTmpfs('size=4m');
    const { ledger, source, exporter } = setup(root, nodeExportFs, docs(4, 4096));
    await exporter.run({ dossierId: janssens.id, documentIds: ['d1'] });
    execFileSync('mount', ['-o', 'remount,ro', root]);

    const run = await exporter.run({ dossierId: janssens.id });
    expect(run).toMatchObject({ written: 0, alreadyExported: 1, failed: 2 });
    expect(run.entries[1]).toMatchObject({ status: 'failed', reason: 'read-only', documentId: 'd2' });
    expect(run.entries[1]!.message).toMatch(/read-only.*EROFS/);
    expect(assertNothingFalselyExported(root, ledger, source).size).toBe(1);
    expect(ledger.pendingRetries(janssens.id)).toBe(1);

    execFileSync('mount', ['-o', 'remount,rw', root]);
    expect(await exporter.retry({ dossierId: janssens.id })).toMatchObject({ written: 1 });
    expect(await exporter.run({ dossierId: janssens.id })).toMatchObject({ written: 2, alreadyExported: 2 });
    expect(assertNothingFalselyExported(root, ledger, source).size).toBe(4);
  });

  it('through the fs port (EROFS): the run stops at the first document with "read-only"', async () => {
    const { dir, cleanup } = tempDir('bvl-erofs-');
    cleanups.push(cleanup);
    const { ledger, source, exporter } = setup(dir, failingWith('EROFS'), docs(3, 1024));
    const run = await exporter.run({ dossierId: janssens.id });
    expect(run.entries.map((e) => [e.documentId, e.status, e.reason])).toEqual([
      ['d1', 'failed', 'read-only'],
      [null, 'failed', 'read-only'],
    ]);
    expect(assertNothingFalselyExported(dir, ledger, source).size).toBe(0);
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('through the fs port (EACCES): every document fails with "permission-denied" and is kept for retry', async () => {
    const { dir, cleanup } = tempDir('bvl-eacces-');
    cleanups.push(cleanup);
    const { ledger, source, service, exporter } = setup(dir, failingWith('EACCES'), docs(3, 1024));
    const run = await exporter.run({ dossierId: janssens.id });
    expect(run.entries.map((e) => [e.documentId, e.status, e.reason])).toEqual([
      ['d1', 'failed', 'permission-denied'],
      ['d2', 'failed', 'permission-denied'],
      ['d3', 'failed', 'permission-denied'],
    ]);
    expect(run.entries[0]!.message).toMatch(/Permission denied/);
    expect(ledger.pendingRetries(janssens.id)).toBe(3);
    expect(assertNothingFalselyExported(dir, ledger, source).size).toBe(0);
    const page = service(nodeExportFs).history({ dossierId: janssens.id, limit: 2 });
    expect(page.items.map((e) => e.documentId)).toEqual(['d3', 'd2']);
    expect(page.items.every((e) => e.retryable)).toBe(true);
    expect(page.pendingRetries).toBe(3);
    expect(await service(nodeExportFs).retry({ dossierId: janssens.id })).toMatchObject({ written: 3, failed: 0 });
    expect(ledger.pendingRetries(janssens.id)).toBe(0);
  });

  it('through the fs port (ENAMETOOLONG from the OS): "path-too-long"', async () => {
    const { dir, cleanup } = tempDir('bvl-enametoolong-');
    cleanups.push(cleanup);
    const port: ExportFs = {
      ...nodeExportFs,
      mkdir: async () => {
        throw Object.assign(new Error('ENAMETOOLONG: name too long'), { code: 'ENAMETOOLONG' });
      },
    };
    const { exporter } = setup(dir, port, docs(1, 1024));
    const run = await exporter.run({ dossierId: janssens.id });
    expect(run.entries[0]).toMatchObject({ status: 'failed', reason: 'path-too-long', retryable: true });
  });
});

describe('an I/O error no one foresaw', () => {
  it('fails only that document, keeps it for a retry, and goes to the log once with its cause', async () => {
    const { dir, cleanup } = tempDir('bvl-eio-');
    cleanups.push(cleanup);
    const list = docs(3, 1024);
    // Another file of the same size already holds the second document's name, and reading it fails.
    const taken = path.join(dir, salesFolder, `${list[1]!.number} ${list[1]!.date}.xml`);
    fs.mkdirSync(path.dirname(taken), { recursive: true });
    fs.writeFileSync(taken, Buffer.alloc(bytesOf(list[1]!).length, 'x'));
    let failing = true;
    const port: ExportFs = {
      ...nodeExportFs,
      async readFile(p) {
        if (failing && p === taken) throw Object.assign(new Error('EIO: i/o error, read'), { code: 'EIO' });
        return nodeExportFs.readFile(p);
      },
    };
    const { ledger, source } = setup(dir, nodeExportFs, list);
    const logged: unknown[][] = [];
    const log = { info: () => undefined, warn: () => undefined, error: (...args: unknown[]) => void logged.push(args) };
    const run = await createExportService({ ledger, source, fs: port, log }).run({ dossierId: janssens.id });

    expect(run).toMatchObject({ written: 2, failed: 1 });
    expect(run.entries.find((e) => e.status === 'failed')).toMatchObject({ documentId: list[1]!.id, reason: 'io-error', retryable: true });
    expect(logged).toHaveLength(1);
    expect(logged[0]![0]).toBe('export write failed');
    expect((logged[0]![1] as NodeJS.ErrnoException).code).toBe('EIO');
    // The other file is left as it was, and nothing says the second document was exported.
    expect(fs.readFileSync(taken).every((b) => b === 0x78)).toBe(true);
    expect(ledger.filesOfDocument(fs.realpathSync(dir), janssens.id, 'sales', list[1]!.id)).toEqual([]);
    expect(source.outcomes.find((o) => o.id === list[1]!.id)).toMatchObject({ status: 'failed', reason: 'io-error' });

    failing = false;
    const retry = await createExportService({ ledger, source, fs: port, log }).retry({ dossierId: janssens.id });
    expect(retry).toMatchObject({ conflicts: 1, failed: 0 });
    expect(logged).toHaveLength(1);
  });
});
