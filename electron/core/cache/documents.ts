import { asDocumentId, asDossierId } from '../../../shared/api/ids';
import { decodeCursor, fromJson, pageSize, toJson, toPage, type Ctx, type Row } from './context';
import {
  assertCents,
  assertDate,
  assertOptionalDate,
  buildMatch,
  enterpriseKey,
  numberKey,
  paymentReferenceKey,
} from './normalize';
import { storeBlob } from './blobs';
import { IndexQueue } from './search-index';
import { vocabulary } from './search';
import { toMovement } from './statements';
import type {
  DocumentInput,
  DocumentListItem,
  DocumentPageArgs,
  DocumentRecord,
  DocumentStatus,
  MovementRecord,
  PageArgs,
  Page,
  PutResult,
} from './types';
import { Upsert } from './upsert';

function toDocument(row: Row): DocumentRecord {
  return {
    id: asDocumentId(row.id),
    dossierId: asDossierId(row.dossier_id),
    source: row.source,
    sourceId: row.source_id,
    sourceIds: fromJson(row.source_ids, {}),
    kind: row.kind,
    direction: row.direction,
    number: row.number,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    seller: { name: row.seller_name, enterpriseNumber: row.seller_enterprise, vatNumber: row.seller_vat },
    buyer: { name: row.buyer_name, enterpriseNumber: row.buyer_enterprise, vatNumber: row.buyer_vat },
    partyId: row.party_id,
    currency: row.currency,
    totalExclCents: row.total_excl_cents,
    totalVatCents: row.total_vat_cents,
    totalInclCents: row.total_incl_cents,
    payableCents: row.payable_cents,
    paymentReference: row.payment_reference,
    status: row.status,
    validation: row.validation,
    findings: fromJson(row.findings, []),
    ublSha256: row.ubl_sha256,
    pdfSha256: row.pdf_sha256,
    remoteModifiedAt: row.remote_modified_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toListItem(row: Row): DocumentListItem {
  return {
    id: asDocumentId(row.id),
    dossierId: asDossierId(row.dossier_id),
    kind: row.kind,
    direction: row.direction,
    number: row.number,
    issueDate: row.issue_date,
    dueDate: row.due_date,
    counterpartyName: row.counterparty_name,
    totalInclCents: row.total_incl_cents,
    currency: row.currency,
    status: row.status,
    validation: row.validation,
    paid: row.paid === 1,
    hasUbl: row.has_ubl === 1,
    hasPdf: row.has_pdf === 1,
  };
}

function checkDocument(d: DocumentInput): void {
  assertCents('totalExclCents', d.totalExclCents);
  assertCents('totalVatCents', d.totalVatCents);
  assertCents('totalInclCents', d.totalInclCents);
  if (d.payableCents != null) assertCents('payableCents', d.payableCents);
  assertDate('issueDate', d.issueDate);
  assertOptionalDate('dueDate', d.dueDate);
}

function many<T>(value: T | T[] | undefined): T[] {
  return value === undefined ? [] : ([] as T[]).concat(value);
}

export function documentsRepo(ctx: Ctx) {
  const expand = vocabulary(ctx);
  function keysetPage<T>(args: DocumentPageArgs, columns: string, map: (row: Row) => T): Page<T> {
    const limit = pageSize(args.limit);
    const after = decodeCursor(args.after, 2);
    const filter = documentFilter(args, expand);
    if (!filter) return { items: [], next: null };
    const { where, params } = filter;
    if (after) {
      where.push('(d.issue_date, d.id) < (?, ?)');
      params.push(after[0], after[1]);
    }
    const rows = ctx
      .r(`SELECT ${columns} FROM documents d WHERE ${where.join(' AND ')} ORDER BY d.issue_date DESC, d.id DESC LIMIT ?`)
      .all(...params, limit + 1) as Row[];
    return toPage(rows, limit, map, (r) => [r.issue_date, r.id]);
  }
  return {
    get(id: number): DocumentRecord | null {
      const row = ctx.r('SELECT * FROM documents WHERE id = ?').get(id) as Row | undefined;
      return row ? toDocument(row) : null;
    },

    /**
     * The documents to look at before Venice does, in every dossier, newest first: held back, failed to
     * export, or with errors. Keyset-paged on migration 7's partial index (its condition repeated exactly).
     */
    toReview(args: PageArgs): Page<DocumentRecord> & { total: number } {
      const limit = pageSize(args.limit);
      const after = decodeCursor(args.after, 2);
      const where = [needsReview];
      const params: unknown[] = [];
      if (after) {
        where.push('(issue_date, id) < (?, ?)');
        params.push(after[0], after[1]);
      }
      const rows = ctx
        .r(`SELECT * FROM documents INDEXED BY documents_to_review WHERE ${where.join(' AND ')} ORDER BY issue_date DESC, id DESC LIMIT ?`)
        .all(...params, limit + 1) as Row[];
      const total = ctx.r(`SELECT count(*) FROM documents INDEXED BY documents_to_review WHERE ${needsReview}`).pluck().get() as number;
      return { ...toPage(rows, limit, toDocument, (r) => [r.issue_date, r.id]), total };
    },

    /** Of these documents, those a statement movement pays. */
    paidOf(ids: readonly number[]): Set<number> {
      if (ids.length === 0) return new Set();
      const rows = ctx
        .r('SELECT DISTINCT matched_document_id FROM movements WHERE matched_document_id IN (SELECT value FROM json_each(?))')
        .pluck()
        .all(JSON.stringify(ids)) as number[];
      return new Set(rows);
    },

    /** `get` for many ids in one query, in the order asked; unknown ids are left out. */
    getMany(ids: readonly number[]): DocumentRecord[] {
      if (ids.length === 0) return [];
      const rows = ctx.r('SELECT * FROM documents WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Row[];
      const byId = new Map(rows.map((row) => [row.id as number, row]));
      return ids.flatMap((id) => {
        const row = byId.get(id);
        return row ? [toDocument(row)] : [];
      });
    },

    bySource(dossierId: number, source: string, sourceId: string): DocumentRecord | null {
      const row = ctx
        .r('SELECT * FROM documents WHERE dossier_id = ? AND source = ? AND source_id = ?')
        .get(dossierId, source, sourceId) as Row | undefined;
      return row ? toDocument(row) : null;
    },

    /**
     * What a sync needs to know of many documents of one source at once (one query per page instead of
     * one full row per document), by source id; absent ids are not in the cache.
     */
    stateBySource(
      dossierId: number,
      source: string,
      sourceIds: readonly string[],
    ): Map<string, { id: number; remoteModifiedAt: string | null; status: DocumentStatus }> {
      const found = new Map<string, { id: number; remoteModifiedAt: string | null; status: DocumentStatus }>();
      if (sourceIds.length === 0) return found;
      const rows = ctx
        .r(
          `SELECT id, source_id, remote_modified_at, status FROM documents
           WHERE dossier_id = ? AND source = ? AND source_id IN (SELECT value FROM json_each(?))`,
        )
        .all(dossierId, source, JSON.stringify(sourceIds)) as Row[];
      for (const row of rows) found.set(row.source_id as string, { id: row.id, remoteModifiedAt: row.remote_modified_at, status: row.status });
      return found;
    },

    /** Documents carrying this payment reference (structured communication) in the dossier. */
    byPaymentReference(dossierId: number, reference: string): DocumentRecord[] {
      const rows = ctx
        .r('SELECT * FROM documents WHERE dossier_id = ? AND payment_reference = ? ORDER BY id')
        .all(dossierId, paymentReferenceKey(reference)) as Row[];
      return rows.map(toDocument);
    },

    /** The bank movements whose structured communication pays this document. */
    payments(documentId: number): MovementRecord[] {
      const rows = ctx.r('SELECT * FROM movements WHERE matched_document_id = ? ORDER BY id').all(documentId) as Row[];
      return rows.map(toMovement);
    },

    /** The original UBL, or null when it was not kept. */
    ubl(documentId: number): Buffer | null {
      return (ctx.r('SELECT b.bytes FROM documents d JOIN blobs b ON b.sha256 = d.ubl_sha256 WHERE d.id = ?').pluck().get(documentId) as Buffer | undefined) ?? null;
    },

    pdf(documentId: number): Buffer | null {
      return (ctx.r('SELECT b.bytes FROM documents d JOIN blobs b ON b.sha256 = d.pdf_sha256 WHERE d.id = ?').pluck().get(documentId) as Buffer | undefined) ?? null;
    },

    count(filter: { dossierId?: number } = {}): number {
      return filter.dossierId === undefined
        ? (ctx.r('SELECT count(*) FROM documents').pluck().get() as number)
        : (ctx.r('SELECT count(*) FROM documents WHERE dossier_id = ?').pluck().get(filter.dossierId) as number);
    },

    /**
     * A dossier's documents, newest first, keyset-paged; filtered by direction, issue-date period,
     * status (default: all but deleted), validation, and free text (name, number, amount, communication).
     */
    page(args: DocumentPageArgs): Page<DocumentListItem> {
      return keysetPage(
        args,
        `d.id, d.dossier_id, d.kind, d.direction, d.number, d.issue_date, d.due_date,
         CASE d.direction WHEN 'sales' THEN d.buyer_name ELSE d.seller_name END AS counterparty_name,
         d.total_incl_cents, d.currency, d.status, d.validation,
         d.ubl_sha256 IS NOT NULL AS has_ubl, d.pdf_sha256 IS NOT NULL AS has_pdf,
         EXISTS (SELECT 1 FROM movements m WHERE m.matched_document_id = d.id) AS paid`,
        toListItem,
      );
    },

    /** The same pages as `page` with every row whole: one query a page for a reader of whole documents (the export). */
    records(args: DocumentPageArgs): Page<DocumentRecord> {
      return keysetPage(args, 'd.*', toDocument);
    },

    /** How many documents the same filter as `page` matches (the list's total, not just a page). */
    countMatching(args: Omit<DocumentPageArgs, 'after' | 'limit'>): number {
      const filter = documentFilter(args, expand);
      if (!filter) return 0;
      return ctx.r(`SELECT count(*) FROM documents d WHERE ${filter.where.join(' AND ')}`).pluck().get(...filter.params) as number;
    },

    /**
     * Inserts or updates by (dossier, source, source id), in one transaction however large the
     * batch (all or nothing), yielding to the event loop between slices. UBL and PDF bytes given
     * inline are stored once by SHA-256 in the same transaction.
     */
    async putMany(rows: readonly DocumentInput[]): Promise<PutResult> {
      for (const d of rows) checkDocument(d);
      return ctx.write(async (tx) => {
        const result: PutResult = { ids: [], inserted: 0, updated: 0, unchanged: 0 };
        const index = new IndexQueue(ctx);
        const upsert = new Upsert(ctx, 'documents', ['dossier_id', 'source', 'source_id'], { status: 'new', validation: 'unchecked' });
        await tx.each(rows, (d) => {
          const ubl = d.ubl ? storeBlob(ctx, d.ubl) : d.ublSha256;
          const pdf = d.pdf ? storeBlob(ctx, d.pdf) : d.pdfSha256;
          const { id, change } = upsert.put([d.dossierId, d.source, d.sourceId], {
            source_ids: d.sourceIds === undefined ? undefined : toJson(d.sourceIds),
            kind: d.kind,
            direction: d.direction,
            number: d.number,
            number_key: numberKey(d.number),
            issue_date: d.issueDate,
            due_date: d.dueDate ?? null,
            seller_name: d.seller.name,
            seller_enterprise: enterpriseKey(d.seller.enterpriseNumber),
            seller_vat: d.seller.vatNumber ?? null,
            buyer_name: d.buyer.name,
            buyer_enterprise: enterpriseKey(d.buyer.enterpriseNumber),
            buyer_vat: d.buyer.vatNumber ?? null,
            party_id: d.partyId,
            currency: d.currency,
            total_excl_cents: d.totalExclCents,
            total_vat_cents: d.totalVatCents,
            total_incl_cents: d.totalInclCents,
            payable_cents: d.payableCents ?? null,
            payment_reference: paymentReferenceKey(d.paymentReference),
            status: d.status,
            validation: d.validation,
            findings: d.findings === undefined ? undefined : toJson(d.findings),
            ubl_sha256: ubl,
            pdf_sha256: pdf,
            remote_modified_at: d.remoteModifiedAt,
          });
          if (change !== 'unchanged') index.reindex('document', id);
          result.ids.push(id);
          result[change]++;
        });
        await index.apply(tx);
        return result;
      });
    },

    /** Sets the status of these documents (e.g. 'exported'); returns how many changed. */
    setStatus(ids: readonly number[], status: DocumentStatus): Promise<number> {
      return ctx.write(async (tx) => {
        let changed = 0;
        const index = new IndexQueue(ctx);
        const before = ctx.w('SELECT status FROM documents WHERE id = ?').pluck();
        const stmt = ctx.w('UPDATE documents SET status = ?, updated_at = ? WHERE id = ?');
        const now = ctx.now();
        await tx.each(ids, (id) => {
          const was = before.get(id) as DocumentStatus | undefined;
          if (was === undefined || was === status) return;
          changed += stmt.run(status, now, id).changes;
          // Deleted documents are out of the search index; only that boundary changes the index.
          if ((was === 'deleted') !== (status === 'deleted')) index.reindex('document', id);
        });
        await index.apply(tx);
        return changed;
      });
    },

    /** Marks documents the source deleted (they stay for the record, out of lists and search). */
    markDeleted(dossierId: number, source: string, sourceIds: readonly string[]): Promise<number> {
      return ctx.write(async (tx) => {
        let changed = 0;
        const index = new IndexQueue(ctx);
        const stmt = ctx.w(
          `UPDATE documents SET status = 'deleted', updated_at = ?
           WHERE dossier_id = ? AND source = ? AND source_id = ? AND status <> 'deleted' RETURNING id`,
        );
        const now = ctx.now();
        await tx.each(sourceIds, (sourceId) => {
          const row = stmt.get(now, dossierId, source, sourceId) as { id: number } | undefined;
          if (!row) return;
          changed++;
          index.unindex('document', row.id);
        });
        await index.apply(tx);
        return changed;
      });
    },
  };
}

/** Migration 7's index condition, word for word. */
const needsReview = `(status IN ('held', 'export-failed') OR (validation = 'errors' AND status <> 'deleted'))`;

/** The WHERE of a dossier's document list, shared by the page and its total; null when the text can match nothing. */
function documentFilter(
  args: Omit<DocumentPageArgs, 'after' | 'limit'>,
  expand: Parameters<typeof buildMatch>[1],
): { where: string[]; params: unknown[] } | null {
  const where = ['d.dossier_id = ?'];
  const params: unknown[] = [args.dossierId];
  if (args.direction) {
    where.push('d.direction = ?');
    params.push(args.direction);
  }
  if (args.from) {
    where.push('d.issue_date >= ?');
    params.push(args.from);
  }
  if (args.to) {
    where.push('d.issue_date <= ?');
    params.push(args.to);
  }
  const statuses = many(args.status);
  if (statuses.length) {
    where.push(`d.status IN (${statuses.map(() => '?').join(', ')})`);
    params.push(...statuses);
  } else {
    where.push(`d.status <> 'deleted'`);
  }
  const validations = many(args.validation);
  if (validations.length) {
    where.push(`d.validation IN (${validations.map(() => '?').join(', ')})`);
    params.push(...validations);
  }
  const match = args.text ? buildMatch(args.text, expand) : null;
  if (args.text && !match) return null;
  if (match) {
    where.push('d.id IN (SELECT rowid >> 3 FROM search WHERE search MATCH ? AND (rowid & 7) = 2)');
    params.push(`(${match}) AND scope:"d${args.dossierId}"`);
  }
  return { where, params };
}
