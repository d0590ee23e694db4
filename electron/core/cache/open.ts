import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { AppError } from '../../../shared/api/errors';
import { applicationId, latestVersion, migrate } from './migrations';
import { ensurePrivateFile, SQLITE_COMPANIONS } from '../paths';

export interface Connections {
  /** The one connection that writes (migrations, every transaction). */
  writer: Database.Database;
  /** Reads for the UI: sees the last committed state, never a batch half-written. */
  reader: Database.Database;
  migratedFrom: number;
  /** Backup copies made before migrating (the state the user had before this version). */
  backups: string[];
}

export interface OpenConnectionOptions {
  synchronous: 'FULL' | 'NORMAL';
  /** The maintenance worker checkpoints; without it the writer checkpoints itself. */
  autoCheckpoint: boolean;
}

/**
 * Reads the schema version from the file's header without opening it with SQLite (which would
 * create -wal and -shm files beside it): the newer-database guard must change nothing at all.
 */
function checkHeader(file: string): number {
  if (!fs.existsSync(file) || fs.statSync(file).size === 0) return 0;
  const header = Buffer.alloc(100);
  const fd = fs.openSync(file, 'r');
  let read: number;
  try {
    read = fs.readSync(fd, header, 0, 100, 0);
  } finally {
    fs.closeSync(fd);
  }
  if (read < 100 || header.toString('latin1', 0, 16) !== 'SQLite format 3\0') {
    throw new AppError('database', `${file} is not a SQLite database (not a Billit Venice Link cache); nothing was changed.`, {
      reason: 'foreign-file',
      file,
    });
  }
  return guard(file, header.readUInt32BE(68), header.readInt32BE(60));
}

function guard(file: string, appId: number, version: number): number {
  if (appId !== 0 && appId !== applicationId) {
    throw new AppError('database', `${file} is not a Billit Venice Link cache; nothing was changed.`, {
      reason: 'foreign-file',
      file,
    });
  }
  if (version > latestVersion) {
    throw new AppError(
      'database',
      `The cache ${file} was written by a newer version of Billit Venice Link (schema ${version}; this version ` +
        `knows up to ${latestVersion}). Nothing was changed. Install the newer version again, or move the file ` +
        `away to start with an empty cache.`,
      { reason: 'newer-schema', found: version, supported: latestVersion, file },
    );
  }
  return version;
}

function backupPath(file: string, version: number): string {
  return `${file}.v${version}.bak`;
}

export function openConnections(file: string, options: OpenConnectionOptions): Connections {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  checkHeader(file);
  ensurePrivateFile(file, SQLITE_COMPANIONS);

  const writer = new Database(file);
  const backups: string[] = [];
  let found = 0;
  let migrating = false;
  try {
    // Again through SQLite, before any write: a WAL left by a crash may hold a newer header.
    found = guard(file, writer.pragma('application_id', { simple: true }) as number, writer.pragma('user_version', { simple: true }) as number);
    writer.pragma('journal_mode = WAL');
    writer.pragma(`synchronous = ${options.synchronous}`);
    writer.pragma('foreign_keys = ON');
    writer.pragma('busy_timeout = 5000');
    writer.pragma('temp_store = MEMORY');
    writer.pragma('cache_size = -8000');
    // After a checkpoint the WAL restarts and is cut back to this size.
    writer.pragma('journal_size_limit = 33554432');
    if (!options.autoCheckpoint) writer.pragma('wal_autocheckpoint = 0');

    if (found < latestVersion) {
      migrating = found > 0;
      migrate(writer, latestVersion, (from) => {
        if (found === 0) return; // a new file: nothing to keep
        const target = backupPath(file, from);
        fs.rmSync(target, { force: true });
        // VACUUM INTO fills an empty file as it is, so the copy is private from its first byte.
        ensurePrivateFile(target);
        writer.prepare('VACUUM INTO ?').run(target);
        backups.push(target);
      });
    }
  } catch (error) {
    writer.close();
    if (error instanceof AppError) throw error;
    const message = (error as Error).message;
    if (!migrating) throw new AppError('database', `The cache ${file} cannot be opened: ${message}`, { reason: 'unreadable', file });
    const kept = backups.length ? ` The cache as it was is kept at ${backups[0]}.` : '';
    throw new AppError('database', `The cache ${file} could not be upgraded: ${message}.${kept}`, {
      reason: 'migration-failed',
      file,
      backups,
    });
  }
  // Keep the copy of what the user had before this version; intermediate steps are not worth the disk.
  for (const extra of backups.slice(1)) fs.rmSync(extra, { force: true });

  const reader = new Database(file, { readonly: true, fileMustExist: true });
  reader.pragma('busy_timeout = 5000');
  // Mapped pages a query touches count towards the app's RSS (≤ 400 MB at 200,000 documents): a window
  // big enough for the hot indexes and recent rows, and a small page cache on top, since mapped pages
  // need no copy in it.
  reader.pragma('cache_size = -16384');
  reader.pragma('mmap_size = 67108864');
  return { writer, reader, migratedFrom: found, backups: backups.slice(0, 1) };
}
