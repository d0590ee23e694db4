import type Database from 'better-sqlite3';
import { scrub } from '../log';
import type { Tx } from './writer';

/**
 * A row as SQLite returns it. Column types are only known by the schema, so each repository maps
 * its rows to typed records in one function (`toDossier`, `toDocument`…) and nowhere else.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Row = Record<string, any>;

/** What every repository gets: cached statements on both connections and the write queue. */
export interface Ctx {
  /** A prepared statement on the reader (committed state only). */
  r(sql: string): Database.Statement;
  /** A prepared statement on the writer; use only inside `write`. */
  w(sql: string): Database.Statement;
  write<T>(fn: (tx: Tx) => T | Promise<T>): Promise<T>;
  now(): string;
}

export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let stmt = cache.get(sql);
    if (!stmt) cache.set(sql, (stmt = db.prepare(sql)));
    return stmt;
  };
}

// ---------------------------------------------------------------- values

/** JSON for a column; free text is scrubbed of registered secrets before it can reach the file. */
export function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return scrub(JSON.stringify(value));
}

export function fromJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}

/** Free text from outside (error messages, reasons) never carries a secret into the database. */
export function safeText(value: string | null | undefined): string | null {
  return value == null ? null : scrub(value);
}

// ---------------------------------------------------------------- keyset paging

export const defaultPageSize = 200;
export const maxPageSize = 1000;

export function pageSize(limit: number | undefined): number {
  if (limit === undefined) return defaultPageSize;
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`page limit must be a positive integer, got ${limit}`);
  return Math.min(limit, maxPageSize);
}

/** The cursor is the last row's sort key, opaque to the caller. */
export function encodeCursor(key: readonly (string | number | null)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | null | undefined, arity: number): (string | number | null)[] | null {
  if (!cursor) return null;
  let key: unknown;
  try {
    key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new RangeError('invalid page cursor');
  }
  if (!Array.isArray(key) || key.length !== arity || !key.every((v) => v === null || ['string', 'number'].includes(typeof v))) {
    throw new RangeError('invalid page cursor');
  }
  return key as (string | number | null)[];
}

/** Fetches limit + 1 rows to know whether another page follows. */
export function toPage<Row, T>(rows: Row[], limit: number, map: (row: Row) => T, key: (row: Row) => (string | number | null)[]) {
  const more = rows.length > limit;
  const items = (more ? rows.slice(0, limit) : rows).map(map);
  return { items, next: more ? encodeCursor(key(rows[limit - 1]!)) : null };
}
