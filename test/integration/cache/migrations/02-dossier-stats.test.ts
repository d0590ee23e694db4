/**
 * Migration 2 from version 1: each dossier's counts (sales, purchases, problems, to export, statements) and
 * last sync, derived from what version 1 held and then kept in the same transaction as the rows they count.
 */
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/cache/migrations';
import { cacheFileAt, closeAll, openForTest } from './support';

afterEach(closeAll);

const stats = (db: Database.Database, dossierId = 1) =>
  db.prepare('SELECT sales, purchases, problems, to_export, statements, last_sync_at, last_sync_status FROM dossier_stats WHERE dossier_id = ?').get(dossierId);

it('derives each dossier’s counts and last sync from what version 1 held', () => {
  const file = cacheFileAt(1);
  const db = new Database(file);
  migrate(db, 2);
  expect(stats(db)).toEqual({ sales: 2, purchases: 1, problems: 1, to_export: 3, statements: 1, last_sync_at: '2024-05-01T10:00:00.000Z', last_sync_status: 'done' });
  db.close();
});

it('keeps the counts in step with every later write, and the last sync the latest one', async () => {
  const file = cacheFileAt(1);
  const db = new Database(file);
  migrate(db, 2);
  const at = '2024-06-01T10:00:00.000Z';
  // An invoice deleted in Billit no longer counts; one exported is no longer to export.
  db.prepare(`UPDATE documents SET status = 'deleted' WHERE number = 'VF-002'`).run();
  db.prepare(`UPDATE documents SET status = 'exported' WHERE number = 'AF-001'`).run();
  db.prepare('DELETE FROM statements WHERE id = 1').run();
  db.prepare(`INSERT INTO sync_runs (id, trigger, started_at, status) VALUES (2, 'schedule', ?, 'running')`).run(at);
  db.prepare(`INSERT INTO sync_run_dossiers (run_id, dossier_id, status, error, finished_at) VALUES (2, 1, 'failed', 'offline', ?)`).run(at);
  // A run that finished earlier does not replace the later one.
  db.prepare(`INSERT INTO sync_runs (id, trigger, started_at, status) VALUES (3, 'manual', ?, 'done')`).run(at);
  db.prepare(`INSERT INTO sync_run_dossiers (run_id, dossier_id, status, finished_at) VALUES (3, 1, 'done', '2024-05-15T10:00:00.000Z')`).run();
  expect(stats(db)).toEqual({ sales: 1, purchases: 1, problems: 0, to_export: 1, statements: 0, last_sync_at: at, last_sync_status: 'failed' });
  // A new dossier starts at zero.
  db.prepare(`INSERT INTO dossiers (id, venice_id, name, sort_key, created_at, updated_at) VALUES (2, 'V-002', 'Dupont', 'dupont', ?, ?)`).run(at, at);
  expect(stats(db, 2)).toEqual({ sales: 0, purchases: 0, problems: 0, to_export: 0, statements: 0, last_sync_at: null, last_sync_status: null });
  db.close();

  // The app reads them as the dossier list's counts.
  const cache = openForTest(file);
  expect(cache.migratedFrom).toBe(2);
  const leon = cache.dossiers.page().items.find((d) => d.veniceId === 'V-001')!;
  expect(leon.counts).toEqual({ sales: 1, purchases: 1, problems: 0, toExport: 1, statements: 0 });
  expect(leon.lastSync).toMatchObject({ status: 'failed' });
});
