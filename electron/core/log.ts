import fs from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, ensurePrivateFile } from './paths';

export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

/**
 * Values that must never reach a log line, whatever code path logs them.
 * The secret store registers every secret it reads or writes here.
 */
const redactions = new Set<string>();
export function redact(secret: string): void {
  if (secret.length >= 4) redactions.add(secret);
}
export function scrub(text: string): string {
  let out = text;
  for (const secret of redactions) out = out.split(secret).join('[redacted]');
  return out;
}

/** A log call's message and details as one line's text (not yet scrubbed). */
export function describe(message: string, details: unknown[]): string {
  const rest = details
    .map((d) => (d instanceof Error ? `${d.name}: ${d.message}` : typeof d === 'string' ? d : safeJson(d)))
    .join(' ');
  return rest ? `${message} ${rest}` : message;
}

function format(level: string, message: string, details: unknown[]): string {
  return scrub(`${new Date().toISOString()} [${level}] ${describe(message, details)}`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** Pending lines of every file logger, written when the process exits normally. */
const atExit = new Set<() => void>();
process.once('exit', () => {
  for (const flush of atExit) flush();
});

/**
 * A plain append-only log file in the app's log folder (rotated at 5 MB).
 *
 * Info lines are gathered and written together at the end of the tick (or at 64 KB): a sync logs every
 * request, and a write system call per line costs the main thread more than the line is worth. A warning
 * or an error is written at once, after what is pending, so the lines that explain a failure are on disk
 * before anything else happens; a kill loses at most one tick of info lines.
 */
export function createFileLogger(logDir: string, echo = false): Logger {
  ensurePrivateDir(logDir);
  const file = path.join(logDir, 'main.log');
  // The size is tracked here rather than asked of the file system per write, and the file stays open.
  let size = -1;
  let fd: number | null = null;
  let pending = '';
  let scheduled = false;

  const flush = () => {
    scheduled = false;
    if (!pending) return;
    const text = pending;
    pending = '';
    try {
      if (size < 0) size = fs.existsSync(file) ? fs.statSync(file).size : 0;
      if (size > 5_000_000) {
        if (fd !== null) fs.closeSync(fd);
        fd = null;
        fs.renameSync(file, file + '.1');
        size = 0;
      }
      if (fd === null) {
        ensurePrivateFile(file, ['.1']);
        fd = fs.openSync(file, 'a', 0o600);
      }
      fs.writeSync(fd, text);
      size += Buffer.byteLength(text);
    } catch {
      // A log that cannot be written must never take the app down; the next write opens the file again.
      if (fd !== null) {
        try {
          fs.closeSync(fd);
        } catch {
          // already gone
        }
      }
      fd = null;
    }
  };
  atExit.add(flush);

  const write = (level: string, message: string, details: unknown[]) => {
    const line = format(level, message, details) + '\n';
    pending += line;
    if (level !== 'info' || pending.length > 65_536) flush();
    else if (!scheduled) {
      scheduled = true;
      setImmediate(flush).unref();
    }
    if (echo) console.log(line.slice(0, -1));
  };
  return {
    info: (m, ...d) => write('info', m, d),
    warn: (m, ...d) => write('warn', m, d),
    error: (m, ...d) => write('error', m, d),
  };
}
