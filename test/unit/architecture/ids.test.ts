/**
 * Ids that mean different things do not pass for one another. The `@ts-expect-error` lines are checked by
 * the type check (`npm test` runs it over the tests too): each fails the build the day the mix-up compiles.
 */
import { describe, expect, it } from 'vitest';
import { calls, parseRunId, type ParsedInput, type BillitPartyId, type DocumentId, type DossierId, type RunId, type VeniceDossierId } from '../../../shared/api';
import { asBillitPartyId, asDocumentId, asDossierId, asRunId, asStatementId, asVeniceDossierId, parseBillitPartyId } from '../../../shared/api/ids';
import type { Cache, DossierRecord } from '../../../electron/core/cache';
import type { BillitCompanies } from '../../../electron/core/dossiers/ports';

// Never called: these functions exist for the compiler to judge their bodies.
function mixUps(cache: Cache, dossier: DossierRecord, document: DocumentId, companies: BillitCompanies) {
  // @ts-expect-error Venice's dossier id is not the cache's row id.
  cache.dossiers.get(dossier.veniceId);
  // @ts-expect-error a document's id is not a run's.
  cache.runs.get(document);
  // @ts-expect-error a statement's id is not a dossier's.
  cache.dossiers.linkHistory(asStatementId(7));
  // @ts-expect-error a plain number is not a run id until something says it is one.
  cache.runs.get(7);
  // @ts-expect-error the dossier's row id is not its Billit company.
  void companies.sendLoginData(dossier.id, null);
  // @ts-expect-error Billit's PartyID is not text: no `String(…)` on the way to the cache.
  void cache.dossiers.setLink(dossier.id, { state: 'linked', billitPartyId: '4242' });
  // @ts-expect-error a Venice id is not a dossier row id, even when it looks like a number.
  const row: DossierId = asVeniceDossierId('42');
  return row;
}

function rightUses(cache: Cache, dossier: DossierRecord, companies: BillitCompanies, input: ParsedInput<'dossiers.get'>) {
  cache.dossiers.get(dossier.id);
  // The stored PartyID goes to Billit as it is read: no `Number(…)`.
  if (dossier.billitPartyId) void companies.sendLoginData(dossier.billitPartyId, dossier.email);
  // An id the API received is Venice's, branded by the call's schema.
  const venice: VeniceDossierId = input.id;
  const runs: RunId[] = [];
  const run = parseRunId('12');
  if (run) runs.push(run);
  return { venice, runs };
}

describe('ids', () => {
  it('keep the plain value on the wire: a brand is a type, never a change of value', () => {
    expect(JSON.stringify({ a: asDossierId(3), b: asVeniceDossierId('V-3'), c: asBillitPartyId(4242), d: asDocumentId(9), e: asRunId(12) })).toBe(
      '{"a":3,"b":"V-3","c":4242,"d":9,"e":12}',
    );
    expect(calls['dossiers.get'].input.parse({ id: 'V-3' })).toEqual({ id: 'V-3' });
    expect(typeof mixUps).toBe('function');
    expect(typeof rightUses).toBe('function');
  });

  it('read a stored PartyID and a run id from their decimal text, and nothing else', () => {
    const party: BillitPartyId | null = parseBillitPartyId('4242');
    expect(party).toBe(4242);
    expect([parseBillitPartyId(null), parseBillitPartyId(''), parseBillitPartyId('42a')]).toEqual([null, null, null]);
    expect([parseRunId('12'), parseRunId('run-1'), parseRunId('1.5')]).toEqual([12, null, null]);
  });
});
