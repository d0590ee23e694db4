/**
 * Importing a Venice dossier's customers and suppliers into its Billit company as parties.
 *
 * A relation is matched to an existing party by its Venice number (`Nr`, which this import writes) first:
 * it is the relation's own key, where two Venice relations can share a VAT number (a company's branches)
 * or an e-mail (a group's accounting address). A party this import has not numbered yet is then matched
 * by enterprise/VAT number, the identity both sides agree on — but never one that carries another
 * relation's number. A party is only updated for fields Venice knows: an empty Venice field never erases
 * what the entrepreneur typed in Billit.
 */
import { parseVat } from '../../../shared/belgian';
import type { BillitPartyId, RelationFailure, RelationsResult } from '../../../shared/api';
import type { VeniceRelation } from '../venice/types';
import type { BillitCompanies, BillitPartyFields, BillitPartyView } from './ports';

export type PlannedChange =
  | { kind: 'create'; relation: VeniceRelation; fields: BillitPartyFields }
  | { kind: 'update'; relation: VeniceRelation; partyId: BillitPartyId; delta: Partial<BillitPartyFields> }
  | { kind: 'unchanged'; relation: VeniceRelation; partyId: BillitPartyId }
  | { kind: 'failed'; relation: VeniceRelation; failure: Omit<RelationFailure, 'name'> };

/** The `Nr` a Venice relation gets in Billit: kind-prefixed so a customer 12 and a supplier 12 never meet. */
export function veniceNr(relation: Pick<VeniceRelation, 'kind' | 'number' | 'subNumber'>): string {
  const base = `${relation.kind === 'customer' ? 'C' : 'S'}${relation.number}`;
  return relation.subNumber ? `${base}/${relation.subNumber}` : base;
}

function vatKey(value: string | null | undefined): string | null {
  if (!value) return null;
  const parsed = parseVat(value);
  return parsed.ok ? `${parsed.value.country}${parsed.value.number}` : null;
}

export function partyFieldsOf(relation: VeniceRelation): BillitPartyFields {
  const vat = relation.vatNumber ?? (relation.enterpriseNumber ? `BE${relation.enterpriseNumber}` : null);
  return {
    partyType: relation.kind === 'customer' ? 'Customer' : 'Supplier',
    nr: veniceNr(relation),
    name: relation.name,
    vatNumber: vat,
    email: relation.email,
    iban: relation.iban,
    language: relation.language ? relation.language.toUpperCase() : null,
    street: relation.address?.street || null,
    streetNumber: relation.address?.streetNumber || null,
    zipcode: relation.address?.zipcode || null,
    city: relation.address?.city || null,
    countryCode: relation.address?.countryCode || null,
  };
}

const comparable: Array<keyof BillitPartyFields> = [
  'nr',
  'name',
  'vatNumber',
  'email',
  'iban',
  'language',
  'street',
  'streetNumber',
  'zipcode',
  'city',
  'countryCode',
];

function same(field: keyof BillitPartyFields, a: string | null, b: string | null): boolean {
  if (field === 'vatNumber') return vatKey(a) === vatKey(b);
  if (field === 'iban') return (a ?? '').replace(/\s/g, '').toUpperCase() === (b ?? '').replace(/\s/g, '').toUpperCase();
  if (field === 'email' || field === 'language') return (a ?? '').toLowerCase() === (b ?? '').toLowerCase();
  return (a ?? '') === (b ?? '');
}

/** Decide, without any request, what to do with each relation. */
export function planRelations(relations: readonly VeniceRelation[], parties: readonly BillitPartyView[]): PlannedChange[] {
  const byVat = new Map<string, BillitPartyView[]>();
  const byNr = new Map<string, BillitPartyView>();
  for (const p of parties) {
    const key = vatKey(p.vatNumber);
    if (key) byVat.set(`${p.partyType}:${key}`, [...(byVat.get(`${p.partyType}:${key}`) ?? []), p]);
    if (p.nr) byNr.set(`${p.partyType}:${p.nr}`, p);
  }
  // A party numbered for one relation is that relation's, even when another shares its VAT number.
  const numbered = new Set(relations.map((r) => `${r.kind === 'customer' ? 'Customer' : 'Supplier'}:${veniceNr(r)}`));
  const taken = new Set<number>();
  type Plannable = { relation: VeniceRelation; failed: Omit<RelationFailure, 'name'> } | { relation: VeniceRelation; fields: BillitPartyFields; own: BillitPartyView | undefined };
  const plannable = relations.map((relation): Plannable => {
    if (!relation.name.trim()) return { relation, failed: { code: 'no-name', reason: 'The relation has no name in Venice' } };
    if (relation.vatNumberInvalid)
      return { relation, failed: { code: 'invalid-vat', reason: `Invalid VAT number in Venice: ${relation.vatNumberInvalid}`, value: relation.vatNumberInvalid } };
    const fields = partyFieldsOf(relation);
    const own = byNr.get(`${fields.partyType}:${fields.nr}`);
    if (own) taken.add(own.partyId);
    return { relation, fields, own };
  });
  return plannable.map((p): PlannedChange => {
    if ('failed' in p) return { kind: 'failed', relation: p.relation, failure: p.failed };
    const { relation, fields } = p;
    let match = p.own;
    if (!match) {
      const key = vatKey(fields.vatNumber);
      const candidates = key ? (byVat.get(`${fields.partyType}:${key}`) ?? []) : [];
      match = candidates.find((c) => !taken.has(c.partyId) && !(c.nr && numbered.has(`${c.partyType}:${c.nr}`)));
      if (!match) return { kind: 'create', relation, fields };
      taken.add(match.partyId);
    }
    const delta: Partial<BillitPartyFields> = {};
    for (const field of comparable) {
      const value = fields[field];
      if (value === null || value === '') continue;
      if (!same(field, value, match[field])) (delta as Record<string, string>)[field] = value;
    }
    return Object.keys(delta).length ? { kind: 'update', relation, partyId: match.partyId, delta } : { kind: 'unchanged', relation, partyId: match.partyId };
  });
}

export function emptyRelationsResult(): RelationsResult {
  return { created: 0, updated: 0, unchanged: 0, failed: 0, failures: [] };
}

/** Apply a plan; each relation's failure is recorded and the others go on. */
export async function importRelations(
  billit: BillitCompanies,
  companyId: BillitPartyId,
  relations: readonly VeniceRelation[],
  signal?: AbortSignal,
): Promise<{ result: RelationsResult; outcomes: Array<{ relation: VeniceRelation; status: 'new' | 'updated' | 'unchanged' | 'failed'; partyId: BillitPartyId | null; reason: string | null }> }> {
  const parties = await billit.listParties(companyId, signal);
  const plan = planRelations(relations, parties);
  const result = emptyRelationsResult();
  const outcomes: Array<{ relation: VeniceRelation; status: 'new' | 'updated' | 'unchanged' | 'failed'; partyId: BillitPartyId | null; reason: string | null }> = [];
  for (const change of plan) {
    try {
      if (change.kind === 'create') {
        const id = await billit.createParty(companyId, change.fields, signal);
        result.created++;
        outcomes.push({ relation: change.relation, status: 'new', partyId: id, reason: null });
      } else if (change.kind === 'update') {
        await billit.updateParty(companyId, change.partyId, change.delta, signal);
        result.updated++;
        outcomes.push({ relation: change.relation, status: 'updated', partyId: change.partyId, reason: null });
      } else if (change.kind === 'unchanged') {
        result.unchanged++;
        outcomes.push({ relation: change.relation, status: 'unchanged', partyId: change.partyId, reason: null });
      } else {
        result.failed++;
        result.failures.push({ name: change.relation.name, ...change.failure });
        outcomes.push({ relation: change.relation, status: 'failed', partyId: null, reason: change.failure.reason });
      }
    } catch (error) {
      if (signal?.aborted) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      result.failed++;
      result.failures.push({ name: change.relation.name, code: 'refused', reason });
      outcomes.push({ relation: change.relation, status: 'failed', partyId: null, reason });
    }
  }
  return { result, outcomes };
}
