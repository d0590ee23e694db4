/**
 * The checks room: the official rules (UBL schema, EN 16931, Peppol BIS 3.0) run in the background on every
 * stored UBL file, and Venice's import rules before export. `documents.get` shows their findings beside the
 * sync's fast pre-check (`forDocument`); `documents.hold` is the accountant's say on documents Venice would
 * refuse; `checks.status` tells how far the background checks are.
 */
import type { DocumentChecks, DocumentDetail, DossierId, FindingView, Handlers } from '../../../shared/api';
import { AppError } from '../../../shared/api/errors';
import type { Cache, DocumentRecord, DossierRecord, Finding } from '../cache';
import type { EventBus } from '../events';
import type { Logger } from '../log';
import type { Exporter } from '../sync/engine';
import { readInvoice, type InvoiceReading } from './invoice-reading';
import { createCheckPool, type CheckPool } from './pool';
import { CheckQueue } from './queue';
import { defaultRulesDir, findRules } from './rules';
import { documentsToHold, veniceFindings } from './venice';

export { CHECK_BATCH } from './queue';
export { documentsToHold } from './venice';

/** Stored UBL files above this size are read for the document view on a check worker, not on the main thread. */
const READ_ON_WORKER_BYTES = 512 * 1024;

/**
 * Pre-check codes that restate an EN 16931 rule: once the official rules have checked the file, their own
 * finding says it (with the rule id), so the pre-check's is not shown twice. The others (Belgian identifiers,
 * payment references, CustomizationID, identifier disagreements) stay.
 */
const RESTATES_A_RULE = new Set([
  'missing-element',
  'date',
  'currency',
  'number',
  'line-amount',
  'totals-line-sum',
  'totals-allowances',
  'totals-charges',
  'totals-tax-exclusive',
  'totals-vat',
  'totals-tax-inclusive',
  'totals-payable',
  'vat-category-taxable',
  'vat-category-amount',
]);

export interface ChecksOptions {
  cache: Cache;
  events: EventBus;
  log: Logger;
  /** Exports documents the accountant releases. */
  exporter: Exporter;
  /** Default: the app's `resources/rules`. */
  rulesDir?: string;
  /** Worker threads (default one per core, at most 2). */
  workers?: number;
  /** Check stored documents in the background (default true); documents opened are checked either way. */
  background?: boolean;
}

export interface ChecksModule {
  readonly release: string | null;
  handlers: Pick<Handlers, 'documents.hold' | 'checks.status'>;
  /** What `documents.get` shows of the checks; an unchecked document goes to the front of the queue. */
  forDocument(doc: DocumentRecord, dossier: DossierRecord | null): Pick<DocumentDetail, 'findings' | 'checks' | 'held'>;
  /** Error and warning counts of list rows, official findings included. */
  counts(docs: readonly DocumentRecord[]): Map<number, { errors: number; warnings: number }>;
  /** A stored UBL read for the document view; large files are read on a worker. */
  readInvoice(bytes: Uint8Array): Promise<InvoiceReading>;
  /** Documents about to be exported that must stay out of the folders (Venice rules, or held back). */
  toHold(dossier: DossierRecord, ids: readonly number[]): number[];
  startup(): Promise<void>;
  /** Resolves when the background queue has nothing left to do. */
  idle(): Promise<void>;
  close(): Promise<void>;
}

function precheckView(findings: readonly Finding[]): FindingView[] {
  return findings
    .filter((f) => f.severity !== 'info')
    .map((f) => {
      const line = /^line (\d+)$/.exec(f.path ?? '');
      return { severity: f.severity as 'error' | 'warning', code: f.code, message: f.message, source: 'precheck' as const, ...(line ? { line: Number(line[1]) } : {}) };
    });
}

/** How long after start-up the background checks begin (the first screen is served meanwhile). */
const STARTUP_GRACE_MS = 1500;

export function createChecksModule(options: ChecksOptions): ChecksModule {
  const { cache, events, log } = options;
  const rulesDir = options.rulesDir ?? defaultRulesDir();
  let rules: ReturnType<typeof findRules> = null;
  try {
    rules = findRules(rulesDir);
  } catch (error) {
    log.error(`checks: the rules in ${rulesDir} cannot be read`, error);
  }
  if (!rules) log.warn(`checks: no rules release in ${rulesDir}; only the pre-check and Venice's rules run`);
  const release = rules?.release.name ?? null;
  const pool: CheckPool | null = rules
    ? createCheckPool({ rules, size: options.workers, onWorkerError: (error) => log.error('a check worker failed', error) })
    : null;
  const queue = pool
    ? new CheckQueue({ cache, pool, log, onChecked: (ids) => events.emit('documents.checked', { ids: ids.map(String) }) })
    : null;
  const background = options.background !== false;
  // The checks wait while a sync runs: both would want the same two cores.
  let syncEvents = 0;
  /** The background queue's start, a moment after the core's (`idle()` waits for it). */
  let started: Promise<void> = Promise.resolve();
  let startTimer: ReturnType<typeof setTimeout> | undefined;
  let cancelStart = () => {};
  /** Set between a sync's end and the queue's resuming (`idle()` waits for it). */
  let resuming: Promise<void> = Promise.resolve();
  const unsubscribe = events.subscribe((event) => {
    if (event === 'sync.progress') {
      syncEvents++;
      queue?.setSyncRunning(true);
    } else if (event === 'sync.finished') {
      // The run stored documents: look for unchecked ones again, whether or not it reported progress — after
      // the event's other listeners (the UI's refresh first), not inside the sync's own call; unless another
      // run has started meanwhile.
      const seen = ++syncEvents;
      resuming = new Promise<void>((resolve) =>
        setImmediate(() => {
          if (seen === syncEvents) {
            queue?.setSyncRunning(false);
            queue?.wake();
          }
          resolve();
        }),
      );
    }
  });

  function stateOf(doc: DocumentRecord): { checks: DocumentChecks; official: FindingView[]; applied: boolean } {
    if (!doc.ublSha256) return { checks: { state: 'done', release, checkedAt: null }, official: [], applied: false };
    if (!release) return { checks: { state: 'failed', release: null, checkedAt: null }, official: [], applied: false };
    const result = cache.checks.get(doc.ublSha256, release);
    if (!result) {
      queue?.prioritize(doc.ublSha256);
      return { checks: { state: 'checking', release, checkedAt: null }, official: [], applied: false };
    }
    const official = result.findings.map((f) => ({ ...f, source: f.source as FindingView['source'] }));
    const applied = result.state === 'done' && !official.some((f) => f.code === 'RULES-NOT-APPLICABLE' || f.code === 'XML');
    return { checks: { state: result.state, release, checkedAt: result.checkedAt }, official, applied };
  }

  return {
    release,
    forDocument(doc, dossier) {
      const { checks, official, applied } = stateOf(doc);
      const venice = dossier ? veniceFindings(doc, dossier, cache) : [];
      const pre = precheckView(doc.findings).filter(
        (f) => !(applied && RESTATES_A_RULE.has(f.code)) && !(f.code === 'not-addressed-to-dossier' && venice.some((v) => v.code === 'VENICE-ENTERPRISE-NUMBER')),
      );
      return { findings: [...venice, ...official, ...pre], checks, held: doc.status === 'held' };
    },

    counts(docs) {
      const out = new Map<number, { errors: number; warnings: number }>();
      const results = release ? cache.checks.getMany(docs.flatMap((d) => (d.ublSha256 ? [d.ublSha256] : [])), release) : new Map();
      for (const d of docs) {
        const official = d.ublSha256 ? (results.get(d.ublSha256)?.findings ?? []) : [];
        const all = [...d.findings, ...official];
        out.set(d.id, { errors: all.filter((f) => f.severity === 'error').length, warnings: all.filter((f) => f.severity === 'warning').length });
      }
      return out;
    },

    async readInvoice(bytes) {
      if (bytes.byteLength <= READ_ON_WORKER_BYTES || !pool) return readInvoice(bytes);
      return pool.readInvoice(bytes);
    },

    toHold: (dossier, ids) => documentsToHold(cache, dossier, ids),

    handlers: {
      async 'documents.hold'({ ids, hold }) {
        const numeric = [...new Set(ids.map(Number))];
        const docs = cache.documents.getMany(numeric);
        if (docs.length !== numeric.length) throw new AppError('not-found', 'Unknown document');
        const changed = await cache.checks.decide(numeric, hold ? 'hold' : 'export');
        const exported: string[] = [];
        if (!hold && changed.length) {
          // Released documents go to their folders now: the sync only exports what it fetches.
          const byDossier = new Map<DossierId, number[]>();
          for (const d of cache.documents.getMany(changed)) byDossier.set(d.dossierId, [...(byDossier.get(d.dossierId) ?? []), d.id]);
          for (const [dossierId, docIds] of byDossier) {
            const dossier = cache.dossiers.get(dossierId);
            if (!dossier) continue;
            const result = await options.exporter.exportDocuments(dossier, docIds);
            await cache.transaction(async () => {
              if (result.exported.length) await cache.documents.setStatus(result.exported, 'exported');
              if (result.failed.length) await cache.documents.setStatus(result.failed.map((f) => f.id), 'export-failed');
            });
            exported.push(...result.exported.map(String));
          }
        }
        events.emit('dossiers.changed', { ids: [...new Set(docs.map((d) => cache.dossiers.get(d.dossierId)?.veniceId ?? ''))].filter(Boolean) });
        return { changed: changed.map(String), exported };
      },

      async 'checks.status'() {
        return { release, pending: queue?.pending ?? 0, running: !!queue && !queue.paused };
      },
    },

    async startup() {
      if (!queue || !background) return;
      // The first screen comes first: a check worker loads ~150 MB of rules, which on two cores would slow the
      // dossier list the accountant opened the app for. The background checks begin a moment later.
      started = new Promise<void>((resolve) => {
        startTimer = setTimeout(() => void queue.start().finally(resolve), STARTUP_GRACE_MS);
        cancelStart = resolve;
      });
    },

    async idle() {
      await started;
      await resuming;
      await queue?.idle();
    },

    async close() {
      clearTimeout(startTimer);
      cancelStart();
      unsubscribe();
      queue?.close();
      await pool?.close();
    },
  };
}
