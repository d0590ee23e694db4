/**
 * The sync calls of the API: start, cancel and schedule runs, and their history from the cache.
 */
import { AppError, parseRunId, type Handlers, type RunId, type SyncRunDossier, type SyncRunSummary } from '../../../shared/api';
import type { Cache } from '../cache';
import { dossierOrThrow } from '../dossiers/handlers';
import type { SyncRunner } from './runner';

export function syncHandlers(
  deps: { runner: SyncRunner; cache: Cache },
): Pick<Handlers, 'sync.start' | 'sync.cancel' | 'sync.status' | 'sync.setSchedule' | 'sync.runs' | 'sync.run' | 'sync.retry'> {
  const { runner, cache } = deps;
  const runOrThrow = (runId: string) => {
    const summary = runner.runs(100).find((r) => r.runId === runId);
    const id = parseRunId(runId);
    const record = id === null ? null : cache.runs.get(id);
    if (!record) throw new AppError('not-found', `Unknown sync run ${runId}`);
    return { summary, record };
  };
  const dossiersOf = (runId: RunId): SyncRunDossier[] =>
    cache.runs.dossiersOf(runId).map((r) => ({
      id: r.veniceId,
      name: r.name,
      status: r.status,
      documents: r.counts?.documents ?? 0,
      statements: r.counts?.statements ?? 0,
      errors: r.counts?.errors ?? 0,
      error: r.error ?? null,
    }));
  return {
    async 'sync.start'(input) {
      const ids = input?.dossierIds;
      if (ids) for (const id of ids) dossierOrThrow(cache, id);
      return { runId: (await runner.start('manual', ids && ids.length ? ids : null)).runId };
    },
    async 'sync.cancel'() {
      return { cancelled: runner.cancel() };
    },
    async 'sync.status'() {
      return runner.status();
    },
    async 'sync.setSchedule'({ intervalMinutes }) {
      return runner.setSchedule(intervalMinutes);
    },
    async 'sync.runs'({ limit }) {
      return { runs: runner.runs(limit) };
    },
    async 'sync.run'({ runId }) {
      const { summary, record } = runOrThrow(runId);
      const base: SyncRunSummary = summary ?? {
        runId,
        trigger: record.trigger,
        startedAt: record.startedAt,
        finishedAt: record.finishedAt,
        status: record.status === 'partial' ? 'done' : record.status,
        documents: record.counts.documents ?? 0,
        statements: record.counts.statements ?? 0,
        exported: record.counts.exported ?? 0,
        errors: record.counts.errors ?? 0,
        scope: Array.isArray(record.scope) ? (record.scope as string[]) : null,
      };
      return { ...base, dossiers: dossiersOf(record.id) };
    },
    async 'sync.retry'({ runId }) {
      const { record } = runOrThrow(runId);
      const failed = dossiersOf(record.id).filter((d) => d.status === 'failed').map((d) => d.id);
      const scope = failed.length ? failed : Array.isArray(record.scope) ? (record.scope as string[]) : null;
      const known = scope?.filter((id) => cache.dossiers.byVeniceId(id)) ?? null;
      return { runId: (await runner.start('manual', known && known.length ? known : null)).runId };
    },
  };
}
