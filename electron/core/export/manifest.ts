/**
 * The manifest beside the exports: `<root>/.billit-venice-manifest.jsonl`, one JSON line per file written,
 * appended with O_APPEND so several desktops writing to one shared folder add to it without rewriting it,
 * and read incrementally (from the last offset) before each file so each desktop sees what the others wrote.
 *
 * Every record is written as `\n{json}\n` in one write: a line torn by a crash elsewhere stays a line of
 * its own (skipped as unreadable) instead of swallowing the next record. Blank lines are ignored.
 */
import os from 'node:os';
import path from 'node:path';
import { isExportKind, type ExportKind } from '../../../shared/export';
import { toExportError } from './errors';
import { errnoOf, type ExportFs } from './fs-port';

export const manifestFileName = '.billit-venice-manifest.jsonl';

export interface ManifestRecord {
  /** Path under the root, with `/`. */
  path: string;
  sha256: string;
  size: number;
  dossierId: string;
  kind: ExportKind;
  documentId: string;
  at: string;
  host: string;
  /**
   * Where these bytes were before, when they were moved here (an export again into a changed layout):
   * the files at those paths are gone, and readers forget them.
   */
  movedFrom?: string[];
}

export function manifestPath(realRoot: string): string {
  return path.join(realRoot, manifestFileName);
}

function isSafeRelative(p: string): boolean {
  if (p === '' || p.startsWith('/') || p.includes('\\') || /^[A-Za-z]:/.test(p)) return false;
  return p.split('/').every((s) => s !== '' && s !== '.' && s !== '..');
}

function parseLine(line: string): ManifestRecord | null {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof raw !== 'object' || raw === null) return null;
  const r = raw as Record<string, unknown>;
  if (r.v !== 1) return null;
  const str = (v: unknown) => typeof v === 'string' && v.length > 0 && v.length <= 4096;
  if (!str(r.path) || !isSafeRelative(r.path as string)) return null;
  if (typeof r.sha256 !== 'string' || !/^[0-9a-f]{64}$/.test(r.sha256)) return null;
  if (typeof r.size !== 'number' || !Number.isSafeInteger(r.size) || r.size < 0) return null;
  if (!str(r.dossier) || !str(r.doc) || !isExportKind(r.kind) || !str(r.at)) return null;
  const from = Array.isArray(r.from) ? r.from.filter((f): f is string => str(f) && isSafeRelative(f as string)) : [];
  return {
    path: r.path as string,
    sha256: r.sha256,
    size: r.size,
    dossierId: r.dossier as string,
    kind: r.kind,
    documentId: r.doc as string,
    at: r.at as string,
    host: typeof r.host === 'string' ? r.host.slice(0, 200) : '',
    ...(from.length ? { movedFrom: from } : {}),
  };
}

export function formatRecord(record: Omit<ManifestRecord, 'host'> & { host?: string }): string {
  return JSON.stringify({
    v: 1,
    path: record.path,
    sha256: record.sha256,
    size: record.size,
    dossier: record.dossierId,
    kind: record.kind,
    doc: record.documentId,
    at: record.at,
    host: record.host ?? os.hostname(),
    ...(record.movedFrom?.length ? { from: record.movedFrom } : {}),
  });
}

/**
 * Append records in one write (O_APPEND, flushed): a batch costs one open and one fsync. Each line stands
 * on its own, so a reader that meets a torn tail skips only what is incomplete.
 */
export async function appendManifestRecords(fsPort: ExportFs, realRoot: string, records: readonly ManifestRecord[]): Promise<void> {
  if (records.length === 0) return;
  const file = manifestPath(realRoot);
  const bytes = Buffer.from('\n' + records.map(formatRecord).join('\n') + '\n', 'utf8');
  const handle = await fsPort.open(file, 'a').catch((e: unknown) => {
    throw toExportError(e, file);
  });
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset, null);
      if (bytesWritten <= 0) throw new Error('short write');
      offset += bytesWritten;
    }
    await handle.sync();
  } catch (error) {
    throw toExportError(error, file);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

export interface ManifestRead {
  records: ManifestRecord[];
  /** Where the next read starts: just after the last complete line. */
  offset: number;
  /** Complete lines that were not a valid record. */
  unreadable: number;
}

/**
 * Records added since `offset` (from the start when the file shrank, i.e. was replaced). A last line
 * without its newline is left for the next read: another desktop may be writing it right now.
 */
export async function readManifest(fsPort: ExportFs, realRoot: string, offset: number, maxBytes = 64 << 20): Promise<ManifestRead> {
  const file = manifestPath(realRoot);
  let handle;
  try {
    handle = await fsPort.open(file, 'r');
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return { records: [], offset: 0, unreadable: 0 };
    throw toExportError(error, file);
  }
  try {
    const { size } = await handle.stat();
    const start = size < offset ? 0 : offset;
    const length = Math.min(size - start, maxBytes);
    if (length <= 0) return { records: [], offset: start, unreadable: 0 };
    const buffer = Buffer.alloc(length);
    let got = 0;
    while (got < length) {
      const { bytesRead } = await handle.read(buffer, got, length - got, start + got);
      if (bytesRead <= 0) break;
      got += bytesRead;
    }
    const end = buffer.lastIndexOf(0x0a, got - 1);
    if (end < 0) return { records: [], offset: start, unreadable: 0 };
    const records: ManifestRecord[] = [];
    let unreadable = 0;
    for (const line of buffer.subarray(0, end).toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      const record = parseLine(line);
      if (record) records.push(record);
      else unreadable++;
    }
    return { records, offset: start + end + 1, unreadable };
  } finally {
    await handle.close().catch(() => undefined);
  }
}
