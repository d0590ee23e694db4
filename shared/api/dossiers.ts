import { z } from 'zod';
import { call } from './contract';
import { asVeniceDossierId } from './ids';
import { billitStatuses, dossierSorts } from './values';

export { billitStatuses, dossierSorts };

export type BillitStatus = (typeof billitStatuses)[number];

export interface DocumentCounts {
  sales: number;
  purchases: number;
  statements: number;
  withErrors: number;
  /** Documents and statements not yet delivered to the export folders. */
  newDocuments: number;
}

export interface DossierRow {
  /** The Venice dossier id: the dossier's key everywhere in the app. */
  id: string;
  name: string;
  enterpriseNumber: string | null;
  email: string | null;
  language: 'fr' | 'nl' | 'en' | 'de' | null;
  billitStatus: BillitStatus;
  billitPartyId: number | null;
  /** Since when the Billit state is what it is ("pending since …"). */
  billitStatusSince: string | null;
  /** The last "send login data": to whom and when. */
  invitation: LoginDataSent | null;
  counts: DocumentCounts;
  lastSyncAt: string | null;
  lastSyncError: string | null;
}

export interface LoginDataSent {
  sentTo: string;
  sentAt: string;
}

/** A dossier's Billit state changed (the entrepreneur answered, a login was activated, …). */
export interface LinkChange {
  id: string;
  name: string;
  previous: BillitStatus;
  status: BillitStatus;
  at: string;
}

export type DossierSort = (typeof dossierSorts)[number];

export interface RelationsResult {
  created: number;
  updated: number;
  unchanged: number;
  failed: number;
  failures: RelationFailure[];
}

/**
 * A customer or supplier Billit did not take: why by code (the UI says it in the screen's language), the
 * English detail for the log and the tooltip, and the offending value where there is one.
 */
export interface RelationFailure {
  name: string;
  code: 'no-name' | 'invalid-vat' | 'refused';
  reason: string;
  value?: string;
}

export type AddOutcome =
  | 'created'
  | 'link-confirmation-needed'
  | 'link-requested'
  | 'resynced'
  | 'failed';

export interface AddResult {
  id: string;
  outcome: AddOutcome;
  /** Why it failed, or what the accountant must do next; a code the UI translates plus detail. */
  reason?: { code: string; message: string };
  relations?: RelationsResult;
  status: BillitStatus;
}

export interface LinkEvent {
  at: string;
  status: BillitStatus;
  note?: string;
}

export interface DossierDetail extends DossierRow {
  address: string | null;
  linkHistory: LinkEvent[];
  lastRelations: RelationsResult | null;
}

export interface Page<T> {
  items: T[];
  /** Opaque keyset cursor for the next page; null on the last page. */
  next: string | null;
  total: number;
}

/** A dossier as the API names it: by its Venice id. */
const dossierId = z.string().min(1).max(64).transform(asVeniceDossierId);
const cursor = z.string().max(512).optional();
const limit = z.number().int().min(1).max(500).default(200);
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const dossierCalls = {
  'dossiers.list': call(
    z
      .object({
        text: z.string().max(200).optional(),
        status: z.enum(billitStatuses).optional(),
        /** Only dossiers with documents in error or whose last sync failed. */
        problems: z.boolean().optional(),
        sort: z.enum(dossierSorts).default('name'),
        after: cursor,
        limit,
      })
      .strict(),
  ).returns<Page<DossierRow>>(),
  'dossiers.get': call(z.object({ id: dossierId }).strict()).returns<DossierDetail>(),
  /** Re-read the office's dossiers from Venice Cloud and their state from Billit. */
  'dossiers.refresh': call(z.undefined()).returns<{ dossiers: number }>(),
  /** "Add or resync": one result per dossier; one failure never stops the others. */
  'dossiers.addOrResync': call(
    z
      .object({
        dossiers: z
          .array(z.object({ id: dossierId, email: z.email().max(254).optional() }).strict())
          .min(1)
          .max(1000),
      })
      .strict(),
  ).returns<{ results: AddResult[] }>(),
  /** The accountant's "Connect" on a company that already exists in Billit. */
  'dossiers.confirmLink': call(z.object({ id: dossierId }).strict()).returns<AddResult>(),
  /** Invite the entrepreneur of a created company; refused with 'login-data.no-email' when there is no e-mail. */
  'dossiers.sendLoginData': call(z.object({ id: dossierId }).strict()).returns<LoginDataSent>(),
};

export interface DossierEvents {
  /** Some dossiers changed state (link accepted, sync done…): lists should re-read. */
  'dossiers.changed': { ids: string[] };
  /** A dossier's Billit link state changed (at start-up, on refresh, on a timer while a link is pending, in a sync). */
  'dossiers.linkChanged': LinkChange;
}

export { dossierId, cursor, limit, isoDate };
