import { decodeCursor, fromJson, pageSize, safeText, toJson, toPage, type Ctx, type Row } from './context';
import { asRunId, type DossierId, type RunId, type VeniceDossierId } from '../../../shared/api/ids';
import type { Page, PageArgs, PendingFeedItem, RunDossierResult, RunNote, RunRecord, RunStatus, RunTrigger } from './types';

/** Where each incremental source stopped (e.g. `orders:<dossier id>` → the last LastModified seen). */
export function cursorsRepo(ctx: Ctx) {
  return {
    get(key: string): string | null {
      return (ctx.r('SELECT value FROM sync_cursors WHERE key = ?').pluck().get(key) as string | undefined) ?? null;
    },
    /** Every cursor whose key starts with `prefix`. */
    list(prefix = ''): { key: string; value: string; updatedAt: string }[] {
      const rows = ctx
        .r(`SELECT key, value, updated_at FROM sync_cursors WHERE substr(key, 1, length(?)) = ? ORDER BY key`)
        .all(prefix, prefix) as Row[];
      return rows.map((r) => ({ key: r.key, value: r.value, updatedAt: r.updated_at }));
    },
    /** Call it in the same `cache.transaction` as the rows it covers, so neither can be saved without the other. */
    set(key: string, value: string): Promise<void> {
      return ctx.write(() => {
        ctx
          .w('INSERT INTO sync_cursors (key, value, updated_at) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at')
          .run(key, value, ctx.now());
      });
    },
    delete(key: string): Promise<void> {
      return ctx.write(() => {
        ctx.w('DELETE FROM sync_cursors WHERE key = ?').run(key);
      });
    },
  };
}

function toRun(row: Row): RunRecord {
  return {
    id: row.id,
    trigger: row.trigger,
    scope: fromJson(row.scope, null),
    pid: row.pid,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    status: row.status,
    counts: fromJson(row.counts, {}),
    error: row.error,
    notes: fromJson(row.notes, []),
  };
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function runsRepo(ctx: Ctx) {
  return {
    start(run: { trigger: RunTrigger; scope?: unknown }): Promise<RunId> {
      return ctx.write(
        () =>
          asRunId(Number(
            ctx
              .w(`INSERT INTO sync_runs (trigger, scope, pid, started_at, status, counts) VALUES (?, ?, ?, ?, 'running', '{}')`)
              .run(run.trigger, toJson(run.scope), process.pid, ctx.now()).lastInsertRowid,
          )),
      );
    },

    /** Running totals, for a run that is killed before it finishes. */
    progress(runId: RunId, counts: Record<string, number>): Promise<void> {
      return ctx.write(() => {
        ctx.w('UPDATE sync_runs SET counts = ? WHERE id = ?').run(toJson(counts), runId);
      });
    },

    finish(runId: RunId, end: { status: Exclude<RunStatus, 'running'>; counts?: Record<string, number>; error?: string | null; notes?: RunNote[] }): Promise<void> {
      return ctx.write(() => {
        ctx
          .w('UPDATE sync_runs SET status = ?, finished_at = ?, counts = coalesce(?, counts), error = ?, notes = ? WHERE id = ?')
          .run(end.status, ctx.now(), toJson(end.counts), safeText(end.error), end.notes?.length ? toJson(end.notes) : null, runId);
      });
    },

    /** One dossier's outcome in a run; becomes the dossier's "last sync" in the list. */
    dossierDone(runId: RunId, dossierId: DossierId, result: RunDossierResult): Promise<void> {
      return ctx.write(() => {
        ctx
          .w(
            `INSERT INTO sync_run_dossiers (run_id, dossier_id, status, counts, error, finished_at) VALUES (?, ?, ?, ?, ?, ?)
             ON CONFLICT (run_id, dossier_id) DO UPDATE SET status = excluded.status, counts = excluded.counts,
               error = excluded.error, finished_at = excluded.finished_at`,
          )
          .run(runId, dossierId, result.status, toJson(result.counts ?? {}), safeText(result.error), ctx.now());
      });
    },

    get(runId: RunId): RunRecord | null {
      const row = ctx.r('SELECT * FROM sync_runs WHERE id = ?').get(runId) as Row | undefined;
      return row ? toRun(row) : null;
    },

    running(): RunRecord[] {
      return (ctx.r(`SELECT * FROM sync_runs WHERE status = 'running' ORDER BY id`).all() as Row[]).map(toRun);
    },

    /** Runs, newest first, keyset-paged. */
    page(args: PageArgs = {}): Page<RunRecord> {
      const limit = pageSize(args.limit);
      const after = decodeCursor(args.after, 1);
      const rows = ctx
        .r(`SELECT * FROM sync_runs ${after ? 'WHERE id < ?' : ''} ORDER BY id DESC LIMIT ?`)
        .all(...(after ? [after[0]] : []), limit + 1) as Row[];
      return toPage(rows, limit, toRun, (r) => [r.id]);
    },

    /** A dossier's run results, newest first. */
    forDossier(dossierId: DossierId, limit = 20): (RunDossierResult & { runId: RunId; finishedAt: string })[] {
      const rows = ctx
        .r('SELECT * FROM sync_run_dossiers WHERE dossier_id = ? ORDER BY finished_at DESC, run_id DESC LIMIT ?')
        .all(dossierId, limit) as Row[];
      return rows.map((r) => ({ runId: r.run_id, status: r.status, counts: fromJson(r.counts, {}), error: r.error, finishedAt: r.finished_at }));
    },

    /** The dossiers a run worked on, by name. */
    dossiersOf(runId: RunId): (RunDossierResult & { dossierId: DossierId; veniceId: VeniceDossierId; name: string; finishedAt: string })[] {
      const rows = ctx
        .r(
          `SELECT r.*, d.venice_id, d.name FROM sync_run_dossiers r JOIN dossiers d ON d.id = r.dossier_id
           WHERE r.run_id = ? ORDER BY d.sort_key, d.id`,
        )
        .all(runId) as Row[];
      return rows.map((r) => ({
        dossierId: r.dossier_id,
        veniceId: r.venice_id,
        name: r.name,
        status: r.status,
        counts: fromJson(r.counts, {}),
        error: r.error,
        finishedAt: r.finished_at,
      }));
    },

    /** Runs left 'running' by a process that no longer exists become 'interrupted'; returns their ids. */
    markInterrupted(): Promise<RunId[]> {
      return ctx.write(() => {
        const stale = (ctx.w(`SELECT id, pid FROM sync_runs WHERE status = 'running'`).all() as Row[]).filter(
          (r) => r.pid == null || (r.pid !== process.pid && !processAlive(r.pid)),
        );
        const stmt = ctx.w(`UPDATE sync_runs SET status = 'interrupted', finished_at = ? WHERE id = ?`);
        for (const r of stale) stmt.run(ctx.now(), r.id);
        return stale.map((r) => asRunId(r.id));
      });
    },
  };
}

/**
 * The accountant-feed items the last poll brought that are not yet delivered and confirmed. Billit allows
 * a poll a minute, so a run that is killed (or cut short) before it finished them must find them here.
 */
export function feedRepo(ctx: Ctx) {
  return {
    /** The items of a poll, instead of those of the one before (call it in the commit that records the poll). */
    replace(items: Iterable<PendingFeedItem>): Promise<void> {
      return ctx.write(async (tx) => {
        ctx.w('DELETE FROM feed_pending').run();
        const insert = ctx.w('INSERT OR REPLACE INTO feed_pending (feed_item_id, entity_type, entity_id, party_id) VALUES (?, ?, ?, ?)');
        for (const i of items) {
          insert.run(i.feedItemId, i.entityType, i.entityId, i.partyId);
          const pause = tx.breathe();
          if (pause) await pause;
        }
      });
    },
    /** The items still open, in feed order, read one at a time (a first feed may hold hundreds of thousands). */
    *pending(): Generator<PendingFeedItem> {
      const rows = ctx.r('SELECT feed_item_id, entity_type, entity_id, party_id FROM feed_pending ORDER BY feed_item_id').raw().iterate() as Iterable<
        [number, string, number, number]
      >;
      for (const [feedItemId, entityType, entityId, partyId] of rows) yield { feedItemId, entityType, entityId, partyId };
    },
    count(): number {
      return ctx.r('SELECT count(*) FROM feed_pending').pluck().get() as number;
    },
    /** Delivered and confirmed: these leave the list. */
    done(feedItemIds: readonly number[]): Promise<void> {
      if (feedItemIds.length === 0) return Promise.resolve();
      return ctx.write(() => {
        ctx.w('DELETE FROM feed_pending WHERE feed_item_id IN (SELECT value FROM json_each(?))').run(JSON.stringify(feedItemIds));
      });
    },
  };
}
