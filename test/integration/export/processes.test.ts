/**
 * Separate processes writing into one export root: killed in the middle of a burst (SIGKILL, no chance to
 * clean up), and several at once on the same dossier (two desktops on one shared folder).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { repoRoot, tempDir } from '../../support/repo';
import { burst, bytesOf, listFiles, manifestLines, sha256File, sha256Of } from './support';

const child = path.join(path.dirname(fileURLToPath(import.meta.url)), 'child-export.ts');
const salesFolder = 'Bakkerij Janssens BV (0427604308)/Sales';

const cleanups: (() => void)[] = [];
afterEach(() => {
  while (cleanups.length) cleanups.pop()!();
});

/** What the burst must produce: final path → SHA-256 (names written out here, not by the code under test). */
function expectedSet(count: number, size: number): Map<string, string> {
  const out = new Map<string, string>();
  for (const spec of burst(count, size)) {
    out.set(`${salesFolder}/${spec.number!.replace('/', '-')} ${spec.date}.xml`, sha256Of(bytesOf(spec)));
  }
  return out;
}

interface Run {
  process: ChildProcess;
  done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>;
}

function start(options: Record<string, unknown>): Run {
  const proc = spawn(process.execPath, ['--import', 'tsx', child, JSON.stringify(options)], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  proc.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal, stdout, stderr })),
  );
  cleanups.push(() => {
    if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
  return { process: proc, done };
}

function finalFiles(root: string): string[] {
  return fs.existsSync(root) ? listFiles(root) : [];
}

/** Every file under a final name is complete: exactly the bytes meant for that name. */
function assertNoPartialFile(root: string, expected: Map<string, string>) {
  for (const rel of finalFiles(root)) {
    expect(expected.has(rel), `unexpected file ${rel}`).toBe(true);
    expect(sha256File(path.join(root, rel)), `${rel} is not complete`).toBe(expected.get(rel));
  }
}

function summaryOf(stdout: string) {
  return JSON.parse(stdout.trim().split('\n').pop()!) as {
    written: number;
    conflicts: number;
    alreadyPresent: number;
    alreadyExported: number;
    failed: number;
    failures: string[];
  };
}

describe('export across processes', () => {
  it(
    'a process killed during a burst of writes leaves no partial file under a final name, and a re-run completes the set exactly',
    async () => {
      const { dir, cleanup } = tempDir('bvl-kill-');
      cleanups.push(cleanup);
      const root = path.join(dir, 'root');
      fs.mkdirSync(root);
      const count = 120;
      const size = 128 * 1024;
      const expected = expectedSet(count, size);
      const options = { root, ledger: path.join(dir, 'ledger.sqlite'), count, size };

      let kills = 0;
      for (const killAt of [2, 30, 70]) {
        const run = start(options);
        const folder = path.join(root, salesFolder);
        // Kill as soon as `killAt` files are in place: the writer is in the middle of the next ones.
        while (run.process.exitCode === null) {
          if (fs.existsSync(folder) && fs.readdirSync(folder).filter((n) => !n.startsWith('.')).length >= killAt) {
            run.process.kill('SIGKILL');
            break;
          }
          await new Promise((r) => setTimeout(r, 1));
        }
        const result = await run.done;
        if (result.signal === 'SIGKILL') kills++;
        assertNoPartialFile(root, expected);
      }
      expect(kills, 'the burst ended before it could be killed: nothing was tested').toBeGreaterThanOrEqual(2);

      const rerun = await start(options).done;
      expect(rerun.code, rerun.stderr).toBe(0);
      const summary = summaryOf(rerun.stdout);
      expect(summary.failed, summary.failures.join('\n')).toBe(0);
      expect(summary.written + summary.alreadyPresent + summary.alreadyExported).toBe(count);
      expect(summary.conflicts).toBe(0);

      // Exactly the set: every file, once, complete; no temp files left; the manifest lists every file.
      expect(finalFiles(root)).toEqual([...expected.keys()].sort());
      assertNoPartialFile(root, expected);
      expect(listFiles(root, true).filter((f) => path.basename(f).startsWith('.'))).toEqual(['.billit-venice-manifest.jsonl']);
      const listed = new Set(manifestLines(root).map((l) => `${l.path}|${l.sha256}`));
      for (const [rel, sha] of expected) expect(listed.has(`${rel}|${sha}`), `${rel} missing from the manifest`).toBe(true);
      expect(listed.size).toBe(count);
    },
    180_000,
  );

  for (const mode of ['hard links', 'lock files (no hard links, as on some SMB shares)'] as const) {
    it(
      `three processes exporting the same dossier into one root at once produce each file once (${mode})`,
      async () => {
        const { dir, cleanup } = tempDir('bvl-race-');
        cleanups.push(cleanup);
        const root = path.join(dir, 'root');
        fs.mkdirSync(root);
        const count = 60;
        const size = 64 * 1024;
        const expected = expectedSet(count, size);
        const goFile = path.join(dir, 'go');
        const runs = [1, 2, 3].map((n) =>
          start({ root, ledger: path.join(dir, `desktop-${n}.sqlite`), count, size, goFile, noLink: mode !== 'hard links' }),
        );
        // Let all three load and wait at the line, then start them together.
        await new Promise((r) => setTimeout(r, 1500));
        fs.writeFileSync(goFile, 'go');
        const results = await Promise.all(runs.map((r) => r.done));

        let written = 0;
        for (const result of results) {
          expect(result.code, result.stderr).toBe(0);
          const summary = summaryOf(result.stdout);
          expect(summary.failed, summary.failures.join('\n')).toBe(0);
          expect(summary.conflicts).toBe(0);
          expect(summary.written + summary.alreadyPresent + summary.alreadyExported).toBe(count);
          written += summary.written;
        }
        expect(written).toBe(count);
        expect(finalFiles(root)).toEqual([...expected.keys()].sort());
        assertNoPartialFile(root, expected);
        expect(listFiles(root, true).filter((f) => path.basename(f).startsWith('.'))).toEqual(['.billit-venice-manifest.jsonl']);
        const listed = new Set(manifestLines(root).map((l) => `${l.path}|${l.sha256}`));
        expect(listed.size).toBe(count);
      },
      120_000,
    );
  }
});
