import type { Migration } from './migration';

export const dossierStats: Migration = {
  version: 2,
  name: 'per-dossier counts kept in the same transaction as the rows they count',
  up(db) {
    db.exec(`
      CREATE TABLE dossier_stats (
        dossier_id INTEGER PRIMARY KEY REFERENCES dossiers (id) ON DELETE CASCADE,
        sales INTEGER NOT NULL DEFAULT 0,
        purchases INTEGER NOT NULL DEFAULT 0,
        problems INTEGER NOT NULL DEFAULT 0,
        to_export INTEGER NOT NULL DEFAULT 0,
        statements INTEGER NOT NULL DEFAULT 0,
        last_sync_at TEXT,
        last_sync_status TEXT,
        last_sync_error TEXT
      );

      CREATE TRIGGER dossier_stats_create AFTER INSERT ON dossiers BEGIN
        INSERT INTO dossier_stats (dossier_id) VALUES (NEW.id);
      END;

      CREATE TRIGGER documents_count_insert AFTER INSERT ON documents BEGIN
        UPDATE dossier_stats SET
          sales = sales + (NEW.direction = 'sales' AND NEW.status <> 'deleted'),
          purchases = purchases + (NEW.direction = 'purchase' AND NEW.status <> 'deleted'),
          problems = problems + (NEW.validation = 'errors' AND NEW.status <> 'deleted'),
          to_export = to_export + (NEW.status IN ('new', 'export-failed'))
        WHERE dossier_id = NEW.dossier_id;
      END;
      CREATE TRIGGER documents_count_delete AFTER DELETE ON documents BEGIN
        UPDATE dossier_stats SET
          sales = sales - (OLD.direction = 'sales' AND OLD.status <> 'deleted'),
          purchases = purchases - (OLD.direction = 'purchase' AND OLD.status <> 'deleted'),
          problems = problems - (OLD.validation = 'errors' AND OLD.status <> 'deleted'),
          to_export = to_export - (OLD.status IN ('new', 'export-failed'))
        WHERE dossier_id = OLD.dossier_id;
      END;
      CREATE TRIGGER documents_count_update AFTER UPDATE OF dossier_id, direction, status, validation ON documents BEGIN
        UPDATE dossier_stats SET
          sales = sales - (OLD.direction = 'sales' AND OLD.status <> 'deleted'),
          purchases = purchases - (OLD.direction = 'purchase' AND OLD.status <> 'deleted'),
          problems = problems - (OLD.validation = 'errors' AND OLD.status <> 'deleted'),
          to_export = to_export - (OLD.status IN ('new', 'export-failed'))
        WHERE dossier_id = OLD.dossier_id;
        UPDATE dossier_stats SET
          sales = sales + (NEW.direction = 'sales' AND NEW.status <> 'deleted'),
          purchases = purchases + (NEW.direction = 'purchase' AND NEW.status <> 'deleted'),
          problems = problems + (NEW.validation = 'errors' AND NEW.status <> 'deleted'),
          to_export = to_export + (NEW.status IN ('new', 'export-failed'))
        WHERE dossier_id = NEW.dossier_id;
      END;

      CREATE TRIGGER statements_count_insert AFTER INSERT ON statements BEGIN
        UPDATE dossier_stats SET statements = statements + 1 WHERE dossier_id = NEW.dossier_id;
      END;
      CREATE TRIGGER statements_count_delete AFTER DELETE ON statements BEGIN
        UPDATE dossier_stats SET statements = statements - 1 WHERE dossier_id = OLD.dossier_id;
      END;
      CREATE TRIGGER statements_count_update AFTER UPDATE OF dossier_id ON statements BEGIN
        UPDATE dossier_stats SET statements = statements - 1 WHERE dossier_id = OLD.dossier_id;
        UPDATE dossier_stats SET statements = statements + 1 WHERE dossier_id = NEW.dossier_id;
      END;

      CREATE TRIGGER run_dossier_last_sync AFTER INSERT ON sync_run_dossiers BEGIN
        UPDATE dossier_stats SET last_sync_at = NEW.finished_at, last_sync_status = NEW.status, last_sync_error = NEW.error
        WHERE dossier_id = NEW.dossier_id AND (last_sync_at IS NULL OR last_sync_at <= NEW.finished_at);
      END;
      CREATE TRIGGER run_dossier_last_sync_update AFTER UPDATE ON sync_run_dossiers BEGIN
        UPDATE dossier_stats SET last_sync_at = NEW.finished_at, last_sync_status = NEW.status, last_sync_error = NEW.error
        WHERE dossier_id = NEW.dossier_id AND (last_sync_at IS NULL OR last_sync_at <= NEW.finished_at);
      END;

      -- What version 1 already held.
      INSERT INTO dossier_stats (dossier_id, sales, purchases, problems, to_export, statements)
      SELECT d.id,
        (SELECT count(*) FROM documents WHERE dossier_id = d.id AND direction = 'sales' AND status <> 'deleted'),
        (SELECT count(*) FROM documents WHERE dossier_id = d.id AND direction = 'purchase' AND status <> 'deleted'),
        (SELECT count(*) FROM documents WHERE dossier_id = d.id AND validation = 'errors' AND status <> 'deleted'),
        (SELECT count(*) FROM documents WHERE dossier_id = d.id AND status IN ('new', 'export-failed')),
        (SELECT count(*) FROM statements WHERE dossier_id = d.id)
      FROM dossiers d;
      UPDATE dossier_stats SET (last_sync_at, last_sync_status, last_sync_error) = (
        SELECT finished_at, status, error FROM sync_run_dossiers r
        WHERE r.dossier_id = dossier_stats.dossier_id ORDER BY finished_at DESC LIMIT 1)
      WHERE EXISTS (SELECT 1 FROM sync_run_dossiers r WHERE r.dossier_id = dossier_stats.dossier_id);
    `);
  },
};
