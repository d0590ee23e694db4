/**
 * Caches as an office had them at an earlier version: written with that version's migrations only and
 * seeded with raw SQL a cache of that version could hold, for the migration tests to upgrade.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { openCache, type Cache } from '../../../../electron/core/cache';
import { migrate } from '../../../../electron/core/cache/migrations';
import { tempDir } from '../fixtures';

const open: Cache[] = [];

/** Close every cache a test opened (each test file runs it after each test). */
export async function closeAll(): Promise<void> {
  while (open.length) await open.pop()!.close();
}

/** A cache file at `version`, seeded by `seed` with that version's SQL. */
export function cacheFileAt(version: number, seed: (db: Database.Database) => void = seedOffice): string {
  const file = path.join(tempDir(), 'cache.sqlite');
  const old = new Database(file);
  old.pragma('journal_mode = WAL');
  migrate(old, version);
  seed(old);
  old.close();
  return file;
}

/** Open with the app (which migrates to the latest version); closed after the test. */
export function openForTest(file: string): Cache {
  const cache = openCache(file);
  open.push(cache);
  return cache;
}

/** What an office had in its cache at an earlier version, written with version 1's SQL only. */
export function seedOffice(db: Database.Database): void {
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
