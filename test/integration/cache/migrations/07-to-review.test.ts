/**
 * Migration 7 from version 6: the documents to review across dossiers come from a partial index that holds
 * only them, and a document joins or leaves the list as its state changes.
 */
import { afterEach, expect, it } from 'vitest';
import { cacheFileAt, closeAll, openForTest } from './support';

afterEach(closeAll);

it('version 7: the documents of version 6 with errors are to review; held or failed ones join, exported ones leave', async () => {
  const cache = openForTest(cacheFileAt(6));
  expect(cache.migratedFrom).toBe(6);
  // The seeded office: VF-002 has errors, VF-001 and AF-001 are fine.
  const numbers = () => cache.documents.toReview({ after: null }).items.map((d) => d.number);
  expect(numbers()).toEqual(['VF-002']);
  const ids = Object.fromEntries(cache.documents.toReview({ after: null }).items.map((d) => [d.number, d.id]));
  const af = cache.documents.page({ dossierId: 1, direction: 'purchase' }).items[0]!.id;
  await cache.documents.setStatus([af], 'held');
  expect(numbers().sort()).toEqual(['AF-001', 'VF-002']);
  await cache.documents.setStatus([af], 'export-failed');
  expect(cache.documents.toReview({ after: null }).total).toBe(2);
  await cache.documents.setStatus([af], 'exported');
  // A document with errors stays to review until it is deleted.
  await cache.documents.setStatus([ids['VF-002']!], 'deleted');
  expect(numbers()).toEqual([]);
});

it('pages the list on the index: one page at a time, newest first, nothing twice', async () => {
  const cache = openForTest(cacheFileAt(6));
  const all = cache.documents.page({ dossierId: 1 }).items.map((d) => d.id);
  await cache.documents.setStatus(all, 'held');
  const first = cache.documents.toReview({ after: null, limit: 2 });
  expect(first.items).toHaveLength(2);
  const second = cache.documents.toReview({ after: first.next, limit: 2 });
  expect([...first.items, ...second.items].map((d) => d.id).sort()).toEqual([...all].sort());
  expect(second.next).toBeNull();
});
