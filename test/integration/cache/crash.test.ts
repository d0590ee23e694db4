import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { openCache } from '../../../electron/core/cache';
import { tempDir } from './fixtures';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'crash-child.ts');
const rows = 12_000;

interface Outcome {
  killed: boolean;
  /** The most rows the child saw inside its open transaction before it died. */
  insideMax: number;
  lines: string[];
  ms: number;
}

/** Runs the writer; kills it with SIGKILL when `killWhen` says so (or never). */
function runChild(file: string, batch: number, killWhen: (line: string, sinceStartMs: number) => boolean): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    let startAt = 0;
    const p = spawn(process.execPath, ['--import', 'tsx', child, file, String(batch), String(rows)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let insideMax = 0;
    let killed = false;
    let buffer = '';
    let stderr = '';
    p.stderr.on('data', (d) => (stderr += String(d)));
    p.stdout.on('data', (data) => {
      buffer += String(data);
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        lines.push(line);
        if (line === 'start') startAt = Date.now();
        const m = /^inside (\d+)/.exec(line);
        if (m) insideMax = Math.max(insideMax, Number(m[1]));
        if (!killed && startAt && killWhen(line, Date.now() - startAt)) {
          killed = true;
          p.kill('SIGKILL');
        }
      }
    });
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      if (!killed && code !== 0) reject(new Error(`child failed (${code ?? signal}): ${stderr}`));
      else resolve({ killed: signal === 'SIGKILL', insideMax, lines, ms: Date.now() - started });
    });
  });
}

async function check(file: string): Promise<number> {
  const cache = openCache(file);
  try {
    const report = await cache.integrityCheck();
    expect(report.problems).toEqual([]);
    const count = cache.documents.count();
    // The per-dossier counts moved in the same transactions as the rows.
    const listed = cache.dossiers.page().items.reduce((n, d) => n + d.counts.sales + d.counts.purchases, 0);
    expect(listed).toBe(count);
    return count;
  } finally {
    await cache.close();
  }
}

describe('a process killed in the middle of a large batch', () => {
  it('leaves a database that passes integrity_check and holds all or none of the batch', { timeout: 180_000 }, async () => {
    const file = path.join(tempDir('bvl-crash-'), 'cache.sqlite');

    // Killed while well inside its transaction: none of the batch.
    const first = await runChild(file, 0, (line) => /^inside (\d+)/.test(line) && Number(/\d+/.exec(line)![0]) >= rows / 4);
    expect(first.killed).toBe(true);
    expect(first.insideMax).toBeGreaterThanOrEqual(rows / 4);
    expect(first.lines).not.toContain('committed');
    let committed = await check(file);
    expect(committed).toBe(0);

    // Left alone: all of it.
    const whole = await runChild(file, 0, () => false);
    expect(whole.lines).toContain('committed');
    committed = await check(file);
    expect(committed).toBe(rows);

    // Killed at arbitrary moments: always all or none, never part.
    const span = whole.ms;
    for (let batch = 1; batch <= 4; batch++) {
      const at = Math.floor(Math.random() * span);
      const outcome = await runChild(file, batch, (_line, since) => since >= at);
      const count = await check(file);
      expect([committed, committed + rows]).toContain(count);
      if (outcome.lines.includes('committed')) expect(count).toBe(committed + rows);
      committed = count;
    }
  });
});

describe('durable()', () => {
  it('settles only after the writes queued before it have committed', async () => {
    const file = path.join(tempDir('bvl-durable-'), 'cache.sqlite');
    const cache = openCache(file);
    try {
      const order: string[] = [];
      const write = cache.transaction(async () => {
        await new Promise((resolve) => setTimeout(resolve, 30));
        await cache.cursors.set('feed:lastPollAt', '1');
        order.push('committed');
      });
      await cache.durable().then(() => order.push('durable'));
      await write;
      expect(order).toEqual(['committed', 'durable']);
      expect(cache.cursors.get('feed:lastPollAt')).toBe('1');
    } finally {
      await cache.close();
    }
  });
});
