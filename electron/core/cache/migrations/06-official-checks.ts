import type { Migration } from './migration';

export const officialChecks: Migration = {
  version: 6,
  name: 'official check results per UBL file and rules release; hold-back decisions',
  up(db) {
    db.exec(`
      -- What the official checks (UBL schema, EN 16931 and Peppol rules) found in a UBL file, per rules release:
      -- a file is checked once whatever refers to it, and again when the release changes.
      CREATE TABLE check_results (
        sha256 TEXT NOT NULL,
        release TEXT NOT NULL,
        state TEXT NOT NULL CHECK (state IN ('done', 'failed')),
        level TEXT NOT NULL CHECK (level IN ('ok', 'warnings', 'errors')),
        findings TEXT NOT NULL,
        checked_at TEXT NOT NULL,
        PRIMARY KEY (sha256, release)
      ) WITHOUT ROWID;

      -- The background queue takes the newest unchecked documents first.
      CREATE INDEX documents_newest ON documents (issue_date, id) WHERE ubl_sha256 IS NOT NULL AND status <> 'deleted';
      CREATE INDEX documents_by_ubl ON documents (ubl_sha256) WHERE ubl_sha256 IS NOT NULL;
      -- Venice refuses a cbc:ID it already imported for the dossier.
      CREATE INDEX documents_by_number ON documents (dossier_id, direction, number_key);

      -- The accountant's word on a document Venice's import rules would refuse: 'hold' (keep it out of the
      -- export folders) or 'export' (deliver it anyway).
      CREATE TABLE document_decisions (
        document_id INTEGER PRIMARY KEY REFERENCES documents (id) ON DELETE CASCADE,
        decision TEXT NOT NULL CHECK (decision IN ('hold', 'export')),
        at TEXT NOT NULL
      );

      -- A document's validation level counts the official findings too, whatever level a sync writes
      -- (the sync knows only its fast pre-check).
      CREATE TRIGGER documents_official_level_insert AFTER INSERT ON documents
      WHEN NEW.ubl_sha256 IS NOT NULL AND NEW.validation <> 'errors' BEGIN
        UPDATE documents SET validation = 'errors'
        WHERE id = NEW.id AND EXISTS (SELECT 1 FROM check_results WHERE sha256 = NEW.ubl_sha256 AND level = 'errors');
        UPDATE documents SET validation = 'warnings'
        WHERE id = NEW.id AND validation IN ('ok', 'unchecked') AND EXISTS (SELECT 1 FROM check_results WHERE sha256 = NEW.ubl_sha256 AND level = 'warnings');
      END;
      CREATE TRIGGER documents_official_level_update AFTER UPDATE OF validation, ubl_sha256 ON documents
      WHEN NEW.ubl_sha256 IS NOT NULL AND NEW.validation <> 'errors' BEGIN
        UPDATE documents SET validation = 'errors'
        WHERE id = NEW.id AND EXISTS (SELECT 1 FROM check_results WHERE sha256 = NEW.ubl_sha256 AND level = 'errors');
        UPDATE documents SET validation = 'warnings'
        WHERE id = NEW.id AND validation IN ('ok', 'unchecked') AND EXISTS (SELECT 1 FROM check_results WHERE sha256 = NEW.ubl_sha256 AND level = 'warnings');
      END;
    `);
  },
};
