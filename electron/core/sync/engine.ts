/**
 * One sync run: the accountant feed (orders and CODA files) and, per linked dossier, an incremental pull
 * of orders by LastModified plus deleted orders.
 *
 * Exactly once, even when the process is killed anywhere:
 * - a document is keyed by (dossier, 'billit-order', OrderID) and a statement by (account, number, date),
 *   so writing one again updates the same row;
 * - export folders are written atomically and the export service recognises bytes it already delivered;
 * - a dossier's cursor moves only after the page it covers is in the cache and in its folders;
 * - a feed item is confirmed only after its file is in the cache and in its folder.
 * A kill therefore only ever makes the next run redo a little work, never skip or double any.
 *
 * Cheap when nothing changed: one orders page and one deleted-orders page per dossier (filtered past the
 * cursor, a short page ends the loop), plus the feed poll, which Billit allows once a minute.
 */
import { createHash } from 'node:crypto';
import type { SyncStep } from '../../../shared/api';
import type { DocumentInput, DossierRecord, StatementInput } from '../cache/types';
import type { Logger } from '../log';
import { CODA_SOURCE, ORDER_SOURCE, documentFromOrder, statementsFromCoda } from './convert';
import { Limiter, mapLimit } from './limiter';
import type { BillitSource, Clock, FeedItemView, OrderSummary } from './ports';
import type { RunContext, RunOutcome } from './runner';
import type { SyncCache } from './store';

export interface EngineOptions {
  /** Requests in flight at once (default 12). */
  concurrency?: number;
  /** Dossiers worked on at once (default 4). */
  dossierConcurrency?: number;
  /** `$top` of incremental pages (Billit's maximum is 120). */
  pageSize?: number;
  /** Billit allows one feed poll a minute. */
  feedIntervalMs?: number;
  /** How long to wait before probing again when the network is gone. */
  offlineProbeMs?: number;
}

export interface Exporter {
  /** Export these cache documents/statements of a dossier; returns the ids that are safely in their folders. */
  exportDocuments(dossier: DossierRecord, documentIds: number[]): Promise<{ exported: number[]; failed: Array<{ id: number; reason: string }> }>;
  exportStatements(dossier: DossierRecord, statementIds: number[]): Promise<{ exported: number[]; failed: Array<{ id: number; reason: string }> }>;
}

export interface EngineDeps {
  billit: BillitSource;
  cache: SyncCache;
  exporter: Exporter;
  clock: Clock;
  log: Logger;
  options?: EngineOptions;
  /** Called before the run's own work: e.g. poll link states of pending dossiers. */
  beforeRun?(scope: string[] | null, ctx: RunContext): Promise<void>;
  onDossiersChanged?(ids: string[]): void;
}

type Cursor = { lastModified: string; orderId: number };

const FEED_POLL_KEY = 'feed:lastPollAt';
const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** Errors that mean "the network is gone" rather than "this request is wrong". */
export function isOffline(error: unknown): boolean {
  const code = (error as { code?: unknown })?.code;
  if (code === 'network' || code === 'timeout') return true;
  const failure = (error as { failure?: { kind?: string } })?.failure;
  return failure?.kind === 'network' || failure?.kind === 'timeout';
}

export class SyncEngine {
  private readonly concurrency: number;
  private readonly dossierConcurrency: number;
  private readonly pageSize: number;
  private readonly feedIntervalMs: number;
  private readonly offlineProbeMs: number;

  constructor(private readonly deps: EngineDeps) {
    const o = deps.options ?? {};
    this.concurrency = o.concurrency ?? 12;
    this.dossierConcurrency = o.dossierConcurrency ?? 4;
    this.pageSize = Math.min(120, o.pageSize ?? 120);
    this.feedIntervalMs = o.feedIntervalMs ?? 60_000;
    this.offlineProbeMs = o.offlineProbeMs ?? 15_000;
  }

  async run(scope: string[] | null, ctx: RunContext): Promise<RunOutcome> {
    const run = new Run(this, this.deps, scope, ctx);
    return run.execute();
  }

  /** For Run. */
  get settings() {
    return {
      concurrency: this.concurrency,
      dossierConcurrency: this.dossierConcurrency,
      pageSize: this.pageSize,
      feedIntervalMs: this.feedIntervalMs,
      offlineProbeMs: this.offlineProbeMs,
    };
  }
}

class Run {
  private readonly limiter: Limiter;
  private readonly outcome: RunOutcome = { documents: 0, statements: 0, exported: 0, errors: 0 };
  private paused: 'offline' | null = null;
  private step: SyncStep = 'orders';
  private current: { id: string | null; name: string | null } = { id: null, name: null };
  private done = 0;
  private total = 0;
  private readonly changed = new Set<string>();

  constructor(
    private readonly engine: SyncEngine,
    private readonly deps: EngineDeps,
    private readonly scope: string[] | null,
    private readonly ctx: RunContext,
  ) {
    this.limiter = new Limiter(engine.settings.concurrency);
  }

  private get signal() {
    return this.ctx.signal;
  }

  private report(): void {
    this.ctx.progress({
      dossierId: this.current.id,
      dossierName: this.current.name,
      step: this.step,
      done: this.done,
      total: this.total,
      errors: this.outcome.errors,
      paused: this.paused,
    });
  }

  /**
   * A remote call that waits out an outage: when the client has given up because the network is gone,
   * the run reports itself paused and probes again until it is back (or cancelled).
   */
  private async remote<T>(call: () => Promise<T>): Promise<T> {
    for (;;) {
      this.signal.throwIfAborted();
      try {
        const value = await this.limiter.run(call);
        if (this.paused) {
          this.paused = null;
          this.report();
        }
        return value;
      } catch (error) {
        if (this.signal.aborted || !isOffline(error)) throw error;
        if (!this.paused) {
          this.paused = 'offline';
          this.deps.log.warn('sync paused: the network is unreachable', error);
          this.report();
        }
        await this.deps.clock.sleep(this.engine.settings.offlineProbeMs, this.signal);
      }
    }
  }

  async execute(): Promise<RunOutcome> {
    const { cache } = this.deps;
    await this.deps.beforeRun?.(this.scope, this.ctx);
    const inScope = (d: DossierRecord) => this.scope === null || this.scope.includes(d.veniceId);
    const dossiers = cache.dossiers.all().filter((d) => d.linkState === 'linked' && d.billitPartyId && inScope(d));
    this.total = dossiers.length;
    this.step = 'orders';
    this.report();
    await mapLimit(dossiers, this.engine.settings.dossierConcurrency, async (dossier) => {
      await this.syncDossier(dossier);
      this.done++;
      this.report();
    });
    await this.feed();
    if (this.changed.size) this.deps.onDossiersChanged?.([...this.changed]);
    return this.outcome;
  }

  private async syncDossier(dossier: DossierRecord): Promise<void> {
    const { cache, log } = this.deps;
    const counts = { documents: 0, deleted: 0, exported: 0, errors: 0 };
    let status: 'done' | 'failed' = 'done';
    let error: string | null = null;
    try {
      this.current = { id: dossier.veniceId, name: dossier.name };
      const before = this.outcome.documents;
      const exportedBefore = this.outcome.exported;
      const errorsBefore = this.outcome.errors;
      await this.pullOrders(dossier);
      counts.deleted = await this.pullDeleted(dossier);
      counts.documents = this.outcome.documents - before;
      counts.exported = this.outcome.exported - exportedBefore;
      counts.errors = this.outcome.errors - errorsBefore;
      if (counts.documents || counts.deleted) this.changed.add(dossier.veniceId);
    } catch (e) {
      if (this.signal.aborted) throw e;
      status = 'failed';
      error = e instanceof Error ? e.message : String(e);
      this.outcome.errors++;
      log.warn(`sync of dossier ${dossier.veniceId} failed`, e);
    }
    const runId = Number(this.ctx.runId);
    if (Number.isInteger(runId)) await cache.runs.dossierDone(runId, dossier.id, { status, counts, error });
  }

  private cursorOf(key: string): Cursor | null {
    const raw = this.deps.cache.cursors.get(key);
    if (!raw) return null;
    try {
      const c = JSON.parse(raw) as Cursor;
      return typeof c.lastModified === 'string' && typeof c.orderId === 'number' ? c : null;
    } catch {
      return null;
    }
  }

  private async pullOrders(dossier: DossierRecord): Promise<void> {
    const { billit, cache } = this.deps;
    const company = Number(dossier.billitPartyId);
    const key = `orders:${dossier.veniceId}`;
    let cursor = this.cursorOf(key);
    for (;;) {
      const page = await this.remote(() => billit.ordersSince(company, cursor, this.engine.settings.pageSize, this.signal));
      if (page.items.length === 0) break;
      await this.storeOrders(dossier, page.items);
      const last = page.items[page.items.length - 1]!;
      cursor = { lastModified: last.lastModified, orderId: last.orderId };
      await cache.cursors.set(key, JSON.stringify(cursor));
      if (page.items.length < this.engine.settings.pageSize) break;
    }
  }

  private async pullDeleted(dossier: DossierRecord): Promise<number> {
    const { billit, cache } = this.deps;
    const company = Number(dossier.billitPartyId);
    const key = `deleted:${dossier.veniceId}`;
    let cursor = this.cursorOf(key);
    let deleted = 0;
    for (;;) {
      const page = await this.remote(() => billit.deletedOrdersSince(company, cursor, this.engine.settings.pageSize, this.signal));
      if (page.items.length === 0) break;
      const last = page.items[page.items.length - 1]!;
      const next = { lastModified: last.lastModified, orderId: last.orderId };
      deleted += await cache.transaction(async () => {
        const n = await cache.documents.markDeleted(dossier.id, ORDER_SOURCE, page.items.map((i) => String(i.orderId)));
        await cache.cursors.set(key, JSON.stringify(next));
        return n;
      });
      cursor = next;
      if (page.items.length < this.engine.settings.pageSize) break;
    }
    return deleted;
  }

  /**
   * Fetch what is new or changed on a page, store it in one transaction, export what is not yet in its
   * folder. Orders already in the cache with the same LastModified cost nothing.
   */
  private async storeOrders(dossier: DossierRecord, items: readonly OrderSummary[], feedItems?: Map<number, FeedItemView>): Promise<number[]> {
    const { cache, billit } = this.deps;
    const company = Number(dossier.billitPartyId);
    const known = new Map<number, { id: number; remoteModifiedAt: string | null; status: string }>();
    for (const item of items) {
      const doc = cache.documents.bySource(dossier.id, ORDER_SOURCE, String(item.orderId));
      if (doc) known.set(item.orderId, { id: doc.id, remoteModifiedAt: doc.remoteModifiedAt, status: doc.status });
    }
    const toFetch = items.filter((i) => {
      const k = known.get(i.orderId);
      return !k || k.status === 'deleted' || (i.lastModified !== '' && k.remoteModifiedAt !== i.lastModified);
    });
    const inputs = await mapLimit(toFetch, this.engine.settings.concurrency, async (item): Promise<DocumentInput | null> => {
      try {
        const order = await this.remote(() => billit.order(company, item.orderId, this.signal));
        const ublRef = order.attachments.find((a) => /xml/i.test(a.mimeType ?? '') || /\.xml$/i.test(a.fileName ?? ''));
        const ubl = ublRef ? (await this.remote(() => billit.file(company, ublRef.fileId, this.signal))).bytes : null;
        const converted = documentFromOrder(dossier, order, ubl, feedItems?.get(item.orderId)?.feedItemId);
        let pdf = converted.embeddedPdf;
        if (!pdf && order.pdf) pdf = (await this.remote(() => billit.file(company, order.pdf!.fileId, this.signal))).bytes;
        return { ...converted.input, ...(pdf ? { pdf } : {}), status: 'new' };
      } catch (error) {
        if (this.signal.aborted || isOffline(error)) throw error;
        // A document Billit refuses to give stays behind the cursor: the next run tries it again.
        throw Object.assign(new Error(`Order ${item.orderId}: ${error instanceof Error ? error.message : String(error)}`), { cause: error });
      }
    });
    const rows = inputs.filter((r): r is DocumentInput => r !== null);
    let ids: number[] = [];
    if (rows.length) {
      this.step = 'orders';
      const result = await cache.documents.putMany(rows);
      ids = result.ids;
      this.outcome.documents += result.inserted + result.updated;
    }
    // Export everything of the page that is not yet safely in its folder (also what an earlier run stored).
    const pending = new Set(ids);
    for (const k of known.values()) if (k.status === 'new' || k.status === 'export-failed') pending.add(k.id);
    const allIds = items.map((i) => known.get(i.orderId)?.id).filter((id): id is number => id !== undefined);
    if (pending.size) await this.exportDocs(dossier, [...pending]);
    return [...new Set([...ids, ...allIds])];
  }

  private async exportDocs(dossier: DossierRecord, ids: number[]): Promise<Set<number>> {
    this.step = 'export';
    const result = await this.deps.exporter.exportDocuments(dossier, ids);
    if (result.exported.length) await this.deps.cache.documents.setStatus(result.exported, 'exported');
    if (result.failed.length) {
      await this.deps.cache.documents.setStatus(
        result.failed.map((f) => f.id),
        'export-failed',
      );
      this.outcome.errors += result.failed.length;
    }
    this.outcome.exported += result.exported.length;
    return new Set(result.exported);
  }

  // ------------------------------------------------------------------------------------- the feed

  private async feed(): Promise<void> {
    const { cache, billit, clock } = this.deps;
    const last = Number(cache.cursors.get(FEED_POLL_KEY) ?? '0');
    const now = clock.now();
    if (now - last < this.engine.settings.feedIntervalMs) return;
    this.step = 'feed';
    this.current = { id: null, name: null };
    this.report();
    const items = await this.remote(() => billit.feedItems(this.signal));
    await cache.cursors.set(FEED_POLL_KEY, String(now));
    this.total = items.length;
    this.done = 0;
    const orders = items.filter((i) => i.entityType === 'Order');
    const codas = items.filter((i) => i.entityType === 'CODA');
    // Orders, grouped per dossier so each group is stored in one transaction.
    const byCompany = new Map<number, FeedItemView[]>();
    for (const item of orders) {
      const list = byCompany.get(item.partyId) ?? [];
      list.push(item);
      byCompany.set(item.partyId, list);
    }
    await mapLimit([...byCompany], this.engine.settings.dossierConcurrency, async ([partyId, list]) => {
      const dossier = cache.dossiers.byBillitPartyId(String(partyId));
      if (!dossier || (this.scope && !this.scope.includes(dossier.veniceId))) return;
      for (let i = 0; i < list.length; i += this.engine.settings.pageSize) {
        await this.feedOrders(dossier, list.slice(i, i + this.engine.settings.pageSize));
      }
    });
    this.step = 'statements';
    this.report();
    await mapLimit(codas, this.engine.settings.concurrency, (item) => this.feedCoda(item));
  }

  private async feedOrders(dossier: DossierRecord, items: FeedItemView[]): Promise<void> {
    const { cache, billit } = this.deps;
    const byOrder = new Map(items.map((i) => [i.entityId, i]));
    // The feed says nothing of LastModified: an order the cache holds is not fetched again.
    const summaries = items.map((i) => ({ orderId: i.entityId, lastModified: '' }));
    await this.storeOrders(dossier, summaries, byOrder);
    await mapLimit(items, this.engine.settings.concurrency, async (item) => {
      const doc = cache.documents.bySource(dossier.id, ORDER_SOURCE, String(item.entityId));
      if (doc?.status !== 'exported') return;
      await this.remote(() => billit.confirmFeedItem(item, 'exported', this.signal));
      this.done++;
    });
    this.report();
  }

  private async feedCoda(item: FeedItemView): Promise<void> {
    const { cache, billit, log } = this.deps;
    try {
      let download = await this.remote(() => billit.codaFile(item, this.signal));
      // A file whose bytes do not match the hash Billit publishes is fetched again, then left open.
      for (let attempt = 1; download.sha256 && sha256(download.bytes) !== download.sha256.toLowerCase(); attempt++) {
        if (attempt >= 4) throw new Error(`CODA feed item ${item.feedItemId}: SHA-256 does not match after ${attempt} downloads`);
        download = await this.remote(() => billit.codaFile(item, this.signal));
      }
      const hash = sha256(download.bytes);
      const converted = statementsFromCoda(download.bytes, { sourceId: hash, sourceIds: { feedItem: String(item.feedItemId), companyId: String(item.partyId) } });
      if (converted.failure) throw new Error(`CODA feed item ${item.feedItemId}: ${converted.failure.message}`);
      // Routed by the account holder's enterprise number; the feed's company when the file does not say.
      const byParty = cache.dossiers.byBillitPartyId(String(item.partyId));
      const rows: Array<{ dossier: DossierRecord; input: StatementInput }> = [];
      for (const s of converted.statements) {
        const dossier = (s.enterpriseNumber && cache.dossiers.byEnterpriseNumber(s.enterpriseNumber)[0]) || byParty;
        if (!dossier) throw new Error(`CODA feed item ${item.feedItemId}: no dossier for enterprise number ${s.enterpriseNumber ?? '(none)'}`);
        if (this.scope && !this.scope.includes(dossier.veniceId)) return;
        rows.push({ dossier, input: { ...s.input, dossierId: dossier.id, status: 'new' } });
      }
      const result = await cache.statements.putMany(rows.map((r) => r.input));
      this.outcome.statements += result.inserted + result.updated;
      const byDossier = new Map<number, { dossier: DossierRecord; ids: number[] }>();
      rows.forEach((r, i) => {
        const entry = byDossier.get(r.dossier.id) ?? { dossier: r.dossier, ids: [] };
        entry.ids.push(result.ids[i]!);
        byDossier.set(r.dossier.id, entry);
        this.changed.add(r.dossier.veniceId);
      });
      let allExported = true;
      for (const { dossier, ids } of byDossier.values()) {
        const exported = await this.deps.exporter.exportStatements(dossier, ids);
        if (exported.exported.length) await cache.statements.setStatus(exported.exported, 'exported');
        if (exported.failed.length) {
          allExported = false;
          await cache.statements.setStatus(
            exported.failed.map((f) => f.id),
            'export-failed',
          );
          this.outcome.errors += exported.failed.length;
        }
        this.outcome.exported += exported.exported.length;
      }
      if (allExported) await this.remote(() => billit.confirmFeedItem(item, 'exported', this.signal));
      this.done++;
    } catch (error) {
      if (this.signal.aborted || isOffline(error)) throw error;
      this.outcome.errors++;
      log.warn(`CODA feed item ${item.feedItemId} not delivered`, error);
    }
  }
}

export { CODA_SOURCE, ORDER_SOURCE };
