import { z } from 'zod';
import { call } from './contract';
import { dossierId } from './dossiers';

export type SyncStep = 'relations' | 'feed' | 'orders' | 'statements' | 'export' | 'done';

export interface SyncProgress {
  runId: string;
  dossierId: string | null;
  dossierName: string | null;
  step: SyncStep;
  done: number;
  total: number;
  errors: number;
  paused: 'offline' | null;
}

export interface SyncRunSummary {
  runId: string;
  trigger: 'manual' | 'schedule' | 'startup';
  startedAt: string;
  finishedAt: string | null;
  status: 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';
  documents: number;
  statements: number;
  exported: number;
  errors: number;
  message?: string;
  /** The dossiers the run was limited to; null for all. */
  scope?: string[] | null;
  /**
   * What the accountant should know of the run beyond its counts, by code (the UI translates it; the
   * message is the English fallback), e.g. `feed.poll-skipped`: Billit allows one accountant-feed poll a
   * minute, so this run did not ask for new bank statements and documents.
   */
  notes?: SyncRunNote[];
}

export interface SyncRunNote {
  code: string;
  message: string;
}

/** One dossier in a run: what it brought and, when it failed, why. */
export interface SyncRunDossier {
  id: string;
  name: string;
  status: SyncRunSummary['status'] | 'partial';
  documents: number;
  statements: number;
  errors: number;
  error: string | null;
}

export interface SyncRunDetail extends SyncRunSummary {
  dossiers: SyncRunDossier[];
}

export interface SyncStatus {
  running: SyncProgress | null;
  lastRun: SyncRunSummary | null;
  /** Minutes between scheduled runs; 0 when off. */
  intervalMinutes: number;
  nextRunAt: string | null;
}

export const syncCalls = {
  'sync.start': call(
    z.object({ dossierIds: z.array(dossierId).max(1000).optional() }).strict().optional(),
  ).returns<{ runId: string }>(),
  'sync.cancel': call(z.undefined()).returns<{ cancelled: boolean }>(),
  'sync.status': call(z.undefined()).returns<SyncStatus>(),
  'sync.setSchedule': call(z.object({ intervalMinutes: z.number().int().min(0).max(24 * 60) }).strict()).returns<SyncStatus>(),
  'sync.runs': call(z.object({ limit: z.number().int().min(1).max(100).default(20) }).strict()).returns<{ runs: SyncRunSummary[] }>(),
  'sync.run': call(z.object({ runId: z.string().regex(/^\d{1,12}$/) }).strict()).returns<SyncRunDetail>(),
  /** Run again the dossiers that failed in that run (or its whole scope when none failed). */
  'sync.retry': call(z.object({ runId: z.string().regex(/^\d{1,12}$/) }).strict()).returns<{ runId: string }>(),
};

export interface SyncEvents {
  'sync.progress': SyncProgress;
  'sync.finished': SyncRunSummary;
}
