/**
 * Migration 5 from version 4: a dossier keeps to whom and when its entrepreneur's login data were sent.
 */
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

it('version 5: a dossier from version 4 has sent no login data yet, and keeps the one it is told of', async () => {
  const file = path.join(tempDir(), 'cache.sqlite');
  const old = new Database(file);
  old.pragma('journal_mode = WAL');
  migrate(old, 4);
  seed(old);
  old.close();

  const cache = openCache(file);
  open.push(cache);
  expect(cache.migratedFrom).toBe(4);
  const before = cache.dossiers.byVeniceId('V-001')!;
  expect(before.loginDataSent).toBeNull();
  expect(before.linkState).toBe('linked');
  await cache.dossiers.setLoginDataSent(before.id, { to: 'leon@example.be', at: '2024-06-01T09:30:00.000Z' });
  await cache.close();
  open.pop();

  const again = openCache(file);
  open.push(again);
  expect(again.dossiers.byVeniceId('V-001')!.loginDataSent).toEqual({ to: 'leon@example.be', at: '2024-06-01T09:30:00.000Z' });
});
