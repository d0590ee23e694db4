import type Database from 'better-sqlite3';
import { vocabularyWords } from './normalize';

/**
 * The cache's schema as numbered migrations. A database records the last one applied in
 * `PRAGMA user_version`; opening applies the missing ones in order, each in its own
 * transaction after a backup copy. Never edit a released migration: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}

/** 'BVL1': marks the file as this app's cache, so another SQLite file is never migrated by mistake. */
export const applicationId = 0x42564c31;

export const migrations: Migration[] = [
  {
    version: 1,
    name: 'core tables',
    up(db) {
      db.exec(`
        CREATE TABLE accounts (
          id TEXT PRIMARY KEY,
          kind TEXT NOT NULL CHECK (kind IN ('billit', 'venice')),
          environment TEXT NOT NULL,
          auth TEXT NOT NULL,
          label TEXT NOT NULL,
          last_verified_at TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );

        CREATE TABLE dossiers (
          id INTEGER PRIMARY KEY,
          venice_id TEXT NOT NULL UNIQUE,
          name TEXT NOT NULL,
          sort_key TEXT NOT NULL,
          enterprise_number TEXT,
          email TEXT,
          language TEXT,
          address TEXT,
          billit_party_id TEXT,
          link_state TEXT NOT NULL DEFAULT 'unknown',
          link_reason TEXT,
          link_state_at TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );
        CREATE INDEX dossiers_by_name ON dossiers (sort_key, id);
        CREATE INDEX dossiers_by_enterprise ON dossiers (enterprise_number) WHERE enterprise_number IS NOT NULL;
        CREATE INDEX dossiers_by_party ON dossiers (billit_party_id) WHERE billit_party_id IS NOT NULL;

        CREATE TABLE dossier_link_events (
          id INTEGER PRIMARY KEY,
          dossier_id INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
          at TEXT NOT NULL,
          state TEXT NOT NULL,
          reason TEXT,
          billit_party_id TEXT
        );
        CREATE INDEX link_events_by_dossier ON dossier_link_events (dossier_id, id);
        CREATE TRIGGER dossiers_link_history_insert AFTER INSERT ON dossiers BEGIN
          INSERT INTO dossier_link_events (dossier_id, at, state, reason, billit_party_id)
          VALUES (NEW.id, coalesce(NEW.link_state_at, NEW.updated_at), NEW.link_state, NEW.link_reason, NEW.billit_party_id);
        END;
        CREATE TRIGGER dossiers_link_history_update AFTER UPDATE OF link_state ON dossiers
        WHEN OLD.link_state IS NOT NEW.link_state BEGIN
          INSERT INTO dossier_link_events (dossier_id, at, state, reason, billit_party_id)
          VALUES (NEW.id, coalesce(NEW.link_state_at, NEW.updated_at), NEW.link_state, NEW.link_reason, NEW.billit_party_id);
        END;

        CREATE TABLE parties (
          id INTEGER PRIMARY KEY,
          dossier_id INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
          role TEXT NOT NULL CHECK (role IN ('customer', 'supplier')),
          venice_number TEXT NOT NULL,
          name TEXT NOT NULL,
          sort_key TEXT NOT NULL,
          enterprise_number TEXT,
          vat_number TEXT,
          email TEXT,
          iban TEXT,
          language TEXT,
          address TEXT,
          billit_party_id TEXT,
          billit_status TEXT,
          billit_reason TEXT,
          billit_synced_at TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          UNIQUE (dossier_id, role, venice_number)
        );
        CREATE INDEX parties_by_name ON parties (dossier_id, role, sort_key, id);

        -- Original files (UBL, PDF, CODA), each stored once whatever refers to it.
        CREATE TABLE blobs (
          sha256 TEXT PRIMARY KEY,
          size INTEGER NOT NULL,
          bytes BLOB NOT NULL,
          created_at TEXT NOT NULL
        );

        CREATE TABLE documents (
          id INTEGER PRIMARY KEY,
          dossier_id INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
          source TEXT NOT NULL,
          source_id TEXT NOT NULL,
          source_ids TEXT,
          kind TEXT NOT NULL CHECK (kind IN ('invoice', 'credit-note')),
          direction TEXT NOT NULL CHECK (direction IN ('sales', 'purchase')),
          number TEXT NOT NULL,
          number_key TEXT NOT NULL,
          issue_date TEXT NOT NULL,
          due_date TEXT,
          seller_name TEXT,
          seller_enterprise TEXT,
          seller_vat TEXT,
          buyer_name TEXT,
          buyer_enterprise TEXT,
          buyer_vat TEXT,
          party_id INTEGER REFERENCES parties (id) ON DELETE SET NULL,
          currency TEXT NOT NULL,
          total_excl_cents INTEGER NOT NULL,
          total_vat_cents INTEGER NOT NULL,
          total_incl_cents INTEGER NOT NULL,
          payable_cents INTEGER,
          payment_reference TEXT,
          status TEXT NOT NULL DEFAULT 'new',
          validation TEXT NOT NULL DEFAULT 'unchecked',
          findings TEXT,
          ubl_sha256 TEXT,
          pdf_sha256 TEXT,
          remote_modified_at TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          UNIQUE (dossier_id, source, source_id)
        );
        CREATE INDEX documents_page ON documents (dossier_id, issue_date, id);
        CREATE INDEX documents_page_direction ON documents (dossier_id, direction, issue_date, id);
        CREATE INDEX documents_page_status ON documents (dossier_id, status, issue_date, id);
        CREATE INDEX documents_by_reference ON documents (dossier_id, payment_reference) WHERE payment_reference IS NOT NULL;
        CREATE INDEX documents_by_party ON documents (party_id) WHERE party_id IS NOT NULL;

        CREATE TABLE statements (
          id INTEGER PRIMARY KEY,
          dossier_id INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
          account_iban TEXT NOT NULL,
          currency TEXT NOT NULL,
          statement_number TEXT NOT NULL,
          opening_date TEXT,
          closing_date TEXT NOT NULL,
          opening_cents INTEGER NOT NULL,
          closing_cents INTEGER NOT NULL,
          movement_count INTEGER NOT NULL DEFAULT 0,
          movements_digest TEXT,
          coda_sha256 TEXT,
          source TEXT NOT NULL,
          source_id TEXT NOT NULL,
          source_ids TEXT,
          status TEXT NOT NULL DEFAULT 'new',
          validation TEXT NOT NULL DEFAULT 'unchecked',
          findings TEXT,
          created_at TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          UNIQUE (dossier_id, account_iban, statement_number, closing_date)
        );
        CREATE INDEX statements_page ON statements (dossier_id, account_iban, closing_date, id);
        CREATE INDEX statements_by_iban ON statements (account_iban, closing_date, id);
        CREATE INDEX statements_by_source ON statements (source, source_id);

        CREATE TABLE movements (
          id INTEGER PRIMARY KEY,
          statement_id INTEGER NOT NULL REFERENCES statements (id) ON DELETE CASCADE,
          dossier_id INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          entry_date TEXT,
          value_date TEXT,
          amount_cents INTEGER NOT NULL,
          counterparty_name TEXT,
          counterparty_iban TEXT,
          counterparty_bic TEXT,
          communication TEXT,
          structured_ref TEXT,
          transaction_code TEXT,
          bank_ref TEXT,
          details TEXT,
          matched_document_id INTEGER REFERENCES documents (id) ON DELETE SET NULL,
          UNIQUE (statement_id, seq)
        );
        CREATE INDEX movements_by_reference ON movements (dossier_id, structured_ref) WHERE structured_ref IS NOT NULL;
        CREATE INDEX movements_by_document ON movements (matched_document_id) WHERE matched_document_id IS NOT NULL;

        -- Which invoice a structured communication pays, whichever of the two arrives first.
        CREATE TRIGGER movements_match AFTER INSERT ON movements WHEN NEW.structured_ref IS NOT NULL BEGIN
          UPDATE movements SET matched_document_id = (
            SELECT id FROM documents
            WHERE dossier_id = NEW.dossier_id AND payment_reference = NEW.structured_ref AND status <> 'deleted'
            ORDER BY id LIMIT 1)
          WHERE id = NEW.id;
        END;
        CREATE TRIGGER documents_match_insert AFTER INSERT ON documents WHEN NEW.payment_reference IS NOT NULL BEGIN
          UPDATE movements SET matched_document_id = NEW.id
          WHERE dossier_id = NEW.dossier_id AND structured_ref = NEW.payment_reference AND matched_document_id IS NULL;
        END;
        CREATE TRIGGER documents_match_update AFTER UPDATE OF payment_reference ON documents
        WHEN NEW.payment_reference IS NOT NULL AND OLD.payment_reference IS NOT NEW.payment_reference BEGIN
          UPDATE movements SET matched_document_id = NEW.id
          WHERE dossier_id = NEW.dossier_id AND structured_ref = NEW.payment_reference AND matched_document_id IS NULL;
        END;

        CREATE TABLE sync_cursors (
          key TEXT PRIMARY KEY,
          value TEXT NOT NULL,
          updated_at TEXT NOT NULL
        );

        CREATE TABLE sync_runs (
          id INTEGER PRIMARY KEY,
          trigger TEXT NOT NULL,
          scope TEXT,
          pid INTEGER,
          started_at TEXT NOT NULL,
          finished_at TEXT,
          status TEXT NOT NULL,
          counts TEXT,
          error TEXT
        );
        CREATE INDEX sync_runs_by_status ON sync_runs (status) WHERE status = 'running';

        CREATE TABLE sync_run_dossiers (
          run_id INTEGER NOT NULL REFERENCES sync_runs (id) ON DELETE CASCADE,
          dossier_id INTEGER NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
          status TEXT NOT NULL,
          counts TEXT,
          error TEXT,
          finished_at TEXT NOT NULL,
          PRIMARY KEY (run_id, dossier_id)
        );
        CREATE INDEX sync_run_dossiers_by_dossier ON sync_run_dossiers (dossier_id, finished_at);

        -- What the app did on the user's behalf.
        CREATE TABLE audit_log (
          id INTEGER PRIMARY KEY,
          at TEXT NOT NULL,
          actor TEXT NOT NULL,
          action TEXT NOT NULL,
          dossier_id INTEGER,
          subject TEXT,
          details TEXT
        );
        CREATE INDEX audit_by_dossier ON audit_log (dossier_id, id) WHERE dossier_id IS NOT NULL;
      `);
    },
  },
  {
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
  },
  {
    version: 3,
    name: 'full-text search across dossiers',
    up(db) {
      // Contentless: the text lives in the tables above; the index holds only tokens. The rowid
      // encodes the row: id * 8 + kind (0 dossier, 1 party, 2 document, 3 movement). The scope
      // column holds 'k<kind> d<dossier id>' so a search within one dossier or kind is an index
      // intersection. The repositories keep it current (search-index.ts), not triggers: FTS5 writes
      // its pending tokens out at every statement savepoint, and a trigger makes every row one.
      db.exec(`
        CREATE VIRTUAL TABLE search USING fts5 (
          names, numbers, amounts, comms, scope,
          content = '', contentless_delete = 1,
          tokenize = 'unicode61 remove_diacritics 2',
          prefix = '2 3'
        );

        -- What earlier versions already held.
        INSERT INTO search (rowid, names, numbers, amounts, comms, scope)
          SELECT id * 8, name, concat_ws(' ', enterprise_number, venice_id, billit_party_id), '', email, 'k0 d' || id FROM dossiers;
        INSERT INTO search (rowid, names, numbers, amounts, comms, scope)
          SELECT id * 8 + 1, name, concat_ws(' ', enterprise_number, vat_number, venice_number, iban), '', email, 'k1 d' || dossier_id FROM parties;
        INSERT INTO search (rowid, names, numbers, amounts, comms, scope)
          SELECT id * 8 + 2,
            CASE direction WHEN 'sales' THEN buyer_name ELSE seller_name END,
            concat_ws(' ', number, number_key, CASE direction WHEN 'sales' THEN buyer_enterprise ELSE seller_enterprise END),
            concat_ws(' ', 'a' || abs(total_incl_cents), 'a' || abs(total_excl_cents)),
            payment_reference, 'k2 d' || dossier_id
          FROM documents WHERE status <> 'deleted';
        INSERT INTO search (rowid, names, numbers, amounts, comms, scope)
          SELECT id * 8 + 3, counterparty_name, concat_ws(' ', counterparty_iban, bank_ref),
            'a' || abs(amount_cents), concat_ws(' ', structured_ref, communication), 'k3 d' || dossier_id
          FROM movements;

        -- The words of names and communications, for prefix search (see normalize.ts, Expand).
        CREATE TABLE search_words (word TEXT PRIMARY KEY) WITHOUT ROWID;
      `);
      const add = db.prepare('INSERT OR IGNORE INTO search_words (word) VALUES (?)');
      const texts = db.prepare(`
        SELECT name FROM dossiers UNION SELECT name FROM parties
        UNION SELECT buyer_name FROM documents UNION SELECT seller_name FROM documents
        UNION SELECT counterparty_name FROM movements UNION SELECT communication FROM movements`);
      for (const text of texts.pluck().all() as (string | null)[]) for (const word of vocabularyWords(text)) add.run(word);
    },
  },
  {
    version: 4,
    name: 'accountant-feed items fetched and not yet delivered; notes of a sync run',
    up(db) {
      // Billit allows one feed poll a minute: the items a poll brought are kept (in the commit that records
      // the poll) until each is delivered and confirmed, so a run killed before it finished them is finished
      // by the next one without polling again. A poll replaces the list: Billit's is the truth then.
      db.exec(`
        CREATE TABLE feed_pending (
          feed_item_id INTEGER PRIMARY KEY,
          entity_type TEXT NOT NULL,
          entity_id INTEGER NOT NULL,
          party_id INTEGER NOT NULL
        );
        ALTER TABLE sync_runs ADD COLUMN notes TEXT;
      `);
    },
  },
  {
    version: 5,
    name: 'login data sent to a dossier’s entrepreneur: to whom and when',
    up(db) {
      db.exec(`
        ALTER TABLE dossiers ADD COLUMN login_data_sent_to TEXT;
        ALTER TABLE dossiers ADD COLUMN login_data_sent_at TEXT;
      `);
    },
  },
  {
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
  },
];

export const latestVersion = migrations[migrations.length - 1]!.version;

/** Applies migrations after the database's current version up to `target` (each in its own transaction). */
export function migrate(
  db: Database.Database,
  target = latestVersion,
  beforeEach?: (from: number, to: number) => void,
): { from: number; to: number } {
  const from = db.pragma('user_version', { simple: true }) as number;
  let current = from;
  for (const m of migrations) {
    if (m.version <= current || m.version > target) continue;
    beforeEach?.(current, m.version);
    db.transaction(() => {
      m.up(db);
      if (current === 0) db.pragma(`application_id = ${applicationId}`);
      db.pragma(`user_version = ${m.version}`);
    }).immediate();
    current = m.version;
  }
  return { from, to: current };
}
