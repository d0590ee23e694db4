/**
 * Venice's own import rules, checked before a document reaches an export folder (Venice's UBL import refuses
 * a file otherwise, after the accountant has started the import):
 * - `VENICE-ENTERPRISE-NUMBER`: the document must be the dossier's, by enterprise number: the seller of a
 *   sale, the buyer of a purchase;
 * - `VENICE-DUPLICATE-ID`: a `cbc:ID` already delivered for the dossier and kind (sales, purchases) is
 *   refused as already imported. For purchases the same number from another supplier is another document
 *   (invoice numbers are unique per issuer), so the supplier must be the same too.
 * A document that breaks one is held back from the export folders until the accountant decides
 * (`documents.hold`): hold it, or deliver it after all.
 */
import { enterpriseDigits } from '../../../shared/belgian';
import type { FindingView } from '../../../shared/api';
import type { Cache, DocumentRecord, DossierRecord, SameNumberDocument } from '../cache';

type Source = Pick<Cache, 'documents' | 'checks'>;

interface Candidate extends SameNumberDocument {
  number?: string;
}

function sameIssuer(a: Pick<Candidate, 'sellerEnterprise' | 'sellerVat' | 'sellerName'>, b: Pick<Candidate, 'sellerEnterprise' | 'sellerVat' | 'sellerName'>): boolean {
  if (a.sellerEnterprise && b.sellerEnterprise) return enterpriseDigits(a.sellerEnterprise) === enterpriseDigits(b.sellerEnterprise);
  if (a.sellerVat && b.sellerVat) return a.sellerVat.replace(/\W/g, '').toUpperCase() === b.sellerVat.replace(/\W/g, '').toUpperCase();
  return (a.sellerName ?? '').trim().toLowerCase() === (b.sellerName ?? '').trim().toLowerCase();
}

function candidateOf(d: DocumentRecord): Candidate {
  return {
    id: d.id,
    status: d.status,
    sellerEnterprise: d.seller.enterpriseNumber ?? null,
    sellerVat: d.seller.vatNumber ?? null,
    sellerName: d.seller.name,
    number: d.number,
  };
}

/**
 * The Venice findings of one document. `deliveredNow`: documents of the same batch that go to the folders
 * before this one (an export of several documents at once).
 */
export function veniceFindings(doc: DocumentRecord, dossier: DossierRecord, cache: Pick<Cache, 'checks'>, deliveredNow: readonly Candidate[] = []): FindingView[] {
  const out: FindingView[] = [];
  const wanted = enterpriseDigits(dossier.enterpriseNumber ?? '');
  if (wanted) {
    const party = doc.direction === 'sales' ? doc.seller : doc.buyer;
    const role = doc.direction === 'sales' ? 'seller' : 'buyer';
    const found = enterpriseDigits(party.enterpriseNumber ?? '');
    if (found !== wanted) {
      out.push({
        severity: 'error',
        code: 'VENICE-ENTERPRISE-NUMBER',
        message: found
          ? `Venice imports this ${doc.direction === 'sales' ? 'sale' : 'purchase'} only into the dossier of enterprise number ${found} (the ${role}); this dossier's is ${wanted}.`
          : `The ${role} carries no Belgian enterprise number: Venice cannot tell this document belongs to the dossier (${wanted}).`,
        source: 'venice',
      });
    }
  }
  if (doc.number) {
    const me = candidateOf(doc);
    const purchase = doc.direction === 'purchase';
    const batch = deliveredNow.filter((o) => o.number === me.number);
    const earlier = [...cache.checks.sameNumber(doc.id), ...batch].filter(
      (o) => o.id !== doc.id && (o.status === 'exported' || batch.includes(o)) && (doc.status !== 'exported' || o.id < doc.id) && (!purchase || sameIssuer(o, me)),
    );
    if (earlier.length) {
      out.push({
        severity: 'error',
        code: 'VENICE-DUPLICATE-ID',
        message: `Another ${purchase ? 'purchase from this supplier' : 'sale'} numbered ${doc.number} was already delivered to Venice for this dossier: Venice refuses a document number it has imported.`,
        source: 'venice',
      });
    }
  }
  return out;
}

/**
 * Of these documents about to be exported (in order), the ones to keep out of the folders: those the
 * accountant holds back, and those Venice would refuse that the accountant has not released.
 */
export function documentsToHold(cache: Source, dossier: DossierRecord, ids: readonly number[]): number[] {
  const decisions = cache.checks.decisions(ids);
  const held: number[] = [];
  const delivered: Candidate[] = [];
  for (const doc of cache.documents.getMany(ids)) {
    const decision = decisions.get(doc.id);
    if (decision === 'hold' || (decision !== 'export' && veniceFindings(doc, dossier, cache, delivered).length > 0)) {
      held.push(doc.id);
      continue;
    }
    delivered.push({ ...candidateOf(doc), status: 'exported' });
  }
  return held;
}
