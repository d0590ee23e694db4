/**
 * The benchmarks' demo office in a child process (`_sync-office.ts`), so the figures are the app's and not
 * the simulators'; driven by one JSON line per command.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { BenchOfficeInfo } from './_sync-office';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The demo office in a child process, driven by one JSON line per command. */
export async function startOffice(args: string[]) {
  // BENCH_PROFILE_DIR: the simulators' own CPU profile is written there when the office stops.
  const profile = process.env.BENCH_PROFILE_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE_DIR}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', path.join(here, '_sync-office.ts'), ...args], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = readline.createInterface({ input: child.stdout });
  const waiting: Array<(line: string) => void> = [];
  lines.on('line', (line) => waiting.shift()?.(line));
  const next = () =>
    new Promise<string>((resolve, reject) => {
      waiting.push(resolve);
      child.once('exit', (code) => reject(new Error(`the demo office exited (${code})`)));
    });
  const info = JSON.parse(await next()) as BenchOfficeInfo;
  return {
    info,
    pid: child.pid!,
    async command<T>(name: string): Promise<T> {
      const answer = next();
      child.stdin.write(name + '\n');
      return JSON.parse(await answer) as T;
    },
    close: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin.end();
      }),
  };
}

