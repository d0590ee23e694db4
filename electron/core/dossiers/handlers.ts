/**
 * The dossier calls of the API: the list and a dossier's detail are read from the cache (offline review);
 * refresh, add/resync, confirm a link and send login data reach Billit or Venice Cloud through the links.
 */
import { AppError, type DossierDetail, type DossierRow, type DossierSort, type Handlers } from '../../../shared/api';
import type { Cache, DossierListItem, DossierRecord } from '../cache';
import type { LinkWatch } from './link-watch';
import { CONFIRMATION_NEEDED, statesOf, statusOf, type DossierLinks } from './links';

type Language = DossierRow['language'];
const languages = new Set(['fr', 'nl', 'en', 'de']);

function languageOf(value: string | null): Language {
  const v = value?.toLowerCase() ?? null;
  return v && languages.has(v) ? (v as Language) : null;
}

function rowOf(d: DossierListItem): DossierRow {
  return {
    id: d.veniceId,
    name: d.name,
    enterpriseNumber: d.enterpriseNumber,
    email: d.email,
    language: languageOf(d.language),
    billitStatus: statusOf(d),
    billitPartyId: d.billitPartyId,
    billitStatusSince: d.linkStateAt,
    invitation: d.loginDataSent ? { sentTo: d.loginDataSent.to, sentAt: d.loginDataSent.at } : null,
    counts: {
      sales: d.counts.sales,
      purchases: d.counts.purchases,
      statements: d.counts.statements,
      withErrors: d.counts.problems,
      newDocuments: d.counts.toExport,
    },
    lastSyncAt: d.lastSync?.at ?? null,
    lastSyncError: d.lastSync?.error ?? null,
  };
}

/** The cached dossier of a Venice dossier id, or the `not-found` the UI shows. */
export function dossierOrThrow(cache: Pick<Cache, 'dossiers'>, veniceId: string): DossierRecord {
  const d = cache.dossiers.byVeniceId(veniceId);
  if (!d) throw new AppError('not-found', `Unknown dossier ${veniceId}`);
  return d;
}

export interface DossierHandlerDeps {
  cache: Cache;
  links: DossierLinks;
  linkWatch: Pick<LinkWatch, 'kick'>;
}

export function dossierHandlers(deps: DossierHandlerDeps): Pick<
  Handlers,
  'dossiers.list' | 'dossiers.get' | 'dossiers.refresh' | 'dossiers.addOrResync' | 'dossiers.confirmLink' | 'dossiers.sendLoginData'
> {
  const { cache, links } = deps;
  /** Every dossier of the filter with its counts (an office has hundreds), for the orders the cache has no index for. */
  const allOf = (text: string | undefined, linkState: ReturnType<typeof statesOf> | undefined) => {
    const rows: DossierListItem[] = [];
    let after: string | null = null;
    do {
      const page = cache.dossiers.page({ text, linkState, after, limit: 500 });
      rows.push(...page.items);
      after = page.next;
    } while (after);
    return rows;
  };
  return {
    async 'dossiers.list'({ text, status, problems, sort, after, limit }) {
      const linkState = status ? statesOf(status) : undefined;
      const keep = (r: DossierRow) => (!status || r.billitStatus === status) && (!problems || hasProblems(r));
      if (sort === 'name' && !problems) {
        const page = cache.dossiers.page({ text, linkState, after: after ?? null, limit });
        const items = page.items.map(rowOf).filter(keep);
        const q = text?.trim().toLowerCase();
        const total = cache.dossiers.all().filter(
          (d) =>
            (!status || statusOf(d) === status) &&
            (!q || d.name.toLowerCase().includes(q) || d.veniceId.toLowerCase().includes(q) || (d.enterpriseNumber ?? '').includes(q.replace(/\D/g, '') || '\u0000')),
        ).length;
        return { items, next: page.next, total };
      }
      // Other orders: sorted here, paged by offset (the cursor is the offset).
      const rows = allOf(text, linkState).map(rowOf).filter(keep).sort(dossierOrder[sort]);
      const start = after && /^o\d+$/.test(after) ? Number(after.slice(1)) : 0;
      const items = rows.slice(start, start + limit);
      return { items, next: start + limit < rows.length ? `o${start + limit}` : null, total: rows.length };
    },

    async 'dossiers.get'({ id }): Promise<DossierDetail> {
      const d = dossierOrThrow(cache, id);
      const listed = cache.dossiers.page({ text: d.veniceId, limit: 50 }).items.find((x) => x.id === d.id);
      const row = listed
        ? rowOf(listed)
        : rowOf({ ...d, counts: { sales: 0, purchases: 0, problems: 0, toExport: 0, statements: 0 }, lastSync: null });
      const a = d.address;
      return {
        ...row,
        address: a ? [a.street, [a.postalCode, a.city].filter(Boolean).join(' '), a.country].filter(Boolean).join(', ') || null : null,
        linkHistory: cache.dossiers.linkHistory(d.id).map((e) => ({
          at: e.at,
          status: statusOf({ linkState: e.state, linkReason: e.reason }),
          ...(e.reason && e.reason !== CONFIRMATION_NEEDED ? { note: e.reason } : {}),
        })),
        lastRelations: links.lastRelations(d.veniceId),
      };
    },

    async 'dossiers.refresh'() {
      const result = await links.refresh();
      deps.linkWatch.kick();
      return result;
    },

    async 'dossiers.addOrResync'({ dossiers }) {
      const results = await links.addOrResync(dossiers);
      deps.linkWatch.kick();
      return { results };
    },

    async 'dossiers.confirmLink'({ id }) {
      const result = await links.confirmLink(id);
      deps.linkWatch.kick();
      return result;
    },
    'dossiers.sendLoginData': ({ id }) => links.sendLoginData(id),
  };
}

function hasProblems(r: DossierRow): boolean {
  return r.counts.withErrors > 0 || r.lastSyncError !== null || r.billitStatus === 'link-refused';
}

const statusRank: Record<DossierRow['billitStatus'], number> = {
  'link-refused': 0,
  'link-confirmation-needed': 1,
  'not-in-billit': 2,
  'not-linked': 3,
  'login-not-activated': 4,
  'link-pending': 5,
  linked: 6,
};
const byName = (a: DossierRow, b: DossierRow) => a.name.localeCompare(b.name, 'fr', { sensitivity: 'base' }) || a.id.localeCompare(b.id);
const dossierOrder: Record<DossierSort, (a: DossierRow, b: DossierRow) => number> = {
  name: byName,
  status: (a, b) => statusRank[a.billitStatus] - statusRank[b.billitStatus] || byName(a, b),
  // Newest first; never synced last.
  'last-sync': (a, b) => (b.lastSyncAt ?? '').localeCompare(a.lastSyncAt ?? '') || byName(a, b),
  'new-documents': (a, b) => b.counts.newDocuments - a.counts.newDocuments || byName(a, b),
  problems: (a, b) => Number(hasProblems(b)) - Number(hasProblems(a)) || b.counts.withErrors - a.counts.withErrors || byName(a, b),
};
