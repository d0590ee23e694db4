import fs from 'node:fs';
import path from 'node:path';

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

function format(level: string, message: string, details: unknown[]): string {
  const rest = details
    .map((d) => (d instanceof Error ? `${d.name}: ${d.message}` : typeof d === 'string' ? d : safeJson(d)))
    .join(' ');
  return scrub(`${new Date().toISOString()} [${level}] ${message}${rest ? ' ' + rest : ''}`);
}

function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return String(value);
  }
}

/** A plain append-only log file in the app's log folder (rotated at 5 MB). */
export function createFileLogger(logDir: string, echo = false): Logger {
  fs.mkdirSync(logDir, { recursive: true });
  const file = path.join(logDir, 'main.log');
  // The size is tracked here rather than asked of the file system per line, and the file stays open: a sync
  // logs every request, and an open/append/close per line costs the main thread three system calls.
  let size = -1;
  let fd: number | null = null;
  const write = (level: string, message: string, details: unknown[]) => {
    const line = format(level, message, details) + '\n';
    try {
      if (size < 0) size = fs.existsSync(file) ? fs.statSync(file).size : 0;
      if (size > 5_000_000) {
        if (fd !== null) fs.closeSync(fd);
        fd = null;
        fs.renameSync(file, file + '.1');
        size = 0;
      }
      fd ??= fs.openSync(file, 'a');
      fs.writeSync(fd, line);
      size += Buffer.byteLength(line);
    } catch {
      // A log that cannot be written must never take the app down; the next line opens the file again.
      if (fd !== null) {
        try {
          fs.closeSync(fd);
        } catch {
          // already gone
        }
      }
      fd = null;
    }
    if (echo) console.log(line.slice(0, -1));
  };
  return {
    info: (m, ...d) => write('info', m, d),
    warn: (m, ...d) => write('warn', m, d),
    error: (m, ...d) => write('error', m, d),
  };
}
