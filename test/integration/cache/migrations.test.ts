/**
 * The migrations as a whole: numbered 1..n in files named by their number, a new cache at the latest
 * version, an old one upgraded through every step with its data and a backup copy, and files that are not
 * this version's cache refused. What each step adds is tested beside it, in `migrations/`.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { latestVersion, openCache, type Cache } from '../../../electron/core/cache';
import { applicationId, migrate, migrations } from '../../../electron/core/cache/migrations';
import { repoRoot } from '../../support/repo';
import { tempDir } from './fixtures';
import { seedOffice as seed } from './migrations/support';

const open: Cache[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

function hashOf(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

describe('cache migrations', () => {
  it('keeps at least two numbered migrations, in order', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    // Numbered 1, 2, 3… with no gap and no repeat: a database's user_version says exactly what it holds.
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
  });

  it('keeps each migration in its own file, named by its number, with its own test', async () => {
    const folder = path.join(repoRoot, 'electron/core/cache/migrations');
    const files = fs.readdirSync(folder).filter((f) => /^\d+-.+\.ts$/.test(f)).sort();
    expect(files.map((f) => Number(f.split('-')[0]))).toEqual(migrations.map((m) => m.version));
    for (const [i, f] of files.entries()) {
      const exported = Object.values((await import(path.join(folder, f))) as Record<string, unknown>);
      expect(exported, f).toEqual([migrations[i]]);
    }
    const tests = fs.readdirSync(path.join(repoRoot, 'test/integration/cache/migrations')).filter((f) => f.endsWith('.test.ts'));
    expect(tests.sort()).toEqual(files.map((f) => f.replace(/\.ts$/, '.test.ts')));
  });

  it('creates the latest schema from an empty folder, in WAL mode, with foreign keys enforced', async () => {
    const file = path.join(tempDir(), 'nested', 'cache.sqlite');
    const cache = openCache(file);
    open.push(cache);
    expect(cache.schemaVersion).toBe(latestVersion);
    expect(cache.migratedFrom).toBe(0);
    expect(cache.backups).toEqual([]);

    const raw = new Database(file, { readonly: true });
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(raw.pragma('user_version', { simple: true })).toBe(latestVersion);
    expect(raw.pragma('application_id', { simple: true })).toBe(applicationId);
    raw.close();

    // A document for a dossier that does not exist is refused.
    await expect(
      cache.documents.putMany([
        {
          dossierId: 999,
          source: 's',
          sourceId: '1',
          kind: 'invoice',
          direction: 'sales',
          number: '1',
          issueDate: '2024-01-01',
          seller: { name: 'a' },
          buyer: { name: 'b' },
          currency: 'EUR',
          totalExclCents: 1,
          totalVatCents: 0,
          totalInclCents: 1,
        },
      ]),
    ).rejects.toThrow(/FOREIGN KEY/);
    expect(fs.readdirSync(path.dirname(file)).filter((f) => f.endsWith('.bak'))).toEqual([]);
  });

  for (const from of migrations.map((m) => m.version).filter((v) => v < latestVersion)) {
    it(`upgrades a cache written at version ${from}, keeping its data and a backup copy`, async () => {
      const file = path.join(tempDir(), 'cache.sqlite');
      const old = new Database(file);
      old.pragma('journal_mode = WAL');
      migrate(old, from);
      seed(old);
      old.close();

      const cache = openCache(file);
      open.push(cache);
      expect(cache.migratedFrom).toBe(from);
      expect(cache.schemaVersion).toBe(latestVersion);

      // The backup is the file as it was: that version, that data.
      expect(cache.backups).toEqual([`${file}.v${from}.bak`]);
      const backup = new Database(cache.backups[0]!, { readonly: true });
      expect(backup.pragma('user_version', { simple: true })).toBe(from);
      expect(backup.prepare('SELECT count(*) FROM documents').pluck().get()).toBe(3);
      backup.close();
      // It holds the clients' data as much as the cache does: the user's alone.
      if (process.platform !== 'win32') expect(fs.statSync(cache.backups[0]!).mode & 0o777).toBe(0o600);

      // Counts and last sync derived from what was there.
      const [row] = cache.dossiers.page().items;
      expect(row!.counts).toEqual({ sales: 2, purchases: 1, problems: 1, toExport: 3, statements: 1 });
      expect(row!.lastSync).toMatchObject({ status: 'done' });

      // Full-text search covers rows written before it existed (from version 3 on, the app's own writes index
      // rows; the seed's raw SQL does not).
      if (from < 3) {
        expect(cache.search('lambert').items.map((h) => h.kind).sort()).toEqual(['document', 'document', 'movement']);
        expect(cache.search('220,50').items.map((h) => h.id)).toEqual([2]);
        expect(cache.search('+++090/9337/55493+++').items.map((h) => h.kind).sort()).toEqual(['document', 'movement']);
      }

      // And the triggers work on new rows.
      await cache.documents.putMany([
        {
          dossierId: 1,
          source: 'billit-order',
          sourceId: '4',
          kind: 'invoice',
          direction: 'purchase',
          number: 'AF-002',
          issueDate: '2024-05-02',
          seller: { name: 'Atelier Müller' },
          buyer: { name: 'Boulangerie Léon' },
          currency: 'EUR',
          totalExclCents: 100,
          totalVatCents: 21,
          totalInclCents: 121,
        },
      ]);
      expect(cache.dossiers.page().items[0]!.counts.purchases).toBe(2);
      expect(cache.search('muller').items).toHaveLength(1);
    });
  }

  it('refuses a cache written by a newer version, with a clear message, changing nothing', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'cache.sqlite');
    const cache = openCache(file);
    await cache.dossiers.upsertMany([{ veniceId: 'V1', name: 'Dupont' }]);
    await cache.close();
    const raw = new Database(file);
    raw.pragma(`user_version = ${latestVersion + 1}`);
    raw.close();
    const before = { files: fs.readdirSync(dir).sort(), hash: hashOf(file) };

    let error: unknown;
    try {
      openCache(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('database');
    expect(appError.message).toMatch(/newer version/);
    expect(appError.message).toMatch(/Nothing was changed/);
    expect(appError.details).toMatchObject({ reason: 'newer-schema', found: latestVersion + 1, supported: latestVersion });

    expect(fs.readdirSync(dir).sort()).toEqual(before.files);
    expect(hashOf(file)).toBe(before.hash);
  });

  it('refuses a file that is not this app’s cache, changing nothing', () => {
    const dir = tempDir();
    const other = path.join(dir, 'other.sqlite');
    const db = new Database(other);
    db.exec('CREATE TABLE t (x)');
    db.pragma('application_id = 1234');
    db.close();
    const hash = hashOf(other);
    expect(() => openCache(other)).toThrow(/not a Billit Venice Link cache/);
    expect(hashOf(other)).toBe(hash);

    const garbage = path.join(dir, 'garbage.sqlite');
    fs.writeFileSync(garbage, 'this is not a database at all, just text '.repeat(200));
    const garbageHash = hashOf(garbage);
    expect(() => openCache(garbage)).toThrow(AppError);
    expect(hashOf(garbage)).toBe(garbageHash);
  });
});
