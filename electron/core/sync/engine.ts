/**
 * One sync run: the accountant feed (orders and CODA files) and, per linked dossier, an incremental pull
 * of orders by LastModified plus deleted orders.
 *
 * Exactly once, even when the process is killed anywhere:
 * - a document is keyed by (dossier, 'billit-order', OrderID) and a statement by (account, number, date),
 *   so writing one again updates the same row;
 * - export folders are written atomically and the export service recognises bytes it already delivered;
 * - a dossier's cursor moves only after the page it covers is in the cache and in its folders;
 * - a feed item is confirmed only after its file is in the cache (synced to disk) and in its folder.
 * A kill therefore only ever makes the next run redo a little work, never skip or double any.
 *
 * Cheap when nothing changed: one orders page and one deleted-orders page per dossier (filtered past the
 * cursor, a short page ends the loop), plus the feed poll, which Billit allows once a minute.
 */
import { AppError, asBillitPartyId, parseRunId, type SyncStep } from '../../../shared/api';
import { BillitError, FeedPollTooSoonError } from '../billit/errors';
import type { DocumentInput, DossierRecord, DossierWithParty, StatementInput } from '../cache/types';
import type { Logger } from '../log';
import { CODA_SOURCE, ORDER_SOURCE } from './convert';
import { Limiter, mapLimit } from '../lib/limit';
import type { Clock } from '../lib/time';
import { RetryExhaustedError } from '../http/retry';
import type { BillitOrders, FeedItemView, OrderSummary, SyncWorkers } from './ports';
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
  billit: BillitOrders;
  workers: SyncWorkers;
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

/** A CODA feed item downloaded, checked, parsed and routed, not yet stored. */
interface PreparedCoda {
  item: FeedItemView;
  rows: Array<{ dossier: DossierRecord; input: StatementInput }>;
}

const FEED_POLL_KEY = 'feed:lastPollAt';

/** Errors that mean "the network is gone" rather than "this request is wrong". */
export function isOffline(error: unknown): boolean {
  if (error instanceof AppError) return error.code === 'network' || error.code === 'timeout';
  return error instanceof RetryExhaustedError && (error.failure.kind === 'network' || error.failure.kind === 'timeout');
}

/** Billit's "not yet" for a feed poll (its own 429, or the client keeping to its minute): how long to wait, if said. */
function pollRefusal(error: unknown): { retryAfterMs: number | undefined } | null {
  if (error instanceof FeedPollTooSoonError) return { retryAfterMs: error.retryAfterMs };
  if (error instanceof BillitError && error.code === 'rate-limited') return { retryAfterMs: error.retryAfterMs };
  return null;
}

/**
 * A feed's items, grouped: a first feed holds every document ever exported (250,000 in the benchmark's
 * office), and kept as objects while they are worked through they were most of the heap (V8 sizes the heap
 * by what is live). Orders keep only their ids, per company ([feedItemId, entityId, …]); the items are made
 * again a page at a time.
 */
function groupFeed(items: Iterable<FeedItemView>): { total: number; orders: Map<number, number[]>; codas: FeedItemView[] } {
  const orders = new Map<number, number[]>();
  const codas: FeedItemView[] = [];
  let total = 0;
  for (const item of items) {
    total++;
    if (item.entityType === 'Order') {
      let ids = orders.get(item.partyId);
      if (!ids) orders.set(item.partyId, (ids = []));
      ids.push(item.feedItemId, item.entityId);
    } else if (item.entityType === 'CODA') codas.push(item);
  }
  return { total, orders, codas };
}

/** The feed items this sync delivers (and so keeps until they are confirmed). */
const delivered = (item: FeedItemView) => item.entityType === 'Order' || item.entityType === 'CODA';

/** "in 42 s", "in 1 min 5 s". */
function inAbout(ms: number): string {
  const s = Math.max(1, Math.ceil(ms / 1000));
  return s < 60 ? `in ${s} s` : `in ${Math.floor(s / 60)} min${s % 60 ? ` ${s % 60} s` : ''}`;
}

/** What a run brought one dossier, and how the dossier's own step ended (its row in the run's history). */
interface DossierTally {
  dossier: DossierRecord;
  documents: number;
  statements: number;
  exported: number;
  errors: number;
  deleted: number;
  status: 'done' | 'failed';
  error: string | null;
  /** Counted since its row was last written: the feed adds to dossiers after their own step. */
  unrecorded: boolean;
}

export class SyncEngine {
  private readonly concurrency: number;
  private readonly dossierConcurrency: number;
  private readonly pageSize: number;
  private readonly feedIntervalMs: number;
  private readonly offlineProbeMs: number;

  constructor(private readonly deps: EngineDeps) {
    const o = deps.options ?? {};
    // Loopback or LAN, Billit answers a document in a few ms: enough requests in flight to hide that, and
    // enough dossiers at once that one dossier's cache commit and folder writes overlap another's downloads.
    this.concurrency = o.concurrency ?? 16;
    this.dossierConcurrency = o.dossierConcurrency ?? 8;
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
  /**
   * What the run brought each dossier. Dossiers sync side by side and the feed serves many at once, so
   * a dossier's share is counted where the work is done, never as a difference of the run's totals.
   */
  private readonly perDossier = new Map<number, DossierTally>();
  private paused: 'offline' | null = null;
  private step: SyncStep = 'orders';
  private current: { id: string | null; name: string | null } = { id: null, name: null };
  private done = 0;
  private total = 0;
  private readonly changed = new Set<string>();
  /** Dossier lookups of the feed, once per run (a CODA feed has an item per statement). */
  private readonly byParty = new Map<number, DossierWithParty | null>();
  private readonly byEnterprise = new Map<string, DossierRecord | null>();

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
    const dossiers = cache.dossiers.all().filter((d): d is DossierWithParty => d.linkState === 'linked' && !!d.billitPartyId && inScope(d));
    this.total = dossiers.length;
    this.step = 'orders';
    this.report();
    await mapLimit(dossiers, this.engine.settings.dossierConcurrency, async (dossier) => {
      await this.syncDossier(dossier);
      this.done++;
      this.report();
    });
    await this.feed();
    // The feed delivers statements (and documents) to dossiers after their own step: their rows say so.
    for (const tally of this.perDossier.values()) if (tally.unrecorded) await this.record(tally);
    if (this.changed.size) this.deps.onDossiersChanged?.([...this.changed]);
    return this.outcome;
  }

  private async syncDossier(dossier: DossierWithParty): Promise<void> {
    const tally = this.tally(dossier);
    try {
      this.current = { id: dossier.veniceId, name: dossier.name };
      await this.pullOrders(dossier);
      tally.deleted = await this.pullDeleted(dossier);
      if (tally.documents || tally.deleted) this.changed.add(dossier.veniceId);
    } catch (e) {
      if (this.signal.aborted) throw e;
      tally.status = 'failed';
      tally.error = e instanceof Error ? e.message : String(e);
      this.count(dossier, 'errors', 1);
      this.deps.log.warn(`sync of dossier ${dossier.veniceId} failed`, e);
    }
    await this.record(tally);
  }

  /** Counts work for the run and for the dossier it was done for. */
  private count(dossier: DossierRecord, field: 'documents' | 'exported' | 'errors', n: number): void {
    if (!n) return;
    this.outcome[field] += n;
    this.brought(dossier, field, n);
  }

  /** Counts work for the dossier alone (the run counts its statements where they are stored). */
  private brought(dossier: DossierRecord, field: 'documents' | 'statements' | 'exported' | 'errors', n: number): void {
    const tally = this.tally(dossier);
    tally[field] += n;
    tally.unrecorded = true;
  }

  private tally(dossier: DossierRecord): DossierTally {
    let tally = this.perDossier.get(dossier.id);
    if (!tally) {
      tally = { dossier, documents: 0, statements: 0, exported: 0, errors: 0, deleted: 0, status: 'done', error: null, unrecorded: true };
      this.perDossier.set(dossier.id, tally);
    }
    return tally;
  }

  /** The dossier's row of the run's history: how its step ended and what the run brought it so far. */
  private async record(tally: DossierTally): Promise<void> {
    const runId = parseRunId(this.ctx.runId);
    if (runId === null) return;
    const { dossier, status, error, documents, statements, exported, errors, deleted } = tally;
    tally.unrecorded = false;
    await this.deps.cache.runs.dossierDone(runId, dossier.id, { status, counts: { documents, statements, exported, errors, deleted }, error });
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

  private async pullOrders(dossier: DossierWithParty): Promise<void> {
    const { billit, cache } = this.deps;
    const company = dossier.billitPartyId;
    const key = `orders:${dossier.veniceId}`;
    let cursor = this.cursorOf(key);
    for (;;) {
      const page = await this.remote(() => billit.ordersSince(company, cursor, this.engine.settings.pageSize, this.signal));
      if (page.items.length === 0) break;
      const last = page.items[page.items.length - 1]!;
      const next = { lastModified: last.lastModified, orderId: last.orderId };
      // The cursor moves in the same commit that records the page's documents as exported: after the page
      // is in the cache (its own earlier commit) and in its folders, never before.
      await this.storeOrders(dossier, page.items, undefined, () => cache.cursors.set(key, JSON.stringify(next)));
      cursor = next;
      if (page.items.length < this.engine.settings.pageSize) break;
    }
  }

  private async pullDeleted(dossier: DossierWithParty): Promise<number> {
    const { billit, cache } = this.deps;
    const company = dossier.billitPartyId;
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
  private async storeOrders(
    dossier: DossierWithParty,
    items: readonly OrderSummary[],
    feedItems?: Map<number, FeedItemView>,
    afterExport?: () => Promise<void>,
  ): Promise<number[]> {
    const { cache } = this.deps;
    const company = dossier.billitPartyId;
    const known = new Map<number, { id: number; remoteModifiedAt: string | null; status: string }>();
    const states = cache.documents.stateBySource(dossier.id, ORDER_SOURCE, items.map((i) => String(i.orderId)));
    for (const item of items) {
      const doc = states.get(String(item.orderId));
      if (doc) known.set(item.orderId, doc);
    }
    const toFetch = items.filter((i) => {
      const k = known.get(i.orderId);
      return !k || k.status === 'deleted' || (i.lastModified !== '' && k.remoteModifiedAt !== i.lastModified);
    });
    const inputs = await mapLimit(toFetch, this.engine.settings.concurrency, async (item): Promise<DocumentInput | null> => {
      try {
        const job = { dossier: { id: dossier.id, enterpriseNumber: dossier.enterpriseNumber }, companyId: company, orderId: item.orderId, feedItemId: feedItems?.get(item.orderId)?.feedItemId };
        return await this.remote(() => this.deps.workers.readDocument(job, this.signal));
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
      this.count(dossier, 'documents', result.inserted + result.updated);
    }
    // Export everything of the page that is not yet safely in its folder (also what an earlier run stored).
    const pending = new Set(ids);
    for (const k of known.values()) if (k.status === 'new' || k.status === 'export-failed') pending.add(k.id);
    const allIds = items.map((i) => known.get(i.orderId)?.id).filter((id): id is number => id !== undefined);
    if (pending.size) await this.exportDocs(dossier, [...pending], afterExport);
    else if (afterExport) await afterExport();
    return [...new Set([...ids, ...allIds])];
  }

  /** Export, then record the outcome (and whatever `also` writes, e.g. the cursor) in one commit. */
  private async exportDocs(dossier: DossierRecord, ids: number[], also?: () => Promise<void>): Promise<Set<number>> {
    this.step = 'export';
    const { cache } = this.deps;
    const result = await this.deps.exporter.exportDocuments(dossier, ids);
    await cache.transaction(async () => {
      if (result.exported.length) await cache.documents.setStatus(result.exported, 'exported');
      if (result.failed.length) {
        await cache.documents.setStatus(
          result.failed.map((f) => f.id),
          'export-failed',
        );
      }
      await also?.();
    });
    this.count(dossier, 'errors', result.failed.length);
    this.count(dossier, 'exported', result.exported.length);
    return new Set(result.exported);
  }

  private dossierOfParty(partyId: number): DossierWithParty | null {
    if (!this.byParty.has(partyId)) this.byParty.set(partyId, this.deps.cache.dossiers.byBillitPartyId(asBillitPartyId(partyId)));
    return this.byParty.get(partyId)!;
  }

  private dossierOfEnterprise(enterpriseNumber: string): DossierRecord | null {
    if (!this.byEnterprise.has(enterpriseNumber)) this.byEnterprise.set(enterpriseNumber, this.deps.cache.dossiers.byEnterpriseNumber(enterpriseNumber)[0] ?? null);
    return this.byEnterprise.get(enterpriseNumber)!;
  }

  // ------------------------------------------------------------------------------------- the feed

  /**
   * The accountant feed: polled when Billit's one-a-minute allows it, the items it brought kept (in the
   * commit that records the poll) until each is delivered and confirmed. A run that cannot poll yet still
   * finishes what an earlier one fetched and did not deliver — a run killed in this step, restarted at
   * once — and its summary says the poll was skipped.
   */
  private async feed(): Promise<void> {
    const { cache, billit, clock } = this.deps;
    const last = Number(cache.cursors.get(FEED_POLL_KEY) ?? '0');
    const now = clock.now();
    let polled: ReturnType<typeof groupFeed> | null = null;
    if (now - last >= this.engine.settings.feedIntervalMs) {
      this.step = 'feed';
      this.current = { id: null, name: null };
      this.report();
      try {
        const items = await this.remote(() => billit.feedItems(this.signal));
        polled = groupFeed(items);
        await cache.transaction(async () => {
          await cache.feed.replace(items.filter(delivered));
          await cache.cursors.set(FEED_POLL_KEY, String(now));
        });
      } catch (error) {
        // The client keeps to Billit's minute itself (and Billit may refuse a poll too soon): a run sooner
        // than that — a manual one right after a scheduled one — leaves the poll for the next run.
        const refusal = pollRefusal(error);
        if (!refusal) throw error;
        this.pollSkipped(refusal.retryAfterMs || this.engine.settings.feedIntervalMs);
      }
    } else this.pollSkipped(last + this.engine.settings.feedIntervalMs - now);
    const work = polled ?? groupFeed(cache.feed.pending());
    if (work.total === 0) return;
    if (!polled) this.deps.log.info(`accountant feed: finishing ${work.total} item(s) an earlier run fetched`);
    this.step = 'feed';
    this.current = { id: null, name: null };
    const { orders, codas } = work;
    this.total = work.total;
    this.done = 0;
    this.report();
    const page = this.engine.settings.pageSize;
    await mapLimit([...orders], this.engine.settings.dossierConcurrency, async ([partyId, ids]) => {
      const dossier = this.dossierOfParty(partyId);
      if (!dossier || (this.scope && !this.scope.includes(dossier.veniceId))) return;
      for (let i = 0; i < ids.length; i += 2 * page) {
        const chunk: FeedItemView[] = [];
        for (let j = i; j < ids.length && j < i + 2 * page; j += 2) chunk.push({ feedItemId: ids[j]!, entityType: 'Order', entityId: ids[j + 1]!, partyId });
        await this.feedOrders(dossier, chunk);
      }
    });
    this.step = 'statements';
    this.report();
    for (let i = 0; i < codas.length; i += this.engine.settings.pageSize) {
      await this.feedCodas(codas.slice(i, i + this.engine.settings.pageSize));
    }
  }

  private pollSkipped(waitMs: number): void {
    const message = `Billit allows one accountant-feed poll a minute: this run did not ask for new documents and bank statements (next poll possible ${inAbout(waitMs)}).`;
    this.deps.log.info(`accountant feed not polled: ${message}`);
    (this.outcome.notes ??= []).push({ code: 'feed.poll-skipped', message });
  }

  private async feedOrders(dossier: DossierWithParty, items: FeedItemView[]): Promise<void> {
    const { cache } = this.deps;
    const byOrder = new Map(items.map((i) => [i.entityId, i]));
    // The feed says nothing of LastModified: an order the cache holds is not fetched again.
    const summaries = items.map((i) => ({ orderId: i.entityId, lastModified: '' }));
    await this.storeOrders(dossier, summaries, byOrder);
    const states = cache.documents.stateBySource(dossier.id, ORDER_SOURCE, items.map((i) => String(i.entityId)));
    // A confirmed item leaves the feed for good: what it delivered must survive a power cut first.
    await cache.durable();
    await this.confirm(items.filter((item) => states.get(String(item.entityId))?.status === 'exported'));
    this.report();
  }

  /**
   * Confirms delivered feed items, a page at a time. Items the network kept from being confirmed wait for it
   * like any remote call (the run pauses, then tries them again); an item Billit refuses is counted, logged
   * and left in the feed for the next run.
   */
  private async confirm(items: FeedItemView[]): Promise<void> {
    let left = items;
    while (left.length) {
      const batch = left;
      const outcome = await this.remote(async () => {
        const o = await this.deps.workers.confirm(batch, 'exported', this.signal);
        const offline = o.failed.find((f) => isOffline(f.error));
        if (offline && o.confirmed.length === 0) throw offline.error;
        return o;
      });
      this.done += outcome.confirmed.length;
      await this.deps.cache.feed.done(outcome.confirmed);
      const again = new Set<number>();
      for (const f of outcome.failed) {
        if (isOffline(f.error)) again.add(f.feedItemId);
        else {
          this.outcome.errors++;
          this.deps.log.warn(`feed item ${f.feedItemId} not confirmed`, f.error);
        }
      }
      left = batch.filter((i) => again.has(i.feedItemId));
    }
  }

  /**
   * A batch of CODA feed items: downloaded and parsed concurrently, stored in one commit, exported per
   * dossier, their status recorded in one commit, and only then each item confirmed. An item that fails
   * (hash, parse, routing, export) is left open for the next run; the others go on.
   */
  private async feedCodas(items: FeedItemView[]): Promise<void> {
    const { cache, log } = this.deps;
    const failed = (item: FeedItemView, error: unknown) => {
      if (this.signal.aborted || isOffline(error)) throw error;
      this.outcome.errors++;
      log.warn(`CODA feed item ${item.feedItemId} not delivered`, error);
    };
    const prepared = await mapLimit(items, this.engine.settings.concurrency, async (item) => {
      try {
        return await this.prepareCoda(item);
      } catch (error) {
        failed(item, error);
        return null;
      }
    });
    const batch = prepared.filter((p): p is NonNullable<typeof p> => p !== null && p.rows.length > 0);
    if (batch.length === 0) return;

    const rows = batch.flatMap((p) => p.rows);
    let result: Awaited<ReturnType<typeof cache.statements.putMany>>;
    try {
      result = await cache.statements.putMany(rows.map((r) => r.input));
    } catch (error) {
      if (batch.length === 1) return failed(batch[0]!.item, error);
      // One file the cache refuses must not hold back the others: store them one by one.
      for (const p of batch) await this.storeCodas([p]);
      return;
    }
    await this.exportCodas(batch, result.inserted + result.updated, result.ids);
  }

  private async storeCodas(batch: PreparedCoda[]): Promise<void> {
    const { cache } = this.deps;
    try {
      const result = await cache.statements.putMany(batch.flatMap((p) => p.rows).map((r) => r.input));
      await this.exportCodas(batch, result.inserted + result.updated, result.ids);
    } catch (error) {
      if (this.signal.aborted || isOffline(error)) throw error;
      this.outcome.errors++;
      this.deps.log.warn(`CODA feed item ${batch[0]!.item.feedItemId} not delivered`, error);
    }
  }

  /** Export stored statements per dossier, record the outcome in one commit, confirm the items fully delivered. */
  private async exportCodas(batch: PreparedCoda[], stored: number, storedIds: readonly number[]): Promise<void> {
    const { cache, log } = this.deps;
    this.outcome.statements += stored;
    const idsOf = new Map<PreparedCoda, number[]>();
    const byDossier = new Map<number, { dossier: DossierRecord; ids: number[] }>();
    let at = 0;
    for (const p of batch) {
      const ids: number[] = [];
      for (const r of p.rows) {
        const id = storedIds[at++]!;
        ids.push(id);
        const entry = byDossier.get(r.dossier.id) ?? { dossier: r.dossier, ids: [] };
        entry.ids.push(id);
        byDossier.set(r.dossier.id, entry);
        this.changed.add(r.dossier.veniceId);
      }
      idsOf.set(p, ids);
    }
    const exported = new Set<number>();
    const failedIds: number[] = [];
    await mapLimit([...byDossier.values()], this.engine.settings.dossierConcurrency, async ({ dossier, ids }) => {
      try {
        const outcome = await this.deps.exporter.exportStatements(dossier, ids);
        for (const id of outcome.exported) exported.add(id);
        failedIds.push(...outcome.failed.map((f) => f.id));
        this.count(dossier, 'exported', outcome.exported.length);
        this.count(dossier, 'errors', outcome.failed.length);
        // The dossier's statements: those this run delivered to its folder.
        this.brought(dossier, 'statements', outcome.exported.length);
      } catch (error) {
        if (this.signal.aborted || isOffline(error)) throw error;
        log.warn(`CODA statements of dossier ${dossier.veniceId} not exported`, error);
        failedIds.push(...ids);
        this.count(dossier, 'errors', ids.length);
      }
    });
    await cache.transaction(async () => {
      if (exported.size) await cache.statements.setStatus([...exported], 'exported');
      if (failedIds.length) await cache.statements.setStatus(failedIds, 'export-failed');
    });
    await cache.durable();
    await this.confirm(batch.filter((p) => idsOf.get(p)!.every((id) => exported.has(id))).map((p) => p.item));
    this.report();
  }

  /** Download (checking the published SHA-256), parse and route one CODA feed item; null when out of scope. */
  private async prepareCoda(item: FeedItemView): Promise<PreparedCoda | null> {
    const { converted } = await this.remote(() => this.deps.workers.readCoda(item, this.signal));
    if (converted.failure) throw new Error(`CODA feed item ${item.feedItemId}: ${converted.failure.message}`);
    // Routed by the account holder's enterprise number; the feed's company when the file does not say.
    const byParty = this.dossierOfParty(item.partyId);
    const rows: Array<{ dossier: DossierRecord; input: StatementInput }> = [];
    for (const s of converted.statements) {
      const dossier = (s.enterpriseNumber && this.dossierOfEnterprise(s.enterpriseNumber)) || byParty;
      if (!dossier) throw new Error(`CODA feed item ${item.feedItemId}: no dossier for enterprise number ${s.enterpriseNumber ?? '(none)'}`);
      if (this.scope && !this.scope.includes(dossier.veniceId)) return null;
      rows.push({ dossier, input: { ...s.input, dossierId: dossier.id, status: 'new' } });
    }
    return { item, rows };
  }
}

export { CODA_SOURCE, ORDER_SOURCE };
