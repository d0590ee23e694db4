/**
 * The dossier, document and sync calls of the API, over the cache, the linking service and the runner.
 * Everything the UI lists is read from the cache (offline review); only dossiers.refresh, add/resync,
 * confirmLink, sendLoginData and sync runs reach Billit or Venice.
 */
import {
  AppError,
  type DocumentDetail,
  type DocumentRow,
  type DossierDetail,
  type DossierRow,
  type FindingView,
  type Handlers,
  type MovementRow,
  type SearchHit,
  type StatementDetail,
  type StatementRow,
  type DossierSort,
  type PaymentView,
  type SyncRunDossier,
  type SyncRunSummary,
} from '../../../shared/api';
import { formatIban } from '../../../shared/belgian';
import type { Cache, DocumentRecord, DocumentStatus, DossierListItem, DossierRecord, Finding, StatementRecord, Validation } from '../cache';
import type { ChecksModule } from '../checks';
import { readInvoice } from '../checks/invoice-reading';
import type { ExportLedger, ExportService } from '../export';
import type { LinkWatch } from './link-watch';
import { CONFIRMATION_NEEDED, statesOf, statusOf, type DossierLinks } from './links';
import type { SyncRunner } from './runner';

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
    billitPartyId: d.billitPartyId ? Number(d.billitPartyId) : null,
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

function findingsView(findings: readonly Finding[]): FindingView[] {
  return findings
    .filter((f) => f.severity !== 'info')
    .map((f) => {
      const line = /^line (\d+)$/.exec(f.path ?? '');
      return { severity: f.severity as 'error' | 'warning', code: f.code, message: f.message, ...(line ? { line: Number(line[1]) } : {}) };
    });
}

export interface HandlerDeps {
  cache: Cache;
  links: DossierLinks;
  linkWatch: Pick<LinkWatch, 'kick'>;
  runner: SyncRunner;
  exports: { service: ExportService; ledger: ExportLedger };
  /** Official and Venice checks (absent: the pre-check's findings only). */
  checks?: ChecksModule;
}

function dossierOrThrow(cache: Cache, veniceId: string): DossierRecord {
  const d = cache.dossiers.byVeniceId(veniceId);
  if (!d) throw new AppError('not-found', `Unknown dossier ${veniceId}`);
  return d;
}

export function dossierHandlers(deps: HandlerDeps): Pick<
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

function documentRow(d: DocumentRecord, veniceId: string, paid: boolean, counts?: { errors: number; warnings: number }): DocumentRow {
  const errors = counts?.errors ?? d.findings.filter((f) => f.severity === 'error').length;
  const warnings = counts?.warnings ?? d.findings.filter((f) => f.severity === 'warning').length;
  const sales = d.direction === 'sales';
  return {
    id: String(d.id),
    dossierId: veniceId,
    direction: sales ? 'sales' : 'purchases',
    kind: d.kind,
    number: d.number,
    issueDate: d.issueDate,
    dueDate: d.dueDate,
    counterparty: (sales ? d.buyer.name : d.seller.name) || '',
    currency: d.currency,
    totalExcl: d.totalExclCents,
    totalIncl: d.totalInclCents,
    status: d.status,
    errors,
    warnings,
    exported: d.status === 'exported',
    hasPdf: !!d.pdfSha256,
    paid,
  };
}

function statementRow(s: StatementRecord, veniceId: string): StatementRow {
  return {
    id: String(s.id),
    dossierId: veniceId,
    account: s.accountIban,
    sequence: s.statementNumber,
    date: s.closingDate,
    currency: s.currency,
    oldBalance: s.openingCents * 10,
    newBalance: s.closingCents * 10,
    movements: s.movementCount,
    errors: s.findings.filter((f) => f.severity === 'error').length,
    exported: s.status === 'exported',
  };
}

export function documentHandlers(
  deps: HandlerDeps,
): Pick<Handlers, 'documents.list' | 'documents.get' | 'documents.pdf' | 'statements.list' | 'statements.get' | 'search.all'> {
  const { cache } = deps;
  const veniceIdOf = (dossierId: number) => cache.dossiers.get(dossierId)?.veniceId ?? String(dossierId);
  const paymentsOf = (documentId: number): PaymentView[] =>
    cache.documents.payments(documentId).map((m) => {
      const st = cache.statements.get(m.statementId);
      return {
        statementId: String(m.statementId),
        statement: st ? `${formatIban(st.accountIban)} · ${st.statementNumber}` : String(m.statementId),
        sequence: String(m.seq),
        date: m.entryDate ?? m.valueDate ?? st?.closingDate ?? '',
        amount: m.amountCents,
        counterparty: m.counterpartyName,
      };
    });
  const docOrThrow = (id: string) => {
    const d = /^\d+$/.test(id) ? cache.documents.get(Number(id)) : null;
    if (!d) throw new AppError('not-found', `Unknown document ${id}`);
    return d;
  };
  return {
    async 'documents.list'({ dossierId, direction, from, to, status, text, after, limit }) {
      const d = dossierOrThrow(cache, dossierId);
      const filter = {
        dossierId: d.id,
        direction: direction === 'purchases' ? ('purchase' as const) : direction,
        from,
        to,
        text,
        ...(status === 'errors' ? { validation: 'errors' as const } : {}),
        ...(status === 'ok' ? { validation: ['ok', 'warnings', 'unchecked'] satisfies Validation[] } : {}),
        ...(status === 'not-exported' ? { status: ['new', 'export-failed'] satisfies DocumentStatus[] } : {}),
      };
      const page = cache.documents.page({ ...filter, after: after ?? null, limit });
      const full = cache.documents.getMany(page.items.map((item) => item.id));
      const counts = deps.checks?.counts(full);
      const paid = new Map(page.items.map((item) => [item.id, item.paid]));
      const items = full.map((doc) => documentRow(doc, d.veniceId, paid.get(doc.id) ?? false, counts?.get(doc.id)));
      // The total the list shows is that of the filter, so "4 items" never heads a list of 2.
      return { items, next: page.next, total: cache.documents.countMatching(filter) };
    },

    async 'documents.get'({ id }): Promise<DocumentDetail> {
      const doc = docOrThrow(id);
      const dossier = cache.dossiers.get(doc.dossierId);
      const veniceId = dossier?.veniceId ?? String(doc.dossierId);
      const paid = cache.documents.payments(doc.id).length > 0;
      const checked = deps.checks?.forDocument(doc, dossier);
      const row = documentRow(doc, veniceId, paid, checked && { errors: checked.findings.filter((f) => f.severity === 'error').length, warnings: checked.findings.filter((f) => f.severity === 'warning').length });
      const ubl = cache.documents.ubl(doc.id);
      // A large file is read on a check worker: the main thread answers every other call meanwhile.
      const bytes = ubl ? new Uint8Array(ubl.buffer, ubl.byteOffset, ubl.byteLength) : null;
      const reading = bytes ? await (deps.checks ? deps.checks.readInvoice(bytes) : Promise.resolve(readInvoice(bytes))) : { lines: [], invoice: null };
      const root = deps.exports.service.profile(veniceId).profile.root;
      const kind = doc.direction === 'sales' ? 'sales' : 'purchases';
      const exports = root
        ? deps.exports.ledger.filesOfDocument(root, veniceId, kind, String(doc.id)).map((f) => ({ path: f.path, at: f.at, status: 'written' }))
        : [];
      return {
        ...row,
        counterpartyVat: (doc.direction === 'sales' ? doc.buyer.vatNumber : doc.seller.vatNumber) ?? null,
        paymentReference: doc.paymentReference,
        findings: checked?.findings ?? findingsView(doc.findings),
        checks: checked?.checks ?? { state: 'done', release: null, checkedAt: null },
        held: doc.status === 'held',
        exports,
        ...reading,
        payments: paymentsOf(doc.id),
      };
    },

    async 'documents.pdf'({ id }) {
      const doc = docOrThrow(id);
      const pdf = cache.documents.pdf(doc.id);
      return pdf ? { name: `${doc.number}.pdf`, base64: pdf.toString('base64') } : null;
    },

    async 'statements.list'({ dossierId, account, from, to, after, limit }) {
      const d = dossierOrThrow(cache, dossierId);
      const page = cache.statements.page({ dossierId: d.id, accountIban: account, from, to, after: after ?? null, limit });
      const total = cache.statements.accounts(d.id).reduce((n, a) => n + (account && a.accountIban !== account ? 0 : a.statements), 0);
      return { items: page.items.map((s) => statementRow(s, d.veniceId)), next: page.next, total };
    },

    async 'statements.get'({ id }): Promise<StatementDetail> {
      const s = /^\d+$/.test(id) ? cache.statements.get(Number(id)) : null;
      if (!s) throw new AppError('not-found', `Unknown statement ${id}`);
      const movementsList: MovementRow[] = cache.statements.movements(s.id).map((m) => ({
        sequence: String(m.seq),
        date: m.entryDate ?? m.valueDate ?? s.closingDate,
        amount: m.amountCents * 10,
        counterparty: m.counterpartyName,
        counterpartyAccount: m.counterpartyIban,
        communication: m.structuredReference ?? m.communication,
        structured: m.structuredReference !== null,
        paysDocumentId: m.matchedDocumentId === null ? null : String(m.matchedDocumentId),
        paysDocumentNumber: m.matchedDocumentId === null ? null : (cache.documents.get(m.matchedDocumentId)?.number ?? null),
      }));
      return { ...statementRow(s, veniceIdOf(s.dossierId)), findings: findingsView(s.findings), movementsList };
    },

    async 'search.all'({ text, limit }) {
      const page = cache.search({ q: text, limit });
      const hits: SearchHit[] = page.items.map((h) => {
        const veniceId = veniceIdOf(h.dossierId);
        const kind: SearchHit['kind'] = h.kind === 'party' ? 'dossier' : h.kind;
        const id = h.kind === 'dossier' || h.kind === 'party' ? veniceId : h.kind === 'movement' ? String(h.statementId ?? h.id) : String(h.id);
        const direction = h.kind === 'document' ? cache.documents.get(h.id)?.direction : undefined;
        return {
          kind,
          id,
          dossierId: veniceId,
          dossierName: h.dossierName,
          title: h.title,
          detail: h.subtitle,
          date: h.date,
          amount: h.amountCents,
          currency: h.currency,
          ...(direction ? { direction: direction === 'sales' ? ('sales' as const) : ('purchases' as const) } : {}),
        };
      });
      return { hits };
    },
  };
}

export function syncHandlers(
  deps: Pick<HandlerDeps, 'runner' | 'cache'>,
): Pick<Handlers, 'sync.start' | 'sync.cancel' | 'sync.status' | 'sync.setSchedule' | 'sync.runs' | 'sync.run' | 'sync.retry'> {
  const { runner, cache } = deps;
  const runOrThrow = (runId: string) => {
    const summary = runner.runs(100).find((r) => r.runId === runId);
    const record = cache.runs.get(Number(runId));
    if (!record) throw new AppError('not-found', `Unknown sync run ${runId}`);
    return { summary, record };
  };
  const dossiersOf = (runId: string): SyncRunDossier[] =>
    cache.runs.dossiersOf(Number(runId)).map((r) => ({
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
      return { ...base, dossiers: dossiersOf(runId) };
    },
    async 'sync.retry'({ runId }) {
      const { record } = runOrThrow(runId);
      const failed = dossiersOf(runId).filter((d) => d.status === 'failed').map((d) => d.id);
      const scope = failed.length ? failed : Array.isArray(record.scope) ? (record.scope as string[]) : null;
      const known = scope?.filter((id) => cache.dossiers.byVeniceId(id)) ?? null;
      return { runId: (await runner.start('manual', known && known.length ? known : null)).runId };
    },
  };
}
