import { asDossierId, asStatementId } from '../../../shared/api/ids';
import { sha256 } from '../lib/hash';
import { storeBlob } from './blobs';
import { IndexQueue } from './search-index';
import { decodeCursor, fromJson, pageSize, toJson, toPage, type Ctx, type Row } from './context';
import { assertCents, assertDate, assertOptionalDate, ibanKey, paymentReferenceKey, structuredDigits } from './normalize';
import type {
  AccountIbanSummary,
  DocumentStatus,
  MovementInput,
  MovementRecord,
  Page,
  PutResult,
  StatementInput,
  StatementPageArgs,
  StatementRecord,
} from './types';
import { Upsert } from './upsert';

export function toMovement(row: Row): MovementRecord {
  return {
    id: row.id,
    statementId: asStatementId(row.statement_id),
    dossierId: asDossierId(row.dossier_id),
    seq: row.seq,
    entryDate: row.entry_date,
    valueDate: row.value_date,
    amountCents: row.amount_cents,
    counterpartyName: row.counterparty_name,
    counterpartyIban: row.counterparty_iban,
    counterpartyBic: row.counterparty_bic,
    communication: row.communication,
    structuredReference: row.structured_ref,
    transactionCode: row.transaction_code,
    bankReference: row.bank_ref,
    details: fromJson(row.details, null),
    matchedDocumentId: row.matched_document_id,
  };
}

function toStatement(row: Row): StatementRecord {
  return {
    id: asStatementId(row.id),
    dossierId: asDossierId(row.dossier_id),
    accountIban: row.account_iban,
    currency: row.currency,
    statementNumber: row.statement_number,
    openingDate: row.opening_date,
    closingDate: row.closing_date,
    openingCents: row.opening_cents,
    closingCents: row.closing_cents,
    movementCount: row.movement_count,
    codaSha256: row.coda_sha256,
    source: row.source,
    sourceId: row.source_id,
    sourceIds: fromJson(row.source_ids, {}),
    status: row.status,
    validation: row.validation,
    findings: fromJson(row.findings, []),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function checkStatement(s: StatementInput): void {
  assertCents('openingCents', s.openingCents);
  assertCents('closingCents', s.closingCents);
  assertDate('closingDate', s.closingDate);
  assertOptionalDate('openingDate', s.openingDate);
  for (const m of s.movements ?? []) {
    assertCents('amountCents', m.amountCents);
    assertOptionalDate('entryDate', m.entryDate);
    assertOptionalDate('valueDate', m.valueDate);
  }
}

function insertMovement(ctx: Ctx, statementId: number, dossierId: number, m: MovementInput): number {
  const structured = m.structuredReference ? (structuredDigits(m.structuredReference) ?? paymentReferenceKey(m.structuredReference)) : null;
  const info = ctx
    .w(
      `INSERT INTO movements (statement_id, dossier_id, seq, entry_date, value_date, amount_cents, counterparty_name,
         counterparty_iban, counterparty_bic, communication, structured_ref, transaction_code, bank_ref, details)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      statementId,
      dossierId,
      m.seq,
      m.entryDate ?? null,
      m.valueDate ?? null,
      m.amountCents,
      m.counterpartyName ?? null,
      ibanKey(m.counterpartyIban),
      m.counterpartyBic ?? null,
      m.communication ?? null,
      structured,
      m.transactionCode ?? null,
      m.bankReference ?? null,
      toJson(m.details),
    );
  return Number(info.lastInsertRowid);
}

export function statementsRepo(ctx: Ctx) {
  return {
    get(id: number): StatementRecord | null {
      const row = ctx.r('SELECT * FROM statements WHERE id = ?').get(id) as Row | undefined;
      return row ? toStatement(row) : null;
    },

    /** `get` for many ids in one query, in the order asked; unknown ids are left out. */
    getMany(ids: readonly number[]): StatementRecord[] {
      if (ids.length === 0) return [];
      const rows = ctx.r('SELECT * FROM statements WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as Row[];
      const byId = new Map(rows.map((row) => [row.id as number, row]));
      return ids.flatMap((id) => {
        const row = byId.get(id);
        return row ? [toStatement(row)] : [];
      });
    },

    /** The statements a feed item or file produced. */
    bySource(source: string, sourceId: string): StatementRecord[] {
      return (ctx.r('SELECT * FROM statements WHERE source = ? AND source_id = ? ORDER BY id').all(source, sourceId) as Row[]).map(toStatement);
    },

    movements(statementId: number): MovementRecord[] {
      return (ctx.r('SELECT * FROM movements WHERE statement_id = ? ORDER BY seq').all(statementId) as Row[]).map(toMovement);
    },

    /** The original CODA file of a statement. */
    coda(statementId: number): Buffer | null {
      return (
        (ctx.r('SELECT b.bytes FROM statements s JOIN blobs b ON b.sha256 = s.coda_sha256 WHERE s.id = ?').pluck().get(statementId) as
          | Buffer
          | undefined) ?? null
      );
    },

    /** A dossier's bank accounts, with how many statements each and the latest date. */
    accounts(dossierId: number): AccountIbanSummary[] {
      const rows = ctx
        .r(
          `SELECT account_iban, currency, count(*) AS n, max(closing_date) AS last FROM statements
           WHERE dossier_id = ? GROUP BY account_iban, currency ORDER BY account_iban`,
        )
        .all(dossierId) as Row[];
      return rows.map((r) => ({ accountIban: r.account_iban, currency: r.currency, statements: r.n, lastClosingDate: r.last }));
    },

    /** Statements by dossier and/or account and period (closing date), newest first, keyset-paged. */
    page(args: StatementPageArgs = {}): Page<StatementRecord> {
      const limit = pageSize(args.limit);
      const after = decodeCursor(args.after, 2);
      const where: string[] = [];
      const params: unknown[] = [];
      if (args.dossierId !== undefined) {
        where.push('dossier_id = ?');
        params.push(args.dossierId);
      }
      if (args.accountIban) {
        where.push('account_iban = ?');
        params.push(ibanKey(args.accountIban));
      }
      if (args.from) {
        where.push('closing_date >= ?');
        params.push(args.from);
      }
      if (args.to) {
        where.push('closing_date <= ?');
        params.push(args.to);
      }
      if (after) {
        where.push('(closing_date, id) < (?, ?)');
        params.push(after[0], after[1]);
      }
      const rows = ctx
        .r(`SELECT * FROM statements ${where.length ? 'WHERE ' + where.join(' AND ') : ''} ORDER BY closing_date DESC, id DESC LIMIT ?`)
        .all(...params, limit + 1) as Row[];
      return toPage(rows, limit, toStatement, (r) => [r.closing_date, r.id]);
    },

    /**
     * Inserts or updates statements by (dossier, account, number, closing date) with their
     * movements, in one transaction (all or nothing), yielding between slices. The CODA bytes
     * given inline are stored once by SHA-256. Movements whose structured communication is a
     * document's payment reference are linked to it, whichever arrived first.
     */
    async putMany(rows: readonly StatementInput[]): Promise<PutResult> {
      for (const s of rows) checkStatement(s);
      return ctx.write(async (tx) => {
        const result: PutResult = { ids: [], inserted: 0, updated: 0, unchanged: 0 };
        const index = new IndexQueue(ctx);
        const upsert = new Upsert(ctx, 'statements', ['dossier_id', 'account_iban', 'statement_number', 'closing_date'], {
          status: 'new',
          validation: 'unchecked',
        });
        for (const s of rows) {
          const coda = s.coda ? storeBlob(ctx, s.coda) : s.codaSha256;
          const iban = ibanKey(s.accountIban)!;
          const { id, change } = upsert.put([s.dossierId, iban, s.statementNumber, s.closingDate], {
            currency: s.currency,
            opening_date: s.openingDate ?? null,
            opening_cents: s.openingCents,
            closing_cents: s.closingCents,
            coda_sha256: coda,
            source: s.source,
            source_id: s.sourceId,
            source_ids: s.sourceIds === undefined ? undefined : toJson(s.sourceIds),
            status: s.status,
            validation: s.validation,
            findings: s.findings === undefined ? undefined : toJson(s.findings),
          });
          result.ids.push(id);
          // Movements are replaced as a whole, and only when they differ from what is stored.
          const movements = s.movements;
          const digest = movements && sha256(Buffer.from(JSON.stringify(movements)));
          const replace = movements !== undefined && digest !== ctx.w('SELECT movements_digest FROM statements WHERE id = ?').pluck().get(id);
          if (replace) {
            for (const old of ctx.w('SELECT id FROM movements WHERE statement_id = ?').pluck().all(id) as number[]) index.unindex('movement', old);
            ctx.w('DELETE FROM movements WHERE statement_id = ?').run(id);
            await tx.each(movements, (m) => index.reindex('movement', insertMovement(ctx, id, s.dossierId, m)));
            ctx.w('UPDATE statements SET movement_count = ?, movements_digest = ? WHERE id = ?').run(movements.length, digest, id);
          }
          result[change === 'unchanged' && replace ? 'updated' : change]++;
          await tx.breathe();
        }
        await index.apply(tx);
        return result;
      });
    },

    setStatus(ids: readonly number[], status: DocumentStatus): Promise<number> {
      return ctx.write(async (tx) => {
        let changed = 0;
        const stmt = ctx.w('UPDATE statements SET status = ?, updated_at = ? WHERE id = ? AND status <> ?');
        const now = ctx.now();
        await tx.each(ids, (id) => {
          changed += stmt.run(status, now, id, status).changes;
        });
        return changed;
      });
    },
  };
}
