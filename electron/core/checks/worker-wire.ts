/** Messages between the check pool (`pool.ts`) and a check worker thread (`worker.ts`). */
import type { CheckDocument, CheckOptions, CheckResult } from './engine';
import type { InvoiceReading } from './invoice-reading';
import type { RuleSet } from './rules';

export interface CheckWorkerData {
  ruleSets: RuleSet[];
  schemaDir: string;
  /** Lower this thread's OS priority (see the pool). */
  lowPriority: boolean;
  /** Files the worker loads as they are shipped: SaxonJS, xmllint's Emscripten module and its WebAssembly. */
  saxonPath: string;
  xmllintPath: string;
  wasmPath: string;
}

export type ToCheckWorker =
  | { t: 'check'; id: number; docs: CheckDocument[]; options?: CheckOptions }
  | { t: 'read-invoice'; id: number; bytes: Uint8Array };

export type FromCheckWorker =
  | { t: 'ready'; loadMs: number; primeMs: number }
  | { t: 'done'; id: number; results?: CheckResult[]; invoice?: InvoiceReading; error?: string; heap: number };
