import type Database from 'better-sqlite3';
import { coreTables } from './01-core-tables';
import { dossierStats } from './02-dossier-stats';
import { search } from './03-search';
import { feedPending } from './04-feed-pending';
import { loginDataSent } from './05-login-data';
import { officialChecks } from './06-official-checks';
import { toReview } from './07-to-review';
import type { Migration } from './migration';

export type { Migration } from './migration';

/**
 * The cache's schema as numbered migrations, one file each. A database records the last one applied in
 * `PRAGMA user_version`; opening applies the missing ones in order, each in its own transaction after a
 * backup copy.
 */
export const migrations: readonly Migration[] = [coreTables, dossierStats, search, feedPending, loginDataSent, officialChecks, toReview];

/** 'BVL1': marks the file as this app's cache, so another SQLite file is never migrated by mistake. */
export const applicationId = 0x42564c31;

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
