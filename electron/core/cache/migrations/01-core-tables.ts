import type { Migration } from './migration';

export const coreTables: Migration = {
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
};
