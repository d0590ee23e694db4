import type Database from 'better-sqlite3';

/**
 * One step of the cache's schema. Its file is numbered like its version (`07-….ts` is version 7) and it has
 * a test that builds the version before it, seeds it, migrates and checks what the step adds. Never edit a
 * released migration: add the next number.
 */
export interface Migration {
  version: number;
  name: string;
  up(db: Database.Database): void;
}
