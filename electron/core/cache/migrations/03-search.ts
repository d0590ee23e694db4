import { vocabularyWords } from '../normalize';
import type { Migration } from './migration';

export const search: Migration = {
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
};
