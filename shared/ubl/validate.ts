/**
 * UBL validation findings: what makes Venice refuse a file or book it wrong, checked on the normalized model.
 *
 * - `missing-element` (error): what the UBL schema or Peppol BIS 3.0 require (number, dates, currency, parties,
 *   totals, lines and their amounts, item name, VAT category).
 * - `unknown-customization` (warning): a CustomizationID that is none of BIS 3.0 (and its extensions),
 *   UBL.BE, e-FFF or BIS 2 — Venice imports such files incompletely.
 * - Totals (error), as EN 16931 defines them: `totals-line-sum` (BR-CO-10), `totals-allowances` /
 *   `totals-charges` (BR-CO-11/12), `totals-tax-exclusive` (BR-CO-13), `totals-vat` (BR-CO-14),
 *   `totals-tax-inclusive` (BR-CO-15), `totals-payable` (BR-CO-16): exact. Per VAT category:
 *   `vat-category-taxable` (exact) and `vat-category-amount` (taxable × rate, ±0.01 for rounding).
 *   Per line: `line-amount` (quantity × price / base quantity ± line allowances/charges, ±0.01).
 * - `enterprise-number-invalid` (error for a scheme-0208 identifier, as Peppol's rule R043; else warning) and
 *   `vat-invalid` (warning): a Belgian identifier whose check digits are wrong.
 * - `not-addressed-to-dossier` (error): given the dossier's enterprise number, neither the seller nor the buyer
 *   (or, with `direction`, not the expected party) carries it.
 * - `structured-communication` / `iban-invalid` (warning): payment reference or account that does not check out.
 * - `identifier-mismatch` (warning): a party's identifiers (Peppol endpoint, legal registration, VAT number)
 *   name different Belgian enterprises; Venice routes a file by enterprise number, so which one is meant matters.
 *
 * Errors are only what the official rules (EN 16931, Peppol) also report as errors, so this fast check never
 * contradicts them; the app's conformance tests hold it to that.
 */
import { normalizeIban, parseEnterpriseNumber, parseStructuredCommunication, parseVat } from '../belgian';
import type { Finding } from '../findings';
import { add, compare, div, isDecimal, mul, round, sub, sum, within } from './decimal';
import { CUSTOMIZATION, type Decimal, type UblAllowanceCharge, type UblDocument, type UblParty } from './model';

export interface ValidateUblOptions {
  /** The dossier's enterprise number (any accepted spelling). */
  dossierEnterpriseNumber?: string;
  /** `sales`: the dossier must be the seller; `purchase`: the buyer; absent: either. */
  direction?: 'sales' | 'purchase';
}

export function validateUbl(doc: UblDocument, options: ValidateUblOptions = {}): Finding[] {
  const out: Finding[] = [...(doc.parseFindings ?? [])];
  const err = (code: string, message: string, rules: readonly string[]) => out.push({ severity: 'error', code, message, rules });
  const warn = (code: string, message: string) => out.push({ severity: 'warning', code, message });
  const missing = (what: string, rules: readonly string[]) => err('missing-element', `Missing ${what}.`, rules);

  // --- customisation and mandatory header elements
  if (!doc.customizationId) missing('cbc:CustomizationID (BT-24)', ['BR-01']);
  else if (!isKnownCustomization(doc.customizationId)) {
    warn('unknown-customization', `Unknown CustomizationID "${doc.customizationId}": Venice may import this file incompletely.`);
  }
  if (!doc.number) missing('invoice number cbc:ID (BT-1)', ['BR-02']);
  if (!doc.issueDate) missing('cbc:IssueDate (BT-2)', ['BR-03']);
  else if (!isIsoDate(doc.issueDate)) err('date', `Issue date "${doc.issueDate}" is not a YYYY-MM-DD date.`, DATE_RULES);
  if (doc.dueDate !== undefined && !isIsoDate(doc.dueDate)) err('date', `Due date "${doc.dueDate}" is not a YYYY-MM-DD date.`, DATE_RULES);
  if (!doc.typeCode) missing(doc.kind === 'credit-note' ? 'cbc:CreditNoteTypeCode (BT-3)' : 'cbc:InvoiceTypeCode (BT-3)', ['BR-04']);
  if (!doc.currency) missing('cbc:DocumentCurrencyCode (BT-5)', ['BR-05']);
  else if (!/^[A-Z]{3}$/.test(doc.currency)) err('currency', `Currency "${doc.currency}" is not an ISO 4217 code.`, ['BR-CL-04']);
  partyChecks(doc.seller, 'seller', 'BG-4', out);
  partyChecks(doc.buyer, 'buyer', 'BG-7', out);
  if (doc.lines.length === 0) missing('invoice lines (BG-25): the document has none', ['BR-16', 'XSD']);

  // --- totals
  const t = doc.totals;
  const totalsNames: [keyof typeof t, string, string[]][] = [
    ['lineExtension', 'cbc:LineExtensionAmount (BT-106)', ['BR-12', 'XSD']],
    ['taxExclusive', 'cbc:TaxExclusiveAmount (BT-109)', ['BR-13', 'XSD']],
    ['taxInclusive', 'cbc:TaxInclusiveAmount (BT-112)', ['BR-14', 'XSD']],
    ['payable', 'cbc:PayableAmount (BT-115)', ['BR-15', 'XSD']],
    ['vatTotal', 'cac:TaxTotal/cbc:TaxAmount (BT-110)', ['BR-CO-14', 'BR-CO-18', 'XSD']],
  ];
  for (const [k, label, rules] of totalsNames) if (!isDecimal(t[k])) missing(label, rules);

  const lineAmounts: Decimal[] = [];
  doc.lines.forEach((l, i) => {
    const at = `line ${l.id || i + 1}`;
    if (!l.id) missing(`the ID of line ${i + 1} (BT-126)`, ['BR-21']);
    if (!isDecimal(l.quantity)) missing(`the quantity of ${at} (BT-129)`, ['BR-22']);
    if (!isDecimal(l.lineExtensionAmount)) missing(`the net amount of ${at} (BT-131)`, ['BR-24']);
    else lineAmounts.push(l.lineExtensionAmount);
    if (!l.name) missing(`the item name of ${at} (BT-153)`, ['BR-25']);
    if (!isDecimal(l.price)) missing(`the item price of ${at} (BT-146)`, ['BR-26']);
    if (!l.vatCategory) missing(`the VAT category of ${at} (BT-151)`, ['BR-CO-04']);
    if (isDecimal(l.quantity) && isDecimal(l.price) && isDecimal(l.lineExtensionAmount) && allDecimal(l.allowanceCharges)) {
      const base = l.baseQuantity && isDecimal(l.baseQuantity) && compare(l.baseQuantity, '0') !== 0 ? l.baseQuantity : '1';
      const gross = div(mul(l.quantity, l.price), base, 6) ?? '0';
      const expected = round(add(gross, netAllowanceCharges(l.allowanceCharges)), 2);
      // Peppol's R120 allows 0.02 for rounding.
      if (!within(expected, l.lineExtensionAmount, '0.02')) {
        err('line-amount', `Net amount of ${at} is ${l.lineExtensionAmount}; quantity × price ± allowances/charges gives ${expected}.`, ['PEPPOL-EN16931-R120']);
      }
    }
  });

  const docAc = doc.allowanceCharges;
  const allowances = docAc.filter((a) => !a.isCharge && isDecimal(a.amount)).map((a) => a.amount);
  const charges = docAc.filter((a) => a.isCharge && isDecimal(a.amount)).map((a) => a.amount);
  const allowanceTotal = t.allowanceTotal ?? '0';
  const chargeTotal = t.chargeTotal ?? '0';
  // BR-CO-11/12 hold a total that is given to its allowances or charges; an absent total is not checked.
  if (t.allowanceTotal !== undefined && isDecimal(allowanceTotal) && compare(xround(sum(allowances)), allowanceTotal) !== 0) {
    err('totals-allowances', `Allowance total is ${allowanceTotal}; the document-level allowances add up to ${sum(allowances)}.`, ['BR-CO-11']);
  }
  if (t.chargeTotal !== undefined && isDecimal(chargeTotal) && compare(xround(sum(charges)), chargeTotal) !== 0) {
    err('totals-charges', `Charge total is ${chargeTotal}; the document-level charges add up to ${sum(charges)}.`, ['BR-CO-12']);
  }
  if (isDecimal(t.lineExtension) && lineAmounts.length === doc.lines.length && compare(xround(sum(lineAmounts)), t.lineExtension) !== 0) {
    err('totals-line-sum', `Sum of line net amounts is ${sum(lineAmounts)}, but LineExtensionAmount is ${t.lineExtension}.`, ['BR-CO-10']);
  }
  if (isDecimal(t.lineExtension) && isDecimal(t.taxExclusive) && isDecimal(allowanceTotal) && isDecimal(chargeTotal)) {
    const expected = xround(add(sub(t.lineExtension, allowanceTotal), chargeTotal));
    if (compare(expected, t.taxExclusive) !== 0) {
      err('totals-tax-exclusive', `TaxExclusiveAmount is ${t.taxExclusive}; lines ${t.lineExtension} − allowances ${allowanceTotal} + charges ${chargeTotal} = ${expected}.`, ['BR-CO-13']);
    }
  }
  const subtotalTax = doc.vatBreakdown.filter((s) => isDecimal(s.taxAmount)).map((s) => s.taxAmount);
  if (isDecimal(t.vatTotal) && doc.vatBreakdown.length > 0 && compare(xround(sum(subtotalTax)), t.vatTotal) !== 0) {
    err('totals-vat', `VAT total is ${t.vatTotal}; the VAT breakdown adds up to ${sum(subtotalTax)}.`, ['BR-CO-14']);
  }
  // BR-CO-15 adds the VAT total in the document currency: without a currency, the rule has nothing to add.
  if (doc.currency && isDecimal(t.taxExclusive) && isDecimal(t.taxInclusive) && isDecimal(t.vatTotal)) {
    const expected = xround(add(t.taxExclusive, t.vatTotal));
    if (compare(expected, t.taxInclusive) !== 0) {
      err('totals-tax-inclusive', `TaxInclusiveAmount is ${t.taxInclusive}; ${t.taxExclusive} + VAT ${t.vatTotal} = ${expected}.`, ['BR-CO-15']);
    }
  }
  const prepaid = t.prepaid ?? '0';
  const rounding = t.rounding ?? '0';
  if (isDecimal(t.taxInclusive) && isDecimal(t.payable) && isDecimal(prepaid) && isDecimal(rounding)) {
    const expected = xround(add(sub(t.taxInclusive, prepaid), rounding));
    if (compare(expected, t.payable) !== 0) {
      err('totals-payable', `PayableAmount is ${t.payable}; ${t.taxInclusive} − prepaid ${prepaid} + rounding ${rounding} = ${expected}.`, ['BR-CO-16']);
    }
  }

  // --- VAT breakdown per category
  if (doc.vatBreakdown.length === 0 && doc.lines.length > 0) missing('the VAT breakdown cac:TaxSubtotal (BG-23)', ['BR-CO-18']);
  for (const s of doc.vatBreakdown) {
    const label = `VAT category ${s.category || '?'}${s.rate !== undefined ? ` ${s.rate}%` : ''}`;
    if (!s.category) missing('the category of a VAT breakdown (BT-118)', ['BR-47']);
    if (!isDecimal(s.taxableAmount) || !isDecimal(s.taxAmount)) {
      missing(`the taxable or tax amount of ${label} (BT-116/117)`, ['BR-45', 'BR-46']);
      continue;
    }
    // Without its rate (BR-48) a category's lines cannot be told apart by rate: no sums to compare.
    if (s.rate === undefined && s.category && s.category !== 'O') {
      missing(`the VAT rate of ${label} (BT-119)`, ['BR-48']);
      continue;
    }
    const sameCategory = (cat: string | undefined, rate: Decimal | undefined) => cat === s.category && sameRate(rate, s.rate);
    const lineSum = doc.lines.filter((l) => sameCategory(l.vatCategory, l.vatRate) && isDecimal(l.lineExtensionAmount)).map((l) => l.lineExtensionAmount);
    const acSum = netAllowanceCharges(docAc.filter((a) => sameCategory(a.vatCategory, a.vatRate) && isDecimal(a.amount)));
    const expectedTaxable = add(sum(lineSum), acSum);
    if (s.category && compare(expectedTaxable, s.taxableAmount) !== 0) {
      err('vat-category-taxable', `${label}: taxable amount is ${s.taxableAmount}; its lines and allowances/charges give ${expectedTaxable}.`, categoryRules(s.category, '08'));
    }
    const rate = s.rate !== undefined && isDecimal(s.rate) ? s.rate : '0';
    const expectedTax = round(div(mul(s.taxableAmount, rate), '100', 6) ?? '0', 2);
    if (!within(expectedTax, s.taxAmount, '0.01')) {
      err('vat-category-amount', `${label}: VAT amount is ${s.taxAmount}; ${s.taxableAmount} × ${rate}% = ${expectedTax}.`, [...categoryRules(s.category, '09'), 'BR-CO-17']);
    }
  }

  // --- payment
  for (const pm of doc.paymentMeans) {
    if (pm.paymentId && pm.structuredCommunication === undefined && /^\s*(\+\+\+|\*\*\*)/.test(pm.paymentId)) {
      const r = parseStructuredCommunication(pm.paymentId);
      warn('structured-communication', `Payment reference ${pm.paymentId} looks like a structured communication but ${r.ok ? 'is odd' : r.reason === 'check-digits' ? 'its check digits are wrong' : 'is malformed'}.`);
    }
    if (pm.account && /^[A-Z]{2}\d{2}/i.test(pm.account) && normalizeIban(pm.account) === null) {
      warn('iban-invalid', `Payee account "${pm.account}" looks like an IBAN but does not check out.`);
    }
  }

  // --- dossier
  if (options.dossierEnterpriseNumber) {
    const d = parseEnterpriseNumber(options.dossierEnterpriseNumber);
    if (d.ok) {
      const seller = doc.seller.enterpriseNumber;
      const buyer = doc.buyer.enterpriseNumber;
      const matches =
        options.direction === 'sales' ? seller === d.value : options.direction === 'purchase' ? buyer === d.value : seller === d.value || buyer === d.value;
      if (!matches) {
        const parties =
          options.direction === 'sales'
            ? `the seller's enterprise number is ${seller ?? 'absent'}`
            : options.direction === 'purchase'
              ? `the buyer's enterprise number is ${buyer ?? 'absent'}`
              : `seller ${seller ?? 'without enterprise number'}, buyer ${buyer ?? 'without enterprise number'}`;
        err('not-addressed-to-dossier', `This file is not addressed to this dossier (${d.value}): ${parties}.`, ['VENICE-ENTERPRISE-NUMBER']);
      }
    }
  }
  return out;
}

/**
 * EN 16931 compares sums as `round(x * 100) div 100`: to two decimals, halves toward positive infinity (XPath's
 * round), so amounts written with more decimals are compared as the rules compare them.
 */
function xround(a: Decimal): Decimal {
  const r = round(a, 2);
  // round() takes halves away from zero; XPath takes them up: -0.005 → 0.00, not -0.01.
  return compare(a, '0') < 0 && compare(sub(r, a), '-0.005') === 0 ? add(r, '0.01') : r;
}

/** Dates are xs:date in the schema; Peppol's own rule checks the format too. */
const DATE_RULES = ['XSD', 'PEPPOL-EN16931-F001'];

/** The EN 16931 rule of a VAT category for its taxable amount (`08`) or its VAT amount (`09`). */
function categoryRules(category: string, n: '08' | '09'): string[] {
  const prefix: Record<string, string> = { S: 'BR-S', Z: 'BR-Z', E: 'BR-E', AE: 'BR-AE', K: 'BR-IC', G: 'BR-G', O: 'BR-O', L: 'BR-AF', M: 'BR-AG' };
  return prefix[category] ? [`${prefix[category]}-${n}`] : ['BR-CO-17'];
}

const KNOWN_PREFIXES = [
  CUSTOMIZATION.peppolBis3, // BIS 3.0 and national extensions (…#conformant#urn:fdc:anskaffelser.no…)
  'urn:cen.eu:en16931:2017#conformant#urn:UBL.BE',
  'urn:www.cenbii.eu:transaction:biitrns010:ver2.0', // BIS 2 invoice
  'urn:www.cenbii.eu:transaction:biitrns014:ver2.0', // BIS 2 credit note
];

export function isKnownCustomization(id: string): boolean {
  const s = id.trim();
  return s === CUSTOMIZATION.efff || /e-?fff/i.test(s) || KNOWN_PREFIXES.some((p) => s.startsWith(p));
}

/** The Belgian enterprise number an identifier names, when it names one that checks out. */
function enterpriseOf(id: { id: string; scheme?: string } | undefined, kind: 'endpoint' | 'legal'): string | null {
  if (!id) return null;
  const scheme = id.scheme?.toUpperCase();
  if (scheme === '0208' || scheme === '9956' || (kind === 'legal' && scheme === undefined && /^\s*BE/i.test(id.id))) {
    const r = parseEnterpriseNumber(id.id);
    return r.ok ? r.value : null;
  }
  if (scheme === '9925') {
    const r = parseVat(id.id, { belgianOnly: true });
    return r.ok ? r.value.number : null;
  }
  return null;
}

function identifierMismatch(p: UblParty, role: 'seller' | 'buyer', out: Finding[]) {
  const named: Array<[string, string]> = [];
  const endpoint = enterpriseOf(p.endpoint, 'endpoint');
  if (endpoint) named.push([`endpoint ${p.endpoint!.scheme}:${p.endpoint!.id.trim()}`, endpoint]);
  const legal = enterpriseOf(p.legalId, 'legal');
  if (legal) named.push([`legal identifier ${p.legalId!.scheme ? `${p.legalId!.scheme}:` : ''}${p.legalId!.id.trim()}`, legal]);
  if (p.vatNumber && /^BE/i.test(p.vatNumber)) {
    const v = parseVat(p.vatNumber, { belgianOnly: true });
    if (v.ok) named.push([`VAT number ${p.vatNumber}`, v.value.number]);
  }
  const distinct = [...new Set(named.map(([, n]) => n))];
  if (distinct.length > 1) {
    out.push({
      severity: 'warning',
      code: 'identifier-mismatch',
      message: `The ${role}'s ${named.map(([what, n]) => `${what} (enterprise ${n})`).join(', ')} name different enterprises: Venice files a document by enterprise number.`,
    });
  }
}

function partyChecks(p: UblParty, role: 'seller' | 'buyer', bg: string, out: Finding[]) {
  identifierMismatch(p, role, out);
  if (!p.name && !p.registrationName) out.push({ severity: 'error', code: 'missing-element', message: `Missing the ${role}'s name (${bg}).`, rules: [role === 'seller' ? 'BR-06' : 'BR-07'] });
  if (!p.address?.country) {
    out.push({ severity: 'error', code: 'missing-element', message: `Missing the ${role}'s country (${role === 'seller' ? 'BT-40' : 'BT-55'}).`, rules: role === 'seller' ? ['BR-09', 'BR-08'] : ['BR-11', 'BR-10'] });
  }
  // An identifier with Peppol's Belgian scheme 0208 that does not check out is an error of Peppol's own
  // (PEPPOL-COMMON-R043); a Belgian number written elsewhere (a VAT number) is not checked by the official
  // rules, so it is a warning here: Venice's routing by enterprise number is what it may upset.
  const bad0208 = [p.endpoint, p.legalId, ...p.identifiers].find((id) => id?.scheme === '0208' && !parseEnterpriseNumber(id.id).ok);
  if (bad0208) {
    out.push({
      severity: 'error',
      code: 'enterprise-number-invalid',
      message: `The ${role}'s Belgian enterprise number ${bad0208.id.trim()} (scheme 0208) is not valid (check digits or format).`,
      rules: ['PEPPOL-COMMON-R043'],
    });
  } else if (p.enterpriseNumberInvalid !== undefined) {
    out.push({ severity: 'warning', code: 'enterprise-number-invalid', message: `The ${role}'s Belgian enterprise/VAT number ${p.enterpriseNumberInvalid} is not valid (check digits or format).` });
  }
  if (p.vatNumber && /^BE/i.test(p.vatNumber)) {
    const v = parseVat(p.vatNumber, { belgianOnly: true });
    if (!v.ok) out.push({ severity: 'warning', code: 'vat-invalid', message: `The ${role}'s VAT number ${p.vatNumber} is not a valid Belgian VAT number (${v.reason}).` });
  }
}

function isIsoDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
}

function sameRate(a: Decimal | undefined, b: Decimal | undefined): boolean {
  const x = a !== undefined && isDecimal(a) ? a : '0';
  const y = b !== undefined && isDecimal(b) ? b : '0';
  return compare(x, y) === 0;
}

function allDecimal(acs: UblAllowanceCharge[]): boolean {
  return acs.every((a) => isDecimal(a.amount));
}

/** Σ charges − Σ allowances. */
function netAllowanceCharges(acs: UblAllowanceCharge[]): Decimal {
  let v: Decimal = '0';
  for (const a of acs) if (isDecimal(a.amount)) v = a.isCharge ? add(v, a.amount) : sub(v, a.amount);
  return v;
}
