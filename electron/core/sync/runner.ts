/**
 * Runs of the sync: one at a time, on demand, on a schedule, at start-up when one is due; cancel; the
 * state the UI reads (`sync.status`) and the events it listens to.
 *
 * The run itself (`SyncJob`) knows nothing of triggers or timers; this module knows nothing of what a run
 * does. Timers use the injected clock's `sleep`, so tests drive the schedule without waiting.
 */
import { setMaxListeners } from 'node:events';
import type { SyncProgress, SyncRunNote, SyncRunSummary, SyncStatus } from '../../../shared/api';
import type { Clock } from '../lib/time';

export type Trigger = SyncRunSummary['trigger'];

export interface RunContext {
  runId: string;
  signal: AbortSignal;
  progress(p: Omit<SyncProgress, 'runId'>): void;
}

export interface RunOutcome {
  documents: number;
  statements: number;
  exported: number;
  errors: number;
  message?: string;
  notes?: SyncRunNote[];
}

export interface RunStore {
  /** Record a run as started; returns its id. */
  begin(trigger: Trigger, scope: string[] | null): Promise<string>;
  finish(runId: string, status: SyncRunSummary['status'], outcome: RunOutcome, error?: string | null): Promise<void>;
  list(limit: number): SyncRunSummary[];
  /** When the last run that finished well (done) finished, ms since epoch. */
  lastCompletedAt(): number | null;
  intervalMinutes(): number;
  setIntervalMinutes(minutes: number): void;
}

export interface RunnerDeps {
  clock: Clock;
  store: RunStore;
  job: (scope: string[] | null, ctx: RunContext) => Promise<RunOutcome>;
  onProgress(p: SyncProgress): void;
  onFinished(summary: SyncRunSummary): void;
  onError?(error: unknown): void;
  /** A scheduled run waits while this says no (offline); it is looked at again a minute later. */
  canStart?(): boolean;
}

const SCHEDULE_RETRY_MS = 60_000;

export class SyncRunner {
  private current: { runId: string; abort: AbortController; progress: SyncProgress; done: Promise<void> } | null = null;
  private starting: Promise<{ runId: string; done: Promise<void> }> | null = null;
  private timer: AbortController | null = null;
  private closed = false;

  constructor(private readonly deps: RunnerDeps) {}

  get running(): boolean {
    return this.current !== null;
  }

  /** Start a run, or return the one already going (one at a time). */
  start(trigger: Trigger, scope: string[] | null = null): Promise<{ runId: string; done: Promise<void> }> {
    if (this.current) return Promise.resolve({ runId: this.current.runId, done: this.current.done });
    this.starting ??= this.begin(trigger, scope).finally(() => {
      this.starting = null;
    });
    return this.starting;
  }

  private async begin(trigger: Trigger, scope: string[] | null): Promise<{ runId: string; done: Promise<void> }> {
    const runId = await this.deps.store.begin(trigger, scope);
    const abort = new AbortController();
    // Every request in flight listens to the run's signal to end early on cancel: dozens at once is normal.
    setMaxListeners(0, abort.signal);
    const progress: SyncProgress = { runId, dossierId: null, dossierName: null, step: 'feed', done: 0, total: 0, errors: 0, paused: null };
    const entry = { runId, abort, progress, done: Promise.resolve() };
    this.current = entry;
    entry.done = this.execute(entry, trigger, scope);
    return { runId, done: entry.done };
  }

  private async execute(entry: NonNullable<SyncRunner['current']>, trigger: Trigger, scope: string[] | null): Promise<void> {
    const { runId, abort } = entry;
    const startedAt = new Date(this.deps.clock.now()).toISOString();
    let status: SyncRunSummary['status'] = 'done';
    let outcome: RunOutcome = { documents: 0, statements: 0, exported: 0, errors: 0 };
    let message: string | undefined;
    try {
      outcome = await this.deps.job(scope, {
        runId,
        signal: abort.signal,
        progress: (p) => {
          entry.progress = { runId, ...p };
          this.deps.onProgress(entry.progress);
        },
      });
      message = outcome.message;
    } catch (error) {
      if (abort.signal.aborted) status = 'cancelled';
      else {
        status = 'failed';
        message = error instanceof Error ? error.message : String(error);
        this.deps.onError?.(error);
      }
    }
    try {
      await this.deps.store.finish(runId, status, outcome, status === 'failed' ? (message ?? null) : null);
    } catch (error) {
      this.deps.onError?.(error);
    }
    this.current = null;
    const summary: SyncRunSummary = {
      runId,
      trigger,
      startedAt,
      finishedAt: new Date(this.deps.clock.now()).toISOString(),
      status,
      documents: outcome.documents,
      statements: outcome.statements,
      exported: outcome.exported,
      errors: outcome.errors,
      scope,
      ...(message ? { message } : {}),
      ...(outcome.notes?.length ? { notes: outcome.notes } : {}),
    };
    this.deps.onProgress({ ...entry.progress, step: 'done', paused: null });
    this.deps.onFinished(summary);
    if (!this.closed) this.arm();
  }

  cancel(): boolean {
    if (!this.current) return false;
    this.current.abort.abort(new Error('cancelled'));
    return true;
  }

  /** Cancel the run going on, if any, and wait until it has ended. */
  async cancelAndWait(): Promise<void> {
    await this.starting?.catch(() => undefined);
    const current = this.current;
    if (!current) return;
    current.abort.abort(new Error('cancelled'));
    await current.done;
  }

  status(): SyncStatus {
    const runs = this.deps.store.list(1);
    const lastRun = runs.find((r) => r.runId !== this.current?.runId) ?? null;
    const next = this.nextRunAt();
    return {
      running: this.current ? { ...this.current.progress } : null,
      lastRun,
      intervalMinutes: this.deps.store.intervalMinutes(),
      nextRunAt: next === null ? null : new Date(next).toISOString(),
    };
  }

  runs(limit: number): SyncRunSummary[] {
    return this.deps.store.list(limit);
  }

  setSchedule(minutes: number): SyncStatus {
    this.deps.store.setIntervalMinutes(minutes);
    this.arm();
    return this.status();
  }

  /** When the next scheduled run is due (ms), or null when the schedule is off. */
  nextRunAt(): number | null {
    const minutes = this.deps.store.intervalMinutes();
    if (minutes <= 0) return null;
    const last = this.deps.store.lastCompletedAt();
    return last === null ? this.deps.clock.now() : last + minutes * 60_000;
  }

  /** At start-up: run now when a scheduled run is due, and keep the schedule going. */
  async startup(): Promise<{ runId: string; done: Promise<void> } | null> {
    const due = this.nextRunAt();
    if (due !== null && due <= this.deps.clock.now()) return this.start('startup');
    this.arm();
    return null;
  }

  /** (Re)arm the one schedule timer. */
  private arm(): void {
    this.timer?.abort();
    this.timer = null;
    if (this.closed) return;
    const due = this.nextRunAt();
    if (due === null) return;
    const timer = new AbortController();
    this.timer = timer;
    const wait = Math.max(0, due - this.deps.clock.now());
    this.deps.clock.sleep(wait, timer.signal).then(
      async () => {
        if (this.timer !== timer || this.closed) return;
        if (this.deps.canStart && !this.deps.canStart()) {
          await this.deps.clock.sleep(SCHEDULE_RETRY_MS, timer.signal).catch(() => undefined);
          if (this.timer === timer && !this.closed) this.arm();
          return;
        }
        this.timer = null;
        if (!this.current) this.start('schedule').catch((error: unknown) => this.deps.onError?.(error));
      },
      () => undefined,
    );
  }

  async close(): Promise<void> {
    this.closed = true;
    this.timer?.abort();
    this.timer = null;
    await this.starting?.catch(() => undefined);
    const current = this.current;
    if (current) {
      current.abort.abort(new Error('closing'));
      await current.done;
    }
  }
}
