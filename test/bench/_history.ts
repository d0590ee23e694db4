/**
 * A dossier's history for the benchmarks' caches: invoices and credit notes of several years with a small
 * UBL each, and statements with movements that pay some of them. Deterministic from the random source.
 */
import type { DocumentInput, StatementInput } from '../../electron/core/cache';

/** The demo's seeded generator, so runs are comparable. */
export { seededRandom as rng } from '../../electron/demo/seed/prng';

export const kinds = ['Boulangerie', 'Garage', 'Brasserie', 'Atelier', 'Bouwbedrijf', 'Cabinet', 'Transport', 'Immo', 'Bakkerij', 'Apotheek', 'Drukkerij', 'Menuiserie'];
export const surnames = ['Dupont', 'Peeters', 'Janssens', 'Maes', 'Jacobs', 'Mertens', 'Willems', 'Claes', 'Goossens', 'Wouters', 'De Smet', 'Lambert', 'Dubois', 'Leclercq', 'Martin', 'Vermeulen', 'Van Damme', 'Lemaire', 'Desmet', 'Hermans', 'Michiels', 'Renard', 'Simon', 'Laurent'];
export const forms = ['SA', 'SRL', 'BV', 'NV', 'CommV', 'SC'];

function structured(base: number): string {
  const digits = String(base).padStart(10, '0');
  const check = Number(BigInt(digits) % 97n) || 97;
  return digits + String(check).padStart(2, '0');
}

export function euros(cents: number): string {
  const s = String(cents).padStart(3, '0');
  return `${s.slice(0, -2).replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${s.slice(-2)}`;
}

export interface HistorySample {
  dossierId: number;
  number: string;
  inclCents: number;
  communication: string;
  counterparty: string;
}

export function dossierHistory(o: {
  /** The dossier's place in the office (keeps numbers and accounts apart). */
  d: number;
  dossierId: number;
  name: string;
  enterpriseNumber: string;
  count: number;
  random: () => number;
  /** Some documents are kept here to look up later (search, numbers, amounts). */
  samples: HistorySample[];
  statementEvery: number;
  movements: number;
}): { rows: DocumentInput[]; stmts: StatementInput[] } {
  const { d, dossierId, count, random, samples } = o;
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const counterparties = Array.from({ length: 60 }, () => `${pick(kinds)} ${pick(surnames)} ${pick(forms)}`);
  const rows: DocumentInput[] = [];
  for (let i = 0; i < count; i++) {
    const direction = random() < 0.6 ? 'sales' : 'purchase';
    const year = 2021 + Math.floor(random() * 4);
    const date = `${year}-${String(1 + Math.floor(random() * 12)).padStart(2, '0')}-${String(1 + Math.floor(random() * 28)).padStart(2, '0')}`;
    const excl = 500 + Math.floor(random() * 2_000_000);
    const vat = Math.round(excl * 0.21);
    const counterparty = pick(counterparties);
    const number = `${direction === 'sales' ? 'VF' : 'AF'}-${year}-${String(i + 1).padStart(6, '0')}`;
    const communication = structured(d * 100_000 + i);
    const own = { name: o.name, enterpriseNumber: o.enterpriseNumber };
    const other = { name: counterparty, enterpriseNumber: `0${String(500_000_000 + (counterparties.indexOf(counterparty) + d * 60) * 13).slice(0, 9)}` };
    rows.push({
      dossierId,
      source: 'billit-order',
      sourceId: `${d}-${i}`,
      kind: random() < 0.05 ? 'credit-note' : 'invoice',
      direction,
      number,
      issueDate: date,
      dueDate: date,
      seller: direction === 'sales' ? own : other,
      buyer: direction === 'sales' ? other : own,
      currency: 'EUR',
      totalExclCents: excl,
      totalVatCents: vat,
      totalInclCents: excl + vat,
      paymentReference: communication,
      status: random() < 0.8 ? 'exported' : 'new',
      validation: random() < 0.03 ? 'errors' : 'ok',
      ubl: Buffer.from(
        `<?xml version="1.0" encoding="UTF-8"?><Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"><cbc:ID>${number}</cbc:ID>` +
          `<cbc:IssueDate>${date}</cbc:IssueDate><cac:AccountingSupplierParty><cbc:Name>${direction === 'sales' ? own.name : counterparty}</cbc:Name></cac:AccountingSupplierParty>` +
          `<cac:AccountingCustomerParty><cbc:Name>${direction === 'sales' ? counterparty : own.name}</cbc:Name></cac:AccountingCustomerParty>` +
          `<cac:PaymentMeans><cbc:PaymentID>+++${communication}+++</cbc:PaymentID></cac:PaymentMeans>` +
          `<cac:LegalMonetaryTotal><cbc:PayableAmount currencyID="EUR">${(excl + vat) / 100}</cbc:PayableAmount></cac:LegalMonetaryTotal></Invoice>`,
      ),
    });
    if (random() < 0.0005 || samples.length < 50) samples.push({ dossierId, number, inclCents: excl + vat, communication, counterparty });
  }
  const stmts: StatementInput[] = [];
  const nStatements = Math.ceil(count / o.statementEvery);
  for (let s = 0; s < nStatements; s++) {
    const month = String(1 + (s % 12)).padStart(2, '0');
    const year = 2021 + Math.floor((s / nStatements) * 4);
    stmts.push({
      dossierId,
      accountIban: s % 3 === 0 ? `BE${String(10 + (d % 89))}0012${String(d).padStart(8, '0')}` : `BE${String(10 + (d % 89))}0013${String(d).padStart(8, '0')}`,
      currency: 'EUR',
      statementNumber: String(s + 1).padStart(3, '0'),
      openingDate: `${year}-${month}-01`,
      closingDate: `${year}-${month}-${String(1 + (s % 28)).padStart(2, '0')}`,
      openingCents: 0,
      closingCents: 0,
      source: 'billit-feed',
      sourceId: `${d}-${s}`,
      coda: Buffer.from(`0000001${String(d).padStart(5, '0')}${String(s).padStart(5, '0')}`.padEnd(128 * 6, ' ')),
      movements: Array.from({ length: o.movements }, (_, k) => {
        const paid = rows[(s * o.movements + k) % rows.length]!;
        const structuredPayment = k % 2 === 0;
        return {
          seq: k + 1,
          valueDate: `${year}-${month}-10`,
          amountCents: paid.direction === 'sales' ? paid.totalInclCents : -paid.totalInclCents,
          counterpartyName: paid.direction === 'sales' ? paid.buyer.name : paid.seller.name,
          counterpartyIban: `BE${String(20 + k)}0019${String(s).padStart(8, '0')}`,
          structuredReference: structuredPayment ? paid.paymentReference : null,
          communication: structuredPayment ? null : `Factuur ${paid.number}`,
        };
      }),
    });
  }
  return { rows, stmts };
}
