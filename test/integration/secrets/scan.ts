/**
 * `scanForSecrets(dir, secrets)`: every place under `dir` (database and its WAL, logs, exported
 * files, anything) where one of the secrets appears — as UTF-8, UTF-16LE, base64 (any alignment,
 * standard or URL alphabet), URL- or JSON-escaped. The findings name the file, which secret (by
 * index), the encoding and the offset; never the secret itself, so a failing test prints no secret.
 *
 * Used after a full demo sync: `expect(scanForSecrets(dataDir, [apiKey, password])).toEqual([])`.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface SecretFinding {
  file: string;
  /** Index of the secret in the list given. */
  secret: number;
  encoding: string;
  offset: number;
}

function base64Forms(secret: Buffer): string[] {
  // A secret inside a longer base64 text: its encoding depends on where it starts modulo 3.
  // For each alignment keep only the characters that depend on the secret's bytes alone.
  const forms: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), secret]).toString('base64').replace(/=+$/, '');
    const start = shift === 0 ? 0 : 4;
    const tail = (shift + secret.length) % 3;
    const end = tail === 0 ? encoded.length : encoded.length - (tail === 1 ? 2 : 3);
    if (end - start >= 4) forms.push(encoded.slice(start, end));
  }
  return forms;
}

function needlesFor(secret: string): Array<{ encoding: string; bytes: Buffer }> {
  const utf8 = Buffer.from(secret, 'utf8');
  const seen = new Set<string>();
  const out: Array<{ encoding: string; bytes: Buffer }> = [];
  const add = (encoding: string, bytes: Buffer) => {
    const key = bytes.toString('hex');
    if (seen.has(key) || bytes.length < 4) return;
    seen.add(key);
    out.push({ encoding, bytes });
  };
  add('utf8', utf8);
  add('utf16le', Buffer.from(secret, 'utf16le'));
  add('url', Buffer.from(encodeURIComponent(secret)));
  add('json', Buffer.from(JSON.stringify(secret).slice(1, -1)));
  for (const form of base64Forms(utf8)) {
    add('base64', Buffer.from(form));
    add('base64url', Buffer.from(form.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return out;
}

function* files(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* files(full);
    else if (entry.isFile()) yield full;
  }
}

export function scanForSecrets(dir: string, secrets: readonly string[]): SecretFinding[] {
  for (const [i, s] of secrets.entries()) {
    if (s.length < 6) throw new Error(`secret #${i} is too short to scan for without false alarms (< 6 characters)`);
  }
  const needles = secrets.flatMap((s, secret) => needlesFor(s).map((n) => ({ ...n, secret })));
  const overlap = Math.max(...needles.map((n) => n.bytes.length)) - 1;
  const findings: SecretFinding[] = [];
  const chunkSize = 8 * 1024 * 1024;

  for (const file of files(dir)) {
    const fd = fs.openSync(file, 'r');
    try {
      const found = new Set<string>();
      let position = 0;
      let carry = Buffer.alloc(0);
      const chunk = Buffer.alloc(chunkSize);
      for (;;) {
        const read = fs.readSync(fd, chunk, 0, chunkSize, position);
        if (read === 0) break;
        const window = Buffer.concat([carry, chunk.subarray(0, read)]);
        const windowStart = position - carry.length;
        for (const n of needles) {
          const key = `${n.secret}:${n.encoding}`;
          if (found.has(key)) continue;
          const at = window.indexOf(n.bytes);
          if (at >= 0) {
            found.add(key);
            findings.push({ file: path.relative(dir, file), secret: n.secret, encoding: n.encoding, offset: windowStart + at });
          }
        }
        position += read;
        carry = Buffer.from(window.subarray(Math.max(0, window.length - overlap)));
      }
    } finally {
      fs.closeSync(fd);
    }
  }
  return findings;
}
