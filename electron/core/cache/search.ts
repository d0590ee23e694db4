import { decodeCursor, encodeCursor, pageSize, type Ctx, type Row } from './context';
import { buildMatch, type Expand } from './normalize';
import type { Page, SearchArgs, SearchHit, SearchKind } from './types';

const kindCode: Record<SearchKind, number> = { dossier: 0, party: 1, document: 2, movement: 3 };
const kindOf: SearchKind[] = ['dossier', 'party', 'document', 'movement'];

const hydrate: Record<SearchKind, string> = {
  dossier: `SELECT d.id, d.id AS dossier_id, d.name AS dossier_name, d.name AS title,
              coalesce(d.enterprise_number, d.venice_id) AS subtitle, NULL AS date, NULL AS amount, NULL AS currency
            FROM dossiers d WHERE d.id IN (SELECT value FROM json_each(?))`,
  party: `SELECT p.id, p.dossier_id, d.name AS dossier_name, p.name AS title,
            coalesce(p.enterprise_number, p.vat_number, p.venice_number) AS subtitle, NULL AS date, NULL AS amount, NULL AS currency
          FROM parties p JOIN dossiers d ON d.id = p.dossier_id WHERE p.id IN (SELECT value FROM json_each(?))`,
  document: `SELECT x.id, x.dossier_id, d.name AS dossier_name,
               CASE x.direction WHEN 'sales' THEN x.buyer_name ELSE x.seller_name END AS title,
               x.number AS subtitle, x.issue_date AS date, x.total_incl_cents AS amount, x.currency
             FROM documents x JOIN dossiers d ON d.id = x.dossier_id WHERE x.id IN (SELECT value FROM json_each(?))`,
  movement: `SELECT m.id, m.dossier_id, d.name AS dossier_name, coalesce(m.counterparty_name, m.communication, '') AS title,
               coalesce(m.structured_ref, m.communication) AS subtitle, coalesce(m.value_date, m.entry_date, s.closing_date) AS date,
               m.amount_cents AS amount, s.currency, m.statement_id
             FROM movements m JOIN statements s ON s.id = m.statement_id JOIN dossiers d ON d.id = m.dossier_id
             WHERE m.id IN (SELECT value FROM json_each(?))`,
};

/** Known words with this prefix (up to 32), from the search vocabulary. */
export function vocabulary(ctx: Ctx): Expand {
  return (prefix) => {
    const found = ctx.r('SELECT word FROM search_words WHERE word >= ? AND word < ? ORDER BY word LIMIT 33').pluck().all(prefix, prefix + '\uffff') as string[];
    return found.length > 32 ? null : found;
  };
}

/**
 * Full-text search across every dossier (or one): party names, numbers, enterprise numbers,
 * amounts ("1.234,56"), structured communications. Newest rows first, keyset-paged.
 */
export function searchRepo(ctx: Ctx) {
  const expand = vocabulary(ctx);
  return (input: string | SearchArgs): Page<SearchHit> => {
    const args: SearchArgs = typeof input === 'string' ? { q: input } : input;
    const limit = pageSize(args.limit ?? 50);
    const after = decodeCursor(args.after, 1);
    const match = buildMatch(args.q, expand);
    if (!match) return { items: [], next: null };
    const scope: string[] = [];
    if (args.dossierId !== undefined) scope.push(`scope:"d${Math.trunc(args.dossierId)}"`);
    if (args.kinds?.length) scope.push(`scope:(${args.kinds.map((k) => `"k${kindCode[k]}"`).join(' OR ')})`);
    const expr = scope.length ? `(${match}) AND ${scope.join(' AND ')}` : match;

    const rowids = ctx
      .r(`SELECT rowid FROM search WHERE search MATCH ? ${after ? 'AND rowid < ?' : ''} ORDER BY rowid DESC LIMIT ?`)
      .pluck()
      .all(expr, ...(after ? [after[0]] : []), limit + 1) as number[];

    const byKind = new Map<SearchKind, number[]>();
    for (const rowid of rowids.slice(0, limit)) {
      const kind = kindOf[rowid & 7]!;
      const list = byKind.get(kind) ?? [];
      list.push(Math.floor(rowid / 8));
      byKind.set(kind, list);
    }
    const found = new Map<number, Row>();
    for (const [kind, ids] of byKind) {
      for (const row of ctx.r(hydrate[kind]).all(JSON.stringify(ids)) as Row[]) found.set(row.id * 8 + kindCode[kind], row);
    }
    const page = rowids.slice(0, limit);
    const items = page
      .filter((rowid) => found.has(rowid))
      .map((rowid): SearchHit => {
        const row = found.get(rowid)!;
        const hit: SearchHit = {
          kind: kindOf[rowid & 7]!,
          id: row.id,
          dossierId: row.dossier_id,
          dossierName: row.dossier_name,
          title: row.title ?? '',
          subtitle: row.subtitle ?? null,
          date: row.date ?? null,
          amountCents: row.amount ?? null,
          currency: row.currency ?? null,
        };
        if (row.statement_id !== undefined) hit.statementId = row.statement_id;
        return hit;
      });
    return { items, next: rowids.length > limit ? encodeCursor([page[page.length - 1]!]) : null };
  };
}
