import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../cache/fixtures';
import { scanForSecrets } from './scan';

describe('scanForSecrets', () => {
  const secret = 'sk_demo_7f3a9c21e4b8';

  it('finds a secret however it was written, and names it only by index', () => {
    const dir = tempDir('bvl-scan-');
    fs.mkdirSync(path.join(dir, 'exports', 'Dossier'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'plain.log'), `line\nApiKey: ${secret}\n`);
    fs.writeFileSync(path.join(dir, 'exports', 'Dossier', 'wide.bin'), Buffer.from(`xx${secret}yy`, 'utf16le'));
    for (const prefix of ['', 'a', 'ab']) {
      fs.writeFileSync(path.join(dir, `b64-${prefix.length}.txt`), Buffer.from(`${prefix}Basic ${'user:' + secret} tail`).toString('base64'));
    }
    // Far into a large file, across the reader's chunk boundary.
    const big = Buffer.alloc(8 * 1024 * 1024 + 100, 0x20);
    Buffer.from(secret).copy(big, 8 * 1024 * 1024 - 5);
    fs.writeFileSync(path.join(dir, 'cache.sqlite-wal'), big);
    fs.writeFileSync(path.join(dir, 'clean.txt'), 'nothing to see');

    const findings = scanForSecrets(dir, ['another-secret-value', secret]);
    const byFile = Object.fromEntries(findings.map((f) => [f.file, f]));
    expect(Object.keys(byFile).sort()).toEqual(
      ['b64-0.txt', 'b64-1.txt', 'b64-2.txt', 'cache.sqlite-wal', path.join('exports', 'Dossier', 'wide.bin'), 'plain.log'].sort(),
    );
    expect(findings.every((f) => f.secret === 1)).toBe(true);
    expect(byFile['cache.sqlite-wal']!.offset).toBe(8 * 1024 * 1024 - 5);
    expect(JSON.stringify(findings)).not.toContain(secret);
  });

  it('refuses secrets too short to scan for meaningfully', () => {
    expect(() => scanForSecrets(tempDir('bvl-scan-'), ['abc'])).toThrow(/too short/);
  });
});
