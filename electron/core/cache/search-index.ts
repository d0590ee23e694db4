import type { Ctx } from './context';
import { vocabularyWords } from './normalize';
import type { Tx } from './writer';

/**
 * Keeps the FTS5 `search` table in step with the rows it indexes. The rowid is id * 8 + kind.
 *
 * Why not triggers: FTS5 writes its pending tokens to disk at every statement savepoint, and
 * any statement that fires a trigger (or an FTS write interleaved with such statements) opens
 * one — so trigger-maintained FTS writes one tiny segment per row, about five times slower.
 * Instead each write call queues its index updates and applies them together at its end, in
 * the same transaction, flushing FTS5's pending tokens every few hundred rows (between slices).
 *
 * The text of each kind must stay what the latest migration's backfill wrote.
 */
export const searchKinds = { dossier: 0, party: 1, document: 2, movement: 3 } as const;
export type IndexedKind = keyof typeof searchKinds;

const sourceOf: Record<IndexedKind, string> = {
  dossier: `SELECT name, concat_ws(' ', enterprise_number, venice_id, billit_party_id), '', email, 'k0 d' || id
            FROM dossiers WHERE id = ?`,
  party: `SELECT name, concat_ws(' ', enterprise_number, vat_number, venice_number, iban), '', email, 'k1 d' || dossier_id
          FROM parties WHERE id = ?`,
  document: `SELECT CASE direction WHEN 'sales' THEN buyer_name ELSE seller_name END,
               concat_ws(' ', number, number_key, CASE direction WHEN 'sales' THEN buyer_enterprise ELSE seller_enterprise END),
               concat_ws(' ', 'a' || abs(total_incl_cents), 'a' || abs(total_excl_cents)),
               payment_reference, 'k2 d' || dossier_id
             FROM documents WHERE id = ? AND status <> 'deleted'`,
  movement: `SELECT counterparty_name, concat_ws(' ', counterparty_iban, bank_ref), 'a' || abs(amount_cents),
               concat_ws(' ', structured_ref, communication), 'k3 d' || dossier_id
             FROM movements WHERE id = ?`,
};

/** Index updates between two flushes of FTS5's pending tokens. */
const flushEvery = 256;

export function searchRowid(kind: IndexedKind, id: number): number {
  return id * 8 + searchKinds[kind];
}

/** Index updates queued by one write call, applied in order at its end. */
export class IndexQueue {
  private readonly ops: Array<{ kind: IndexedKind; id: number; reindex: boolean }> = [];

  constructor(private readonly ctx: Ctx) {}

  /** (Re)index the row as it will be at the end of the call (or drop it when it is gone or deleted). */
  reindex(kind: IndexedKind, id: number): void {
    this.ops.push({ kind, id, reindex: true });
  }

  /** Drop the row from the index (call before the row's id could be reused). */
  unindex(kind: IndexedKind, id: number): void {
    this.ops.push({ kind, id, reindex: false });
  }

  async apply(tx: Tx): Promise<void> {
    const remove = this.ctx.w('DELETE FROM search WHERE rowid = ?');
    const insert = this.ctx.w('INSERT INTO search (rowid, names, numbers, amounts, comms, scope) VALUES (?, ?, ?, ?, ?, ?)');
    const word = this.ctx.w('INSERT OR IGNORE INTO search_words (word) VALUES (?)');
    const savepoint = this.ctx.w('SAVEPOINT search_flush');
    const release = this.ctx.w('RELEASE search_flush');
    await tx.each(this.ops, (op, i) => {
      // A savepoint makes FTS5 write out its pending tokens: in small steps between slices
      // rather than all at once (with its merge work) inside one statement or the COMMIT.
      if (i % flushEvery === flushEvery - 1) {
        savepoint.run();
        release.run();
      }
      const rowid = searchRowid(op.kind, op.id);
      // Contentless FTS5 cannot tell a duplicate rowid: always delete before inserting.
      remove.run(rowid);
      if (op.reindex) {
        const values = this.ctx.w(sourceOf[op.kind]).raw().get(op.id) as [string | null, string, string, string | null, string] | undefined;
        if (!values) return;
        insert.run(rowid, ...values);
        // Words are never removed: a stale one only expands to an exact term with no hits.
        for (const w of vocabularyWords(values[0])) word.run(w);
        for (const w of vocabularyWords(values[3])) word.run(w);
      }
    });
    this.ops.length = 0;
  }
}
