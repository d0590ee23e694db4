/**
 * Migration 4 from version 3: the feed items a poll brought are kept until each is delivered, and a sync
 * run keeps its notes.
 */
import { asRunId } from '../../../../shared/api/ids';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../../electron/core/cache';
import { migrate } from '../../../../electron/core/cache/migrations';
import { tempDir } from '../fixtures';
import { seedOffice as seed } from './support';

const open: Cache[] = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
});

it('version 4: keeps the feed items a poll brought until they are delivered, and a run’s notes', async () => {
  const file = path.join(tempDir(), 'cache.sqlite');
  const old = new Database(file);
  old.pragma('journal_mode = WAL');
  migrate(old, 3);
  seed(old);
  old.close();

  const cache = openCache(file);
  open.push(cache);
  expect(cache.migratedFrom).toBe(3);
  // Runs of version 3 have no notes; the feed has nothing pending.
  expect(cache.runs.get(asRunId(1))).toMatchObject({ status: 'done', notes: [] });
  expect(cache.feed.count()).toBe(0);

  await cache.feed.replace([
    { feedItemId: 11, entityType: 'Order', entityId: 501, partyId: 7 },
    { feedItemId: 12, entityType: 'CODA', entityId: 9001, partyId: 7 },
    { feedItemId: 13, entityType: 'CODA', entityId: 9002, partyId: 8 },
  ]);
  await cache.feed.done([12]);
  expect([...cache.feed.pending()]).toEqual([
    { feedItemId: 11, entityType: 'Order', entityId: 501, partyId: 7 },
    { feedItemId: 13, entityType: 'CODA', entityId: 9002, partyId: 8 },
  ]);
  // A new poll is the truth: it replaces what the last one brought.
  await cache.feed.replace([{ feedItemId: 14, entityType: 'CODA', entityId: 9003, partyId: 8 }]);
  expect([...cache.feed.pending()].map((i) => i.feedItemId)).toEqual([14]);

  const run = await cache.runs.start({ trigger: 'manual' });
  await cache.runs.finish(run, { status: 'done', counts: { statements: 0 }, notes: [{ code: 'feed.poll-skipped', message: 'not polled' }] });
  expect(cache.runs.get(run)!.notes).toEqual([{ code: 'feed.poll-skipped', message: 'not polled' }]);
});
