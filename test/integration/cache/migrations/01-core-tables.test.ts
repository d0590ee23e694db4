/**
 * Migration 1 from an empty file: the core tables, with what the database itself keeps true — a dossier's
 * link history, a bank payment matched to the invoice it pays whichever of the two arrives first, no row
 * of a dossier that does not exist, each file stored once.
 */
import Database from 'better-sqlite3';
import { expect, it } from 'vitest';
import { applicationId, migrate } from '../../../../electron/core/cache/migrations';
import { cacheFileAt } from './support';

const at = '2024-05-01T10:00:00.000Z';

function emptyAtVersion1() {
  const db = new Database(cacheFileAt(0, () => undefined));
  expect(db.pragma('user_version', { simple: true })).toBe(0);
  migrate(db, 1);
  // As the app opens it.
  db.pragma('foreign_keys = ON');
  return db;
}

function addDocument(db: Database.Database, sourceId: string, reference: string | null, status = 'new', dossierId = 1) {
  return db
    .prepare(
      `INSERT INTO documents (dossier_id, source, source_id, kind, direction, number, number_key, issue_date, currency,
         total_excl_cents, total_vat_cents, total_incl_cents, payment_reference, status, created_at, updated_at)
       VALUES (?, 'billit-order', ?, 'invoice', 'sales', ?, ?, '2024-04-01', 'EUR', 100, 21, 121, ?, ?, ?, ?)`,
    )
    .run(dossierId, sourceId, `VF-${sourceId}`, `vf${sourceId}`, reference, status, at, at).lastInsertRowid as number;
}

function addMovement(db: Database.Database, seq: number, reference: string | null): number | null {
  db.prepare(`INSERT INTO movements (statement_id, dossier_id, seq, amount_cents, structured_ref) VALUES (1, 1, ?, 121, ?)`).run(seq, reference);
  return db.prepare('SELECT matched_document_id FROM movements WHERE seq = ?').pluck().get(seq) as number | null;
}

it('marks the file as this app’s cache at version 1', () => {
  const db = emptyAtVersion1();
  expect(db.pragma('user_version', { simple: true })).toBe(1);
  expect(db.pragma('application_id', { simple: true })).toBe(applicationId);
  db.close();
});

it('keeps a dossier’s link history: its first state, then each change of state, not other edits', () => {
  const db = emptyAtVersion1();
  db.prepare(`INSERT INTO dossiers (id, venice_id, name, sort_key, created_at, updated_at) VALUES (1, 'V1', 'Léon', 'leon', ?, ?)`).run(at, at);
  db.prepare(`UPDATE dossiers SET name = 'Léon BV', sort_key = 'leon bv' WHERE id = 1`).run();
  db.prepare(`UPDATE dossiers SET link_state = 'linked', billit_party_id = '77', link_state_at = '2024-05-02T08:00:00.000Z' WHERE id = 1`).run();
  db.prepare(`UPDATE dossiers SET link_state = 'linked' WHERE id = 1`).run();
  const events = db.prepare('SELECT at, state, billit_party_id FROM dossier_link_events WHERE dossier_id = 1 ORDER BY id').all();
  expect(events).toEqual([
    { at, state: 'unknown', billit_party_id: null },
    { at: '2024-05-02T08:00:00.000Z', state: 'linked', billit_party_id: '77' },
  ]);
  db.close();
});

it('matches a bank payment to the invoice its structured communication names, whichever arrives first', () => {
  const db = emptyAtVersion1();
  db.prepare(`INSERT INTO dossiers (id, venice_id, name, sort_key, created_at, updated_at) VALUES (1, 'V1', 'Léon', 'leon', ?, ?)`).run(at, at);
  db.prepare(
    `INSERT INTO statements (id, dossier_id, account_iban, currency, statement_number, closing_date, opening_cents, closing_cents, source, source_id, created_at, updated_at)
     VALUES (1, 1, 'BE68539007547034', 'EUR', '001', '2024-04-30', 0, 121, 'billit-feed', 'f1', ?, ?)`,
  ).run(at, at);
  // The payment first, then the invoice.
  expect(addMovement(db, 1, '090933755493')).toBeNull();
  const invoice = addDocument(db, '1', '090933755493');
  expect(db.prepare('SELECT matched_document_id FROM movements WHERE seq = 1').pluck().get()).toBe(invoice);
  // The invoice first, then the payment.
  const second = addDocument(db, '2', '000000000097');
  expect(addMovement(db, 2, '000000000097')).toBe(second);
  // A deleted invoice is paid by nothing; a communication naming no invoice matches none.
  addDocument(db, '3', '000000000194', 'deleted');
  expect(addMovement(db, 3, '000000000194')).toBeNull();
  expect(addMovement(db, 4, null)).toBeNull();
  db.close();
});

it('refuses a document of a dossier that does not exist, the same document twice, and a file stored twice', () => {
  const db = emptyAtVersion1();
  expect(() => addDocument(db, '1', null, 'new', 999)).toThrow(/FOREIGN KEY/);
  db.prepare(`INSERT INTO dossiers (id, venice_id, name, sort_key, created_at, updated_at) VALUES (1, 'V1', 'Léon', 'leon', ?, ?)`).run(at, at);
  addDocument(db, '1', null);
  expect(() => addDocument(db, '1', null)).toThrow(/UNIQUE/);
  const blob = db.prepare(`INSERT INTO blobs (sha256, size, bytes, created_at) VALUES ('aa', 3, x'3c613e', ?)`);
  blob.run(at);
  expect(() => blob.run(at)).toThrow(/UNIQUE|PRIMARY KEY/);
  db.close();
});
