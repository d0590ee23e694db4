import { asDossierId, asVeniceDossierId, parseBillitPartyId, type BillitPartyId, type DossierId } from '../../../shared/api/ids';
import { decodeCursor, fromJson, pageSize, safeText, toJson, toPage, type Ctx, type Row } from './context';
import { enterpriseKey, ibanKey, sortKey } from './normalize';
import { IndexQueue } from './search-index';
import type {
  DossierInput,
  DossierListItem,
  DossierRecord,
  DossierWithParty,
  LinkEvent,
  LinkState,
  Page,
  PageArgs,
  PartyInput,
  PartyRecord,
  PartyRole,
  PartySyncStatus,
  PutResult,
  RunStatus,
} from './types';
import { Upsert } from './upsert';

/** Billit's PartyID as its text column holds it; undefined (keep what is stored) stays undefined. */
function partyIdText<T extends null | undefined>(id: BillitPartyId | T): string | T {
  return id === null || id === undefined ? (id as T) : String(id);
}

export function toDossier(row: Row): DossierRecord {
  return {
    id: asDossierId(row.id),
    veniceId: asVeniceDossierId(row.venice_id),
    name: row.name,
    enterpriseNumber: row.enterprise_number,
    email: row.email,
    language: row.language,
    address: fromJson(row.address, null),
    billitPartyId: parseBillitPartyId(row.billit_party_id),
    linkState: row.link_state as LinkState,
    linkReason: row.link_reason,
    linkStateAt: row.link_state_at,
    loginDataSent: row.login_data_sent_at ? { to: row.login_data_sent_to ?? '', at: row.login_data_sent_at } : null,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function toListItem(row: Row): DossierListItem {
  return {
    ...toDossier(row),
    counts: {
      sales: row.s_sales ?? 0,
      purchases: row.s_purchases ?? 0,
      problems: row.s_problems ?? 0,
      toExport: row.s_to_export ?? 0,
      statements: row.s_statements ?? 0,
    },
    lastSync: row.last_sync_at
      ? { at: row.last_sync_at, status: row.last_sync_status as RunStatus, error: row.last_sync_error }
      : null,
  };
}

function toParty(row: Row): PartyRecord {
  return {
    id: row.id,
    dossierId: row.dossier_id,
    role: row.role,
    veniceNumber: row.venice_number,
    name: row.name,
    enterpriseNumber: row.enterprise_number,
    vatNumber: row.vat_number,
    email: row.email,
    iban: row.iban,
    language: row.language,
    address: fromJson(row.address, null),
    billitPartyId: parseBillitPartyId(row.billit_party_id),
    billitStatus: row.billit_status,
    billitReason: row.billit_reason,
    billitSyncedAt: row.billit_synced_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function contains(text: string): string {
  return `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
}

export interface DossierPageArgs extends PageArgs {
  linkState?: LinkState | LinkState[];
  /** Name, enterprise number or Venice id contains this. */
  text?: string;
}

export function dossiersRepo(ctx: Ctx) {
  return {
    get(id: DossierId): DossierRecord | null {
      const row = ctx.r('SELECT * FROM dossiers WHERE id = ?').get(id) as Row | undefined;
      return row ? toDossier(row) : null;
    },

    byVeniceId(veniceId: string): DossierRecord | null {
      const row = ctx.r('SELECT * FROM dossiers WHERE venice_id = ?').get(veniceId) as Row | undefined;
      return row ? toDossier(row) : null;
    },

    byEnterpriseNumber(enterpriseNumber: string): DossierRecord[] {
      const rows = ctx.r('SELECT * FROM dossiers WHERE enterprise_number = ? ORDER BY id').all(enterpriseKey(enterpriseNumber)) as Row[];
      return rows.map(toDossier);
    },

    byBillitPartyId(partyId: BillitPartyId): DossierWithParty | null {
      const row = ctx.r('SELECT * FROM dossiers WHERE billit_party_id = ? ORDER BY id LIMIT 1').get(partyIdText(partyId)) as Row | undefined;
      return row ? (toDossier(row) as DossierWithParty) : null;
    },

    /** Every dossier (an office has hundreds, not millions), by name. */
    all(): DossierRecord[] {
      return (ctx.r('SELECT * FROM dossiers ORDER BY sort_key, id').all() as Row[]).map(toDossier);
    },

    /** The dossier list: each with its counts and last sync, by name, keyset-paged. */
    page(args: DossierPageArgs = {}): Page<DossierListItem> {
      const limit = pageSize(args.limit);
      const after = decodeCursor(args.after, 2);
      const where: string[] = [];
      const params: unknown[] = [];
      if (after) {
        where.push('(d.sort_key, d.id) > (?, ?)');
        params.push(after[0], after[1]);
      }
      const states = args.linkState === undefined ? [] : ([] as LinkState[]).concat(args.linkState);
      if (states.length) {
        where.push(`d.link_state IN (${states.map(() => '?').join(', ')})`);
        params.push(...states);
      }
      const text = args.text?.trim();
      if (text) {
        where.push(`(d.name LIKE ? ESCAPE '\\' OR d.venice_id LIKE ? ESCAPE '\\' OR d.enterprise_number LIKE ? ESCAPE '\\')`);
        params.push(contains(text), contains(text), contains(enterpriseKey(text) ?? text));
      }
      const rows = ctx
        .r(
          `SELECT d.*, s.sales AS s_sales, s.purchases AS s_purchases, s.problems AS s_problems,
                  s.to_export AS s_to_export, s.statements AS s_statements,
                  s.last_sync_at, s.last_sync_status, s.last_sync_error
           FROM dossiers d LEFT JOIN dossier_stats s ON s.dossier_id = d.id
           ${where.length ? 'WHERE ' + where.join(' AND ') : ''}
           ORDER BY d.sort_key, d.id LIMIT ?`,
        )
        .all(...params, limit + 1) as Row[];
      return toPage(rows, limit, toListItem, (r) => [r.sort_key, r.id]);
    },

    linkHistory(dossierId: DossierId): LinkEvent[] {
      const rows = ctx.r('SELECT * FROM dossier_link_events WHERE dossier_id = ? ORDER BY id').all(dossierId) as Row[];
      return rows.map((r) => ({
        id: r.id,
        dossierId: asDossierId(r.dossier_id),
        at: r.at,
        state: r.state,
        reason: r.reason,
        billitPartyId: parseBillitPartyId(r.billit_party_id),
      }));
    },

    /** Insert or update by Venice id; a change of link state is added to the dossier's history. */
    upsertMany(rows: readonly DossierInput[]): Promise<PutResult<DossierId>> {
      return ctx.write(async (tx) => {
        const result: PutResult<DossierId> = { ids: [], inserted: 0, updated: 0, unchanged: 0 };
        const index = new IndexQueue(ctx);
        const upsert = new Upsert(ctx, 'dossiers', ['venice_id'], { link_state: 'unknown' });
        const now = ctx.now();
        await tx.each(rows, (d) => {
          const existing = ctx.w('SELECT link_state FROM dossiers WHERE venice_id = ?').get(d.veniceId) as Row | undefined;
          const stateChanges = d.linkState !== undefined && d.linkState !== existing?.link_state;
          const { id, change } = upsert.put([d.veniceId], {
            name: d.name,
            sort_key: sortKey(d.name),
            enterprise_number: enterpriseKey(d.enterpriseNumber),
            email: d.email ?? null,
            language: d.language ?? null,
            address: toJson(d.address),
            billit_party_id: partyIdText(d.billitPartyId),
            link_state: d.linkState,
            link_reason: d.linkState === undefined ? undefined : safeText(d.linkReason),
            link_state_at: stateChanges || !existing ? now : undefined,
          });
          if (change !== 'unchanged') index.reindex('dossier', id);
          result.ids.push(asDossierId(id));
          result[change]++;
        });
        await index.apply(tx);
        return result;
      });
    },

    /** Records a new link state (and optionally the Billit PartyID) with its reason in the history. */
    setLink(dossierId: DossierId, link: { state: LinkState; reason?: string | null; billitPartyId?: BillitPartyId | null }): Promise<void> {
      return ctx.write(async (tx) => {
        const now = ctx.now();
        const info = ctx
          .w(
            `UPDATE dossiers SET link_state = ?, link_reason = ?, link_state_at = ?,
               billit_party_id = coalesce(?, billit_party_id), updated_at = ? WHERE id = ?`,
          )
          .run(link.state, safeText(link.reason), now, partyIdText(link.billitPartyId ?? null), now, dossierId);
        if (!info.changes) throw new RangeError(`no dossier ${dossierId}`);
        const index = new IndexQueue(ctx);
        index.reindex('dossier', dossierId);
        await index.apply(tx);
      });
    },

    /** Records that login data was sent to the dossier's entrepreneur. */
    setLoginDataSent(dossierId: DossierId, sent: { to: string; at: string }): Promise<void> {
      return ctx.write(() => {
        const info = ctx
          .w('UPDATE dossiers SET login_data_sent_to = ?, login_data_sent_at = ?, updated_at = ? WHERE id = ?')
          .run(safeText(sent.to), sent.at, ctx.now(), dossierId);
        if (!info.changes) throw new RangeError(`no dossier ${dossierId}`);
      });
    },

    /** Removes the dossier and everything cached for it (documents, statements, parties). */
    remove(dossierId: DossierId): Promise<boolean> {
      return ctx.write(async (tx) => {
        // Its rows go by cascade; their index entries first, while their ids are known.
        const index = new IndexQueue(ctx);
        for (const id of ctx.w('SELECT id FROM documents WHERE dossier_id = ?').pluck().all(dossierId) as number[]) index.unindex('document', id);
        for (const id of ctx.w('SELECT id FROM movements WHERE dossier_id = ?').pluck().all(dossierId) as number[]) index.unindex('movement', id);
        for (const id of ctx.w('SELECT id FROM parties WHERE dossier_id = ?').pluck().all(dossierId) as number[]) index.unindex('party', id);
        index.unindex('dossier', dossierId);
        await index.apply(tx);
        return ctx.w('DELETE FROM dossiers WHERE id = ?').run(dossierId).changes > 0;
      });
    },
  };
}

export interface PartyPageArgs extends PageArgs {
  dossierId: number;
  role?: PartyRole;
}

export function partiesRepo(ctx: Ctx) {
  return {
    get(id: number): PartyRecord | null {
      const row = ctx.r('SELECT * FROM parties WHERE id = ?').get(id) as Row | undefined;
      return row ? toParty(row) : null;
    },

    /** A dossier's customers and/or suppliers by name, keyset-paged. */
    page(args: PartyPageArgs): Page<PartyRecord> {
      const limit = pageSize(args.limit);
      const after = decodeCursor(args.after, 3);
      const params: unknown[] = [args.dossierId];
      let where = 'dossier_id = ?';
      if (args.role) {
        where += ' AND role = ?';
        params.push(args.role);
      }
      if (after) {
        where += ' AND (role, sort_key, id) > (?, ?, ?)';
        params.push(...after);
      }
      const rows = ctx
        .r(`SELECT * FROM parties WHERE ${where} ORDER BY role, sort_key, id LIMIT ?`)
        .all(...params, limit + 1) as Row[];
      return toPage(rows, limit, toParty, (r) => [r.role, r.sort_key, r.id]);
    },

    /** Matches a relation the way Billit's parties are matched: enterprise or VAT number, then Venice number. */
    find(dossierId: number, role: PartyRole, by: { enterpriseNumber?: string | null; veniceNumber?: string | null }): PartyRecord | null {
      const key = enterpriseKey(by.enterpriseNumber);
      if (key) {
        const row = ctx
          .r('SELECT * FROM parties WHERE dossier_id = ? AND role = ? AND (enterprise_number = ? OR vat_number = ?) ORDER BY id LIMIT 1')
          .get(dossierId, role, key, by.enterpriseNumber) as Row | undefined;
        if (row) return toParty(row);
      }
      if (by.veniceNumber) {
        const row = ctx
          .r('SELECT * FROM parties WHERE dossier_id = ? AND role = ? AND venice_number = ?')
          .get(dossierId, role, by.veniceNumber) as Row | undefined;
        if (row) return toParty(row);
      }
      return null;
    },

    /** Insert or update by (dossier, role, Venice number). */
    upsertMany(rows: readonly PartyInput[]): Promise<PutResult> {
      return ctx.write(async (tx) => {
        const result: PutResult = { ids: [], inserted: 0, updated: 0, unchanged: 0 };
        const index = new IndexQueue(ctx);
        const upsert = new Upsert(ctx, 'parties', ['dossier_id', 'role', 'venice_number']);
        await tx.each(rows, (p) => {
          const { id, change } = upsert.put([p.dossierId, p.role, p.veniceNumber], {
            name: p.name,
            sort_key: sortKey(p.name),
            enterprise_number: enterpriseKey(p.enterpriseNumber),
            vat_number: p.vatNumber ?? null,
            email: p.email ?? null,
            iban: ibanKey(p.iban),
            language: p.language ?? null,
            address: toJson(p.address),
          });
          if (change !== 'unchanged') index.reindex('party', id);
          result.ids.push(id);
          result[change]++;
        });
        await index.apply(tx);
        return result;
      });
    },

    /** The outcome of importing the relation into Billit: new / updated / unchanged / failed, with the reason. */
    setBillitResult(partyId: number, result: { status: PartySyncStatus; reason?: string | null; billitPartyId?: BillitPartyId | null }): Promise<void> {
      return ctx.write(() => {
        const now = ctx.now();
        ctx
          .w(
            `UPDATE parties SET billit_status = ?, billit_reason = ?, billit_party_id = coalesce(?, billit_party_id),
               billit_synced_at = ?, updated_at = ? WHERE id = ?`,
          )
          .run(result.status, safeText(result.reason), partyIdText(result.billitPartyId ?? null), now, now, partyId);
      });
    },
  };
}
