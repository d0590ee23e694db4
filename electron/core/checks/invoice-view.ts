/**
 * An invoice as the accountant reads it: seller and buyer blocks, lines, VAT per rate, totals, where to
 * pay. Built from the cached UBL file's normalized model; amounts become integer cents here and nowhere
 * else, exactly (the model's amounts are decimal strings).
 */
import type { DocumentDetail, PartyBlock } from '../../../shared/api';
import { formatIban, formatVat } from '../../../shared/belgian';
import type { UblAddress, UblDocument, UblParty } from '../../../shared/ubl';
import { toMinorUnits } from '../../../shared/ubl/decimal';

function cents(value: string | undefined): number {
  if (!value) return 0;
  try {
    return Number(toMinorUnits(value, 2));
  } catch {
    return 0;
  }
}

function addressLines(a: UblAddress | undefined): string[] {
  if (!a) return [];
  const street = [a.street, a.additionalStreet, a.addressLine].filter(Boolean).join(', ');
  const city = [a.postalCode, a.city].filter(Boolean).join(' ');
  return [street, city, a.country && a.country !== 'BE' ? a.country : ''].filter((line) => line.length > 0);
}

function party(p: UblParty): PartyBlock {
  return {
    name: p.registrationName && p.registrationName !== p.name ? `${p.name} (${p.registrationName})` : p.name,
    address: addressLines(p.address),
    vatNumber: p.vatNumber ? formatVat(p.vatNumber) : null,
    enterpriseNumber: p.enterpriseNumber ?? null,
    email: p.contact?.email ?? null,
  };
}

export function invoiceLines(ubl: UblDocument): DocumentDetail['lines'] {
  return ubl.lines.map((l) => ({
    description: l.description && l.description !== l.name ? `${l.name} — ${l.description}` : l.name,
    quantity: l.quantity,
    unitCode: l.unitCode ?? null,
    unitPrice: l.price,
    vatRate: l.vatRate ?? '',
    lineTotal: cents(l.lineExtensionAmount),
  }));
}

export function invoiceView(ubl: UblDocument): NonNullable<DocumentDetail['invoice']> {
  const t = ubl.totals;
  const pay = ubl.paymentMeans.find((m) => m.account) ?? ubl.paymentMeans[0];
  return {
    seller: party(ubl.seller),
    buyer: party(ubl.buyer),
    vatBreakdown: ubl.vatBreakdown.map((v) => ({
      category: v.category,
      rate: v.rate ?? null,
      taxable: cents(v.taxableAmount),
      tax: cents(v.taxAmount),
      exemptionReason: v.exemptionReason ?? null,
    })),
    totals: {
      lines: cents(t.lineExtension),
      allowances: cents(t.allowanceTotal),
      charges: cents(t.chargeTotal),
      excl: cents(t.taxExclusive),
      vat: cents(t.vatTotal),
      incl: cents(t.taxInclusive),
      prepaid: cents(t.prepaid),
      rounding: cents(t.rounding),
      payable: cents(t.payable),
    },
    paymentAccount: pay?.account ? { iban: formatIban(pay.account), bic: pay.bic ?? null, name: pay.accountName ?? null } : null,
    structured: ubl.paymentMeans.some((m) => m.structuredCommunication !== undefined),
    notes: ubl.notes,
    references: { order: ubl.references.order ?? null, contract: ubl.references.contract ?? null, invoices: ubl.references.invoices.map((i) => i.id) },
  };
}
