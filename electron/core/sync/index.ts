/**
 * The sync room, assembled for `createCore`: the engine that brings documents and statements from Billit
 * into the cache and the export folders, its runner and schedule, and the sync calls of the API.
 */
import { parseRunId, type SyncRunSummary } from '../../../shared/api';
import type { Cache } from '../cache';
import type { ChecksModule } from '../checks';
import type { DossiersModule } from '../dossiers';
import type { EventBus } from '../events';
import type { ExportModule } from '../export';
import type { Logger } from '../log';
import { SyncEngine, type EngineOptions } from './engine';
import { serviceExporter } from './export-bridge';
import { syncHandlers } from './handlers';
import { systemClock, type Clock } from '../lib/time';
import type { BillitOrders, SyncWorkers } from './ports';
import { SyncRunner, type RunStore } from './runner';

export { cacheExportSource, serviceExporter } from './export-bridge';
export { FEED_NAME } from './reads';
export { systemClock, type Clock } from '../lib/time';
export type { EngineOptions } from './engine';

const INTERVAL_KEY = 'sync:intervalMinutes';

function cacheRunStore(cache: Cache): RunStore {
  const summary = (r: ReturnType<Cache['runs']['page']>['items'][number]): SyncRunSummary => ({
    runId: String(r.id),
    trigger: r.trigger,
    startedAt: r.startedAt,
    finishedAt: r.finishedAt,
    status: r.status === 'partial' ? 'done' : r.status,
    documents: r.counts.documents ?? 0,
    statements: r.counts.statements ?? 0,
    exported: r.counts.exported ?? 0,
    errors: r.counts.errors ?? 0,
    scope: Array.isArray(r.scope) ? (r.scope as string[]) : null,
    ...(r.error ? { message: r.error } : {}),
    ...(r.notes.length ? { notes: r.notes } : {}),
  });
  // The interval is read right after it is set, before the write lands: keep it at hand.
  let interval: number | null = null;
  return {
    async begin(trigger, scope) {
      return String(await cache.runs.start({ trigger, scope }));
    },
    async finish(runId, status, outcome, error) {
      const { message: _message, notes, ...counts } = outcome;
      const id = parseRunId(runId);
      if (id === null) return;
      await cache.runs.finish(id, { status: status === 'running' ? 'interrupted' : status, counts, error: error ?? null, notes });
    },
    list: (limit) => cache.runs.page({ limit }).items.map(summary),
    lastCompletedAt() {
      let after: string | null = null;
      for (let i = 0; i < 20; i++) {
        const page = cache.runs.page({ after, limit: 50 });
        const done = page.items.find((r) => r.status === 'done' && r.finishedAt);
        if (done) return Date.parse(done.finishedAt!);
        if (!page.next) return null;
        after = page.next;
      }
      return null;
    },
    intervalMinutes: () => interval ?? (Number(cache.cursors.get(INTERVAL_KEY) ?? '0') || 0),
    setIntervalMinutes(minutes) {
      interval = minutes;
      void cache.cursors.set(INTERVAL_KEY, String(minutes));
    },
  };
}

export interface SyncModuleOptions {
  cache: Cache;
  billit: BillitOrders;
  workers: SyncWorkers;
  /** A run first learns the dossiers (and what Billit knows of each) it has not seen, and asks again about pending links. */
  dossiers: Pick<DossiersModule, 'links' | 'linkWatch'>;
  exports: ExportModule;
  events: EventBus;
  log: Logger;
  clock?: Clock;
  engine?: EngineOptions;
  /** Told to work offline: no scheduled run. */
  offline?(): boolean;
  /** The official and Venice checks: what the document view shows, what is held back from export. */
  checks?: ChecksModule;
}

export interface SyncModule {
  handlers: ReturnType<typeof syncHandlers>;
  runner: SyncRunner;
  /** Mark runs a killed process left 'running' as interrupted, and start a run when one is due. */
  startup(): Promise<void>;
  close(): Promise<void>;
}

export function createSyncModule(options: SyncModuleOptions): SyncModule {
  const { cache, events, log } = options;
  const clock = options.clock ?? systemClock;
  const changed = (ids: string[]) => events.emit('dossiers.changed', { ids });
  const offline = options.offline ?? (() => false);
  const { links, linkWatch } = options.dossiers;
  const engine = new SyncEngine({
    billit: options.billit,
    workers: options.workers,
    cache,
    exporter: serviceExporter(options.exports.service, cache, (dossier, ids) => options.checks?.toHold(dossier, ids) ?? []),
    clock,
    log,
    options: options.engine,
    beforeRun: async (scope, ctx) => {
      // First run on this desktop (or one cut short while learning them): learn the dossiers and what
      // Billit knows of each before syncing them.
      const known = cache.dossiers.all();
      if (known.length === 0 || known.some((d) => d.linkState === 'unknown')) await links.refresh(ctx.signal);
      await links.pollPending(scope, ctx.signal);
    },
    onDossiersChanged: changed,
  });
  const store = cacheRunStore(cache);
  const runner = new SyncRunner({
    clock,
    store,
    job: (scope, ctx) => engine.run(scope, ctx),
    onProgress: (p) => events.emit('sync.progress', p),
    onFinished: (s) => {
      log.info(`sync run ${s.runId} ${s.status}: ${s.documents} documents, ${s.statements} statements, ${s.exported} exported, ${s.errors} errors`);
      events.emit('sync.finished', s);
      // Nobody watched a scheduled run: problems must reach the accountant anyway.
      if (s.trigger !== 'manual' && (s.status === 'failed' || s.errors > 0))
        events.emit('app.notice', {
          level: 'warning',
          code: 'sync.scheduled-problems',
          message: `The scheduled synchronisation ended with ${s.errors} error(s)${s.message ? `: ${s.message}` : ''}`,
          data: { runId: s.runId, errors: s.errors },
        });
      linkWatch.kick();
    },
    onError: (error) => log.error('sync run failed', error),
    canStart: () => !offline(),
  });
  return {
    handlers: syncHandlers({ cache, runner }),
    runner,
    async startup() {
      await cache.runs.markInterrupted();
      await runner.startup();
    },
    close: () => runner.close(),
  };
}
