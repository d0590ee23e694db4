/**
 * The log file: what support reads after a failure. Lines arrive in order, a warning is on disk the moment
 * it is logged (with everything logged before it), and no secret ever reaches the file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createFileLogger, redact } from '../../../electron/core/log';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function logger() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bvl-log-'));
  dirs.push(dir);
  return { log: createFileLogger(dir), read: () => (fs.existsSync(path.join(dir, 'main.log')) ? fs.readFileSync(path.join(dir, 'main.log'), 'utf8') : '') };
}

describe('the log file', () => {
  it('has a warning on disk at once, after the lines logged before it', () => {
    const { log, read } = logger();
    log.info('fetched order 1');
    log.info('fetched order 2');
    log.warn('order 3 refused');
    const lines = read().trim().split('\n');
    expect(lines.map((l) => l.replace(/^\S+ /, ''))).toEqual(['[info] fetched order 1', '[info] fetched order 2', '[warn] order 3 refused']);
  });

  it('has info lines on disk by the end of the tick, in order', async () => {
    const { log, read } = logger();
    for (let i = 1; i <= 500; i++) log.info(`line ${i}`);
    await new Promise((resolve) => setImmediate(resolve));
    const lines = read().trim().split('\n');
    expect(lines).toHaveLength(500);
    expect(lines.every((l, i) => l.endsWith(`[info] line ${i + 1}`))).toBe(true);
  });

  it('never writes a registered secret', async () => {
    const { log, read } = logger();
    redact('s3cret-api-key-0042');
    log.info('calling with s3cret-api-key-0042');
    log.error('failed', new Error('401 for key s3cret-api-key-0042'));
    await new Promise((resolve) => setImmediate(resolve));
    const text = read();
    expect(text).toContain('[redacted]');
    expect(text).not.toContain('s3cret-api-key-0042');
  });
});
