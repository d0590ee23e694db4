import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/api/errors';
import { latestVersion, openCache, type Cache } from '../../../electron/core/cache';
import { applicationId, migrate, migrations } from '../../../electron/core/cache/migrations';
import { tempDir } from './fixtures';

const open: Cache[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

function hashOf(file: string): string {
  return createHash('sha256').update(fs.readFileSync(file)).digest('hex');
}

/** What an office had in its cache at an earlier version, written with that version's SQL only. */
function seed(db: Database.Database): void {
  const at = '2024-05-01T10:00:00.000Z';
  db.prepare(
    `INSERT INTO dossiers (id, venice_id, name, sort_key, enterprise_number, email, link_state, created_at, updated_at)
     VALUES (1, 'V-001', 'Boulangerie Léon', 'boulangerie leon', '0123456749', 'leon@example.be', 'linked', ?, ?)`,
  ).run(at, at);
  const docs = db.prepare(
    `INSERT INTO documents (dossier_id, source, source_id, kind, direction, number, number_key, issue_date, buyer_name, seller_name,
       currency, total_excl_cents, total_vat_cents, total_incl_cents, payment_reference, status, validation, created_at, updated_at)
     VALUES (1, 'billit-order', ?, 'invoice', ?, ?, ?, '2024-04-01', 'Garage Lambert', 'Boulangerie Léon', 'EUR', ?, 0, ?, ?, 'new', ?, ?, ?)`,
  );
  docs.run('1', 'sales', 'VF-001', 'vf001', 10000, 10000, '090933755493', 'ok', at, at);
  docs.run('2', 'sales', 'VF-002', 'vf002', 22050, 22050, null, 'errors', at, at);
  docs.run('3', 'purchase', 'AF-001', 'af001', 500, 500, null, 'ok', at, at);
  db.prepare(
    `INSERT INTO statements (id, dossier_id, account_iban, currency, statement_number, closing_date, opening_cents, closing_cents,
       movement_count, source, source_id, created_at, updated_at)
     VALUES (1, 1, 'BE68539007547034', 'EUR', '001', '2024-04-30', 0, 10000, 1, 'billit-feed', 'f1', ?, ?)`,
  ).run(at, at);
  db.prepare(
    `INSERT INTO movements (statement_id, dossier_id, seq, amount_cents, counterparty_name, structured_ref)
     VALUES (1, 1, 1, 10000, 'Garage Lambert', '090933755493')`,
  ).run();
  db.prepare(`INSERT INTO sync_runs (id, trigger, started_at, finished_at, status) VALUES (1, 'manual', ?, ?, 'done')`).run(at, at);
  db.prepare(`INSERT INTO sync_run_dossiers (run_id, dossier_id, status, finished_at) VALUES (1, 1, 'done', ?)`).run(at);
}

describe('cache migrations', () => {
  it('keeps at least two numbered migrations, in order', () => {
    expect(migrations.length).toBeGreaterThanOrEqual(2);
    // Numbered 1, 2, 3… with no gap and no repeat: a database's user_version says exactly what it holds.
    expect(migrations.map((m) => m.version)).toEqual(migrations.map((_, i) => i + 1));
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

  it('version 4: keeps the feed items a poll brought until they are delivered, and a run’s notes', async () => {
    const file = path.join(tempDir(), 'cache.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, 3);
    seed(old);
    old.close();

    const cache = openCache(file);
    open.push(cache);
    expect(cache.migratedFrom).toBe(3);
    // Runs of version 3 have no notes; the feed has nothing pending.
    expect(cache.runs.get(1)).toMatchObject({ status: 'done', notes: [] });
    expect(cache.feed.count()).toBe(0);

    await cache.feed.replace([
      { feedItemId: 11, entityType: 'Order', entityId: 501, partyId: 7 },
      { feedItemId: 12, entityType: 'CODA', entityId: 9001, partyId: 7 },
      { feedItemId: 13, entityType: 'CODA', entityId: 9002, partyId: 8 },
    ]);
    await cache.feed.done([12]);
    expect([...cache.feed.pending()]).toEqual([
      { feedItemId: 11, entityType: 'Order', entityId: 501, partyId: 7 },
      { feedItemId: 13, entityType: 'CODA', entityId: 9002, partyId: 8 },
    ]);
    // A new poll is the truth: it replaces what the last one brought.
    await cache.feed.replace([{ feedItemId: 14, entityType: 'CODA', entityId: 9003, partyId: 8 }]);
    expect([...cache.feed.pending()].map((i) => i.feedItemId)).toEqual([14]);

    const run = await cache.runs.start({ trigger: 'manual' });
    await cache.runs.finish(run, { status: 'done', counts: { statements: 0 }, notes: [{ code: 'feed.poll-skipped', message: 'not polled' }] });
    expect(cache.runs.get(run)!.notes).toEqual([{ code: 'feed.poll-skipped', message: 'not polled' }]);
  });

  it('version 5: a dossier from version 4 has sent no login data yet, and keeps the one it is told of', async () => {
    const file = path.join(tempDir(), 'cache.sqlite');
    const old = new Database(file);
    old.pragma('journal_mode = WAL');
    migrate(old, 4);
    seed(old);
    old.close();

    const cache = openCache(file);
    open.push(cache);
    expect(cache.migratedFrom).toBe(4);
    const before = cache.dossiers.byVeniceId('V-001')!;
    expect(before.loginDataSent).toBeNull();
    expect(before.linkState).toBe('linked');
    await cache.dossiers.setLoginDataSent(before.id, { to: 'leon@example.be', at: '2024-06-01T09:30:00.000Z' });
    await cache.close();
    open.pop();

    const again = openCache(file);
    open.push(again);
    expect(again.dossiers.byVeniceId('V-001')!.loginDataSent).toEqual({ to: 'leon@example.be', at: '2024-06-01T09:30:00.000Z' });
  });

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
