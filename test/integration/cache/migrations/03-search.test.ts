/**
 * Migration 3 from version 2: full-text search across dossiers covers what the cache held before it
 * existed — names, numbers, amounts, e-mail addresses and structured communications — and the words of
 * names for prefix search.
 */
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { migrate } from '../../../../electron/core/cache/migrations';
import { cacheFileAt, closeAll, openForTest, seedOffice } from './support';

afterEach(closeAll);

const sorted = (hits: { kind: string; id: number }[]) => hits.map((h) => `${h.kind} ${h.id}`).sort();

it('finds in the dossiers, customers, invoices and payments version 2 held', () => {
  const file = cacheFileAt(2, (db) => {
    seedOffice(db);
    db.prepare(
      `INSERT INTO parties (id, dossier_id, role, venice_number, name, sort_key, enterprise_number, email, created_at, updated_at)
       VALUES (1, 1, 'customer', '400001', 'Garage Lambert SRL', 'garage lambert srl', '0477472701', 'info@lambert.be', 'x', 'x')`,
    ).run();
  });
  const cache = openForTest(file);
  expect(cache.migratedFrom).toBe(2);

  // Names, whole and by prefix (the words version 2 held are known to the prefix search).
  expect(sorted(cache.search('lambert').items)).toEqual(['document 1', 'document 2', 'movement 1', 'party 1']);
  expect(sorted(cache.search('boulang').items)).toEqual(['document 3', 'dossier 1']);
  // Numbers: enterprise number, Venice id, invoice number, e-mail.
  expect(sorted(cache.search('0123456749').items)).toEqual(['dossier 1']);
  expect(sorted(cache.search('V-001').items)).toEqual(['dossier 1']);
  expect(sorted(cache.search('0477472701').items)).toEqual(['party 1']);
  expect(sorted(cache.search('vf-002').items)).toEqual(['document 2']);
  expect(sorted(cache.search('leon@example.be').items)).toEqual(['dossier 1']);
  // Amounts in Belgian notation, and the structured communication that links a payment to its invoice.
  expect(sorted(cache.search('220,50').items)).toEqual(['document 2']);
  expect(sorted(cache.search('+++090/9337/55493+++').items)).toEqual(['document 1', 'movement 1']);
});

it('knows the words of the names version 2 held, for prefix search, once at version 3', () => {
  const db = new Database(cacheFileAt(2));
  migrate(db, 3);
  expect(db.pragma('user_version', { simple: true })).toBe(3);
  const words = db.prepare('SELECT word FROM search_words').pluck().all() as string[];
  expect(words).toEqual(expect.arrayContaining(['boulangerie', 'leon', 'garage', 'lambert']));
  db.close();
});
