/**
 * The document and statement calls of the API, and the search: everything is read from the cache (offline
 * review); a stored UBL is read for the invoice view, a large one on a check worker.
 */
import {
  AppError,
  type DocumentDetail,
  type DossierId,
  type DocumentRow,
  type FindingView,
  type Handlers,
  type MovementRow,
  type PaymentView,
  type ReviewRow,
  type SearchHit,
  type StatementDetail,
  type StatementRow,
} from '../../../shared/api';
import { formatIban } from '../../../shared/belgian';
import type { Cache, DocumentRecord, DocumentStatus, Finding, StatementRecord, Validation } from '../cache';
import type { ChecksModule } from '../checks';
import { readInvoice } from '../checks/invoice-reading';
import { dossierOrThrow } from '../dossiers/handlers';
import type { ExportLedger, ExportService } from '../export';

function findingsView(findings: readonly Finding[]): FindingView[] {
  return findings
    .filter((f) => f.severity !== 'info')
    .map((f) => {
      const line = /^line (\d+)$/.exec(f.path ?? '');
      return { severity: f.severity as 'error' | 'warning', code: f.code, message: f.message, ...(line ? { line: Number(line[1]) } : {}) };
    });
}

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

export interface DocumentHandlerDeps {
  cache: Cache;
  exports: { service: ExportService; ledger: ExportLedger };
  /** Official and Venice checks (absent: the pre-check's findings only). */
  checks?: ChecksModule;
}

export function documentHandlers(
  deps: DocumentHandlerDeps,
): Pick<Handlers, 'documents.list' | 'documents.review' | 'documents.get' | 'documents.pdf' | 'statements.list' | 'statements.get' | 'search.all'> {
  const { cache } = deps;
  const veniceIdOf = (dossierId: DossierId) => cache.dossiers.get(dossierId)?.veniceId ?? String(dossierId);
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
    async 'documents.review'({ after, limit }) {
      const page = cache.documents.toReview({ after: after ?? null, limit });
      const counts = deps.checks?.counts(page.items);
      const dossiers = new Map<DossierId, { veniceId: string; name: string }>();
      const dossierOf = (id: DossierId) => {
        let d = dossiers.get(id);
        if (!d) {
          const record = cache.dossiers.get(id);
          dossiers.set(id, (d = { veniceId: record?.veniceId ?? String(id), name: record?.name ?? '' }));
        }
        return d;
      };
      const paid = cache.documents.paidOf(page.items.map((doc) => doc.id));
      const items = page.items.map((doc): ReviewRow => {
        const { veniceId, name } = dossierOf(doc.dossierId);
        const reason = doc.status === 'held' || doc.status === 'export-failed' ? doc.status : 'errors';
        return { ...documentRow(doc, veniceId, paid.has(doc.id), counts?.get(doc.id)), dossierName: name, reason };
      });
      return { items, next: page.next, total: page.total };
    },
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
