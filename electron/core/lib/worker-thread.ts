/**
 * Starting a worker thread of the core (the sync's, the checks'). Its code is its own bundle beside the
 * bundle that runs the core; packaged, that bundle sits in app.asar and the worker's file beside it is
 * unpacked (electron-builder.yml), since a worker's entry must be on the real file system. When the core runs
 * from source (tests, benchmarks), the same entry is bundled here with esbuild, once per process, which
 * starts in a fraction of the time a TypeScript loader in the worker takes.
 */
import type * as Esbuild from 'esbuild';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

const fromSource = new Map<string, string>();

/** A worker entry bundled from source, once per process (the CPU benchmark reads it to name profile lines). */
export function workerSource(entry: URL): string {
  const file = fileURLToPath(entry);
  let code = fromSource.get(file);
  if (code === undefined) {
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof Esbuild;
    code = esbuild.buildSync({ entryPoints: [file], bundle: true, platform: 'node', target: 'node20', format: 'cjs', write: false, logLevel: 'silent' }).outputFiles[0]!.text;
    fromSource.set(file, code);
  }
  return code;
}

/**
 * `from` is the caller's `import.meta.url`; `files.source` its worker's entry beside it (`./worker.ts`),
 * `files.bundled` the name the build gives that entry beside the app's bundle (`./sync-worker.js`).
 */
export function startWorkerThread(from: string, files: { source: string; bundled: string }, options: Omit<WorkerOptions, 'eval'>): Worker {
  if (from.endsWith('.ts')) return new Worker(workerSource(new URL(files.source, from)), { ...options, eval: true });
  return new Worker(fileURLToPath(new URL(files.bundled, from)).replace(/app\.asar([\\/])/, 'app.asar.unpacked$1'), options);
}
