/**
 * Property and security tests for UBL: generated invoices and credit notes round-trip through writeUbl and
 * parseUbl and validate clean; random bytes and mutations never throw; entity bombs, external entities and
 * oversized, over-deep or attribute-stuffed documents are refused; namespaces are resolved by URI.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeEnterpriseNumber, makeStructuredCommunication, formatStructuredCommunication, ibanFromBelgianBban } from '../../../shared/belgian';
import {
  CUSTOMIZATION,
  NS,
  PEPPOL_BILLING_PROFILE,
  decimal,
  encodeBase64,
  decodeBase64,
  parseUbl,
  validateUbl,
  writeUbl,
  type UblAllowanceCharge,
  type UblDocument,
  type UblLine,
  type UblParty,
  type UblVatSubtotal,
} from '../../../shared/ubl';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/ubl/peppol-bis3');
const fixtureTexts = fs.readdirSync(FIXTURES).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
const BASE = fixtureTexts[fs.readdirSync(FIXTURES).indexOf('base-example.xml')]!;

// --- generators -------------------------------------------------------------------------------------

/** Text XML keeps exactly: no surrounding whitespace (values are trimmed), markup characters included. */
const CHARS = [...'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,-/&<>"\'éèçüßœ€ł日本😀'];
const text = (max: number, min = 1) =>
  fc
    .array(fc.constantFrom(...CHARS), { minLength: min, maxLength: max })
    .map((cs) => cs.join('').trim())
    .filter((s) => s.length >= min);
const isoDate = fc.date({ min: new Date(Date.UTC(2000, 0, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10));
const cents = (min: number, max: number) => fc.integer({ min, max }).map((c) => decimal.fromMinorUnits(c));
const enterprise = fc.integer({ min: 0, max: 19_999_999 }).map(makeEnterpriseNumber);
const iban = fc.integer({ min: 0, max: 9_999_999_999 }).map((n) => {
  const check = n % 97 === 0 ? 97 : n % 97;
  return ibanFromBelgianBban(String(n).padStart(10, '0') + String(check).padStart(2, '0'))!;
});

const party: fc.Arbitrary<UblParty> = fc
  .record({ ent: enterprise, name: text(40), registrationName: text(40), street: text(30), city: text(20), postalCode: fc.integer({ min: 1000, max: 9999 }).map(String), email: fc.option(text(20), { nil: undefined }) })
  .map((p) => {
    const out: UblParty = {
      name: p.name,
      registrationName: p.registrationName,
      vatNumber: 'BE' + p.ent,
      legalId: { id: p.ent, scheme: '0208' },
      enterpriseNumber: p.ent,
      endpoint: { id: p.ent, scheme: '0208' },
      identifiers: [{ id: p.ent, scheme: '0208' }],
      address: { street: p.street, city: p.city, postalCode: p.postalCode, country: 'BE' },
    };
    if (p.email) out.contact = { email: p.email };
    return out;
  });

const RATES = [
  ['S', '21'],
  ['S', '6'],
  ['S', '12'],
  ['Z', '0'],
] as const;

const line = (id: number): fc.Arbitrary<UblLine> =>
  fc
    .record({
      qty: fc.integer({ min: -5, max: 100 }).filter((q) => q !== 0),
      price: cents(0, 1_000_000),
      rate: fc.constantFrom(...RATES),
      name: text(40),
      description: fc.option(text(60), { nil: undefined }),
      allowance: fc.option(cents(1, 5_000), { nil: undefined }),
      unitCode: fc.constantFrom('C62', 'HUR', 'DAY'),
    })
    .map((l) => {
      const allowanceCharges: UblAllowanceCharge[] = l.allowance ? [{ isCharge: false, amount: l.allowance, reason: 'Discount' }] : [];
      const gross = decimal.mul(String(l.qty), l.price);
      const out: UblLine = {
        id: String(id),
        quantity: String(l.qty),
        unitCode: l.unitCode,
        lineExtensionAmount: decimal.round(l.allowance ? decimal.sub(gross, l.allowance) : gross, 2),
        name: l.name,
        price: l.price,
        vatCategory: l.rate[0],
        vatRate: l.rate[1],
        allowanceCharges,
      };
      if (l.description) out.description = l.description;
      return out;
    });

const invoice: fc.Arbitrary<UblDocument> = fc
  .record({
    kind: fc.constantFrom('invoice' as const, 'credit-note' as const),
    number: text(20),
    issueDate: isoDate,
    dueDate: fc.option(isoDate, { nil: undefined }),
    note: fc.option(text(100), { nil: undefined }),
    seller: party,
    buyer: party,
    nLines: fc.integer({ min: 1, max: 6 }),
    charge: fc.option(fc.tuple(cents(1, 10_000), fc.constantFrom(...RATES)), { nil: undefined }),
    prepaid: fc.option(cents(1, 1_000), { nil: undefined }),
    ogm: fc.integer({ min: 0, max: 9_999_999_999 }).map(makeStructuredCommunication),
    iban,
    order: fc.option(text(15), { nil: undefined }),
    credited: fc.option(text(15), { nil: undefined }),
    pdf: fc.option(fc.uint8Array({ minLength: 0, maxLength: 3000 }), { nil: undefined }),
  })
  .chain((h) => fc.tuple(fc.constant(h), fc.tuple(...Array.from({ length: h.nLines }, (_, i) => line(i + 1)))))
  .map(([h, lines]) => {
    const allowanceCharges: UblAllowanceCharge[] = h.charge ? [{ isCharge: true, amount: h.charge[0], reason: 'Transport', vatCategory: h.charge[1][0], vatRate: h.charge[1][1] }] : [];
    const keys = new Map<string, { category: string; rate: string; amounts: string[] }>();
    for (const [cat, rate, amt] of [...lines.map((l) => [l.vatCategory, l.vatRate!, l.lineExtensionAmount] as const), ...allowanceCharges.map((a) => [a.vatCategory!, a.vatRate!, a.amount] as const)]) {
      const k = `${cat}/${rate}`;
      if (!keys.has(k)) keys.set(k, { category: cat, rate, amounts: [] });
      keys.get(k)!.amounts.push(amt);
    }
    const vatBreakdown: UblVatSubtotal[] = [...keys.values()].map((g) => {
      const taxable = decimal.round(decimal.sum(g.amounts), 2);
      return { category: g.category, rate: g.rate, taxableAmount: taxable, taxAmount: decimal.round(decimal.div(decimal.mul(taxable, g.rate), '100', 4)!, 2) };
    });
    const lineExtension = decimal.round(decimal.sum(lines.map((l) => l.lineExtensionAmount)), 2);
    const chargeTotal = h.charge ? h.charge[0] : undefined;
    const taxExclusive = decimal.round(chargeTotal ? decimal.add(lineExtension, chargeTotal) : lineExtension, 2);
    const vatTotal = decimal.round(decimal.sum(vatBreakdown.map((s) => s.taxAmount)), 2);
    const taxInclusive = decimal.add(taxExclusive, vatTotal);
    const doc: UblDocument = {
      kind: h.kind,
      customizationId: CUSTOMIZATION.peppolBis3,
      profileId: PEPPOL_BILLING_PROFILE,
      number: h.number,
      issueDate: h.issueDate,
      typeCode: h.kind === 'credit-note' ? '381' : '380',
      notes: h.note ? [h.note] : [],
      currency: 'EUR',
      seller: h.seller,
      buyer: h.buyer,
      references: { invoices: h.credited ? [{ id: h.credited }] : [], ...(h.order ? { order: h.order } : {}) },
      attachments: h.pdf ? [{ id: 'INV-PDF', filename: `${h.number.replace(/[^\w]/g, '_')}.pdf`, mimeType: 'application/pdf', content: h.pdf }] : [],
      paymentMeans: [{ code: '30', paymentId: formatStructuredCommunication(h.ogm), structuredCommunication: h.ogm, account: h.iban, bic: 'GEBABEBB' }],
      allowanceCharges,
      vatBreakdown,
      totals: {
        lineExtension,
        taxExclusive,
        taxInclusive,
        payable: h.prepaid ? decimal.sub(taxInclusive, h.prepaid) : taxInclusive,
        vatTotal,
        ...(chargeTotal ? { chargeTotal } : {}),
        ...(h.prepaid ? { prepaid: h.prepaid } : {}),
      },
      lines,
    };
    if (h.dueDate) doc.dueDate = h.dueDate;
    return doc;
  });

// --- round trip -------------------------------------------------------------------------------------

describe('UBL writer → parser round trip', () => {
  it('parses back what it wrote (bytes, UTF-8), validating clean, with the PDF bytes intact', () => {
    fc.assert(
      fc.property(invoice, (doc) => {
        expect(validateUbl(doc)).toEqual([]);
        const xml = writeUbl(doc);
        const r = parseUbl(new TextEncoder().encode(xml));
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value).toEqual(doc);
        expect(validateUbl(r.value)).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('writes the Peppol BIS 3.0 identifiers and element names', () => {
    const doc = fc.sample(invoice, { numRuns: 1, seed: 3 })[0]!;
    const inv = writeUbl({ ...doc, kind: 'invoice', typeCode: '380' });
    expect(inv).toContain(`<Invoice xmlns="${NS.invoice}"`);
    expect(inv).toContain(`<cbc:CustomizationID>${CUSTOMIZATION.peppolBis3}</cbc:CustomizationID>`);
    expect(inv).toContain(`<cbc:ProfileID>${PEPPOL_BILLING_PROFILE}</cbc:ProfileID>`);
    expect(inv).toContain(`<cbc:EndpointID schemeID="0208">${doc.seller.enterpriseNumber}</cbc:EndpointID>`);
    const cn = writeUbl({ ...doc, kind: 'credit-note', typeCode: '381', dueDate: '2030-01-31' });
    expect(cn).toContain(`<CreditNote xmlns="${NS.creditNote}"`);
    expect(cn).toContain('<cbc:CreditNoteTypeCode>381</cbc:CreditNoteTypeCode>');
    expect(cn).toContain('<cbc:PaymentDueDate>2030-01-31</cbc:PaymentDueDate>');
    expect(cn).not.toContain('<cbc:DueDate>');
  });
});

// --- robustness -------------------------------------------------------------------------------------

function noThrow(input: string | Uint8Array) {
  const r = parseUbl(input);
  if (r.ok) expect(Array.isArray(validateUbl(r.value))).toBe(true);
  else expect(r.error.code).not.toBe('internal');
}

describe('UBL parser robustness', () => {
  it('random bytes and random text give a parse or a typed failure', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), noThrow), { numRuns: 300 });
    fc.assert(fc.property(fc.string({ maxLength: 500 }).map((s) => '<' + s), noThrow), { numRuns: 300 });
  });

  it('mutated fixtures never throw', () => {
    const TOKENS = ['<', '>', '</', '/>', '&', '&amp;', '&#0;', '&#xFFFFFF;', '"', '<!--', ']]>', '<![CDATA[', 'xmlns:cbc="x"', 'xmlns="y"', ' ', '\u0000', '<cbc:ID>', '</cac:Party>'];
    const mutation = fc.record({
      file: fc.integer({ min: 0, max: fixtureTexts.length - 1 }),
      edits: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 2 }), fc.constantFrom(...TOKENS), fc.integer({ min: 1, max: 40 })), { maxLength: 8 }),
      cut: fc.option(fc.nat()),
    });
    fc.assert(
      fc.property(mutation, ({ file, edits, cut }) => {
        let s = fixtureTexts[file]!;
        for (const [pos, kind, token, len] of edits) {
          const at = pos % (s.length + 1);
          if (kind === 0) s = s.slice(0, at) + token + s.slice(at);
          else if (kind === 1) s = s.slice(0, at) + s.slice(at + len);
          else s = s.slice(0, at) + token + s.slice(at + len);
        }
        if (cut !== null) s = s.slice(0, cut % (s.length + 1));
        noThrow(s);
        noThrow(new TextEncoder().encode(s));
      }),
      { numRuns: 500 },
    );
  });

  it('a truncated file is refused, not read as a partial invoice', () => {
    const r = parseUbl(BASE.slice(0, BASE.indexOf('<cac:InvoiceLine>')));
    expect(r).toEqual({ ok: false, error: { code: 'not-xml', message: expect.stringContaining('incomplete') } });
  });
});

describe('XML security', () => {
  it('refuses an entity bomb (billion laughs) before parsing', () => {
    const bomb = `<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<Invoice xmlns="${NS.invoice}" xmlns:cbc="${NS.cbc}"><cbc:ID>&lol9;</cbc:ID></Invoice>`;
    const started = performance.now();
    const r = parseUbl(bomb);
    expect(r).toEqual({ ok: false, error: { code: 'doctype-refused', message: expect.stringContaining('DTD') } });
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses an external entity (XXE)', () => {
    const xxe = `<?xml version="1.0"?>
<!DOCTYPE foo [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<Invoice xmlns="${NS.invoice}" xmlns:cbc="${NS.cbc}"><cbc:ID>&xxe;</cbc:ID></Invoice>`;
    expect(parseUbl(xxe)).toMatchObject({ ok: false, error: { code: 'doctype-refused' } });
    expect(parseUbl(new TextEncoder().encode(xxe))).toMatchObject({ ok: false, error: { code: 'doctype-refused' } });
  });

  it('leaves an undeclared entity reference as text, decodes the predefined ones and character references', () => {
    const doc = BASE.replace('<cbc:ID>Snippet1</cbc:ID>', '<cbc:ID>&xxe; A&amp;B &lt;x&gt; &#233;&#x20AC;</cbc:ID>');
    const r = parseUbl(doc);
    expect(r.ok && r.value.number).toBe('&xxe; A&B <x> é€');
  });

  it('enforces size, depth and attribute limits', () => {
    expect(parseUbl(BASE, { maxBytes: 1000 })).toMatchObject({ ok: false, error: { code: 'too-large' } });
    const deep = `<Invoice xmlns="${NS.invoice}">${'<a>'.repeat(200)}${'</a>'.repeat(200)}</Invoice>`;
    expect(parseUbl(deep)).toMatchObject({ ok: false, error: { code: 'limit-exceeded' } });
    const attrs = Array.from({ length: 100 }, (_, i) => `a${i}="1"`).join(' ');
    expect(parseUbl(BASE.replace('<cbc:ID>Snippet1</cbc:ID>', `<cbc:ID ${attrs}>Snippet1</cbc:ID>`))).toMatchObject({ ok: false, error: { code: 'limit-exceeded' } });
    expect(parseUbl(BASE).ok).toBe(true);
  });
});

describe('namespaces are resolved by URI, not by prefix', () => {
  const expected = parseUbl(BASE);
  it('reads the same invoice written with other prefixes or a default namespace', () => {
    const renamed = BASE.replace(/xmlns:cbc=/, 'xmlns:b=').replace(/xmlns:cac=/, 'xmlns:a=').replace(/<(\/?)cbc:/g, '<$1b:').replace(/<(\/?)cac:/g, '<$1a:');
    expect(parseUbl(renamed)).toEqual(expected);
    const prefixedRoot = BASE.replace(`xmlns="${NS.invoice}"`, `xmlns:inv="${NS.invoice}"`).replace('<Invoice ', '<inv:Invoice ').replace('</Invoice>', '</inv:Invoice>');
    expect(parseUbl(prefixedRoot)).toEqual(expected);
    // cbc elements declared as a default namespace on their own element
    const local = BASE.replace('<cbc:ID>Snippet1</cbc:ID>', `<ID xmlns="${NS.cbc}">Snippet1</ID>`);
    expect(parseUbl(local)).toEqual(expected);
  });

  it('does not take an element for UBL because of its prefix alone', () => {
    const decoy = BASE.replace('<cbc:ID>Snippet1</cbc:ID>', '<cbc:ID xmlns:cbc="urn:example:not-ubl">Snippet1</cbc:ID>');
    const r = parseUbl(decoy);
    expect(r.ok && r.value.number).toBe('');
    const wrongRoot = BASE.replace(`xmlns="${NS.invoice}"`, 'xmlns="urn:example:other"');
    expect(parseUbl(wrongRoot)).toMatchObject({ ok: false, error: { code: 'not-ubl' } });
  });

  it('reads an invoice wrapped in a Standard Business Document header', () => {
    const body = BASE.replace(/^<\?xml[^>]*>\s*/, '');
    const sbd = `<?xml version="1.0" encoding="UTF-8"?>
<StandardBusinessDocument xmlns="${NS.sbdh}">
  <StandardBusinessDocumentHeader>
    <HeaderVersion>1.0</HeaderVersion>
    <Sender><Identifier Authority="iso6523-actorid-upis">0208:0427604308</Identifier></Sender>
    <Receiver><Identifier Authority="iso6523-actorid-upis">0208:0123456749</Identifier></Receiver>
  </StandardBusinessDocumentHeader>
  ${body}
</StandardBusinessDocument>`;
    expect(parseUbl(sbd)).toEqual(expected);
  });
});

describe('UBL 2.0 e-FFF', () => {
  const pdf = Uint8Array.from([0x25, 0x50, 0x44, 0x46, 0x2d, 0x31, 0x2e, 0x34, 0x0a, 0xff, 0x00]);
  const efff = `<?xml version="1.0" encoding="ISO-8859-1"?>
<Invoice xmlns="${NS.invoice}" xmlns:cac="${NS.cac}" xmlns:cbc="${NS.cbc}">
  <cbc:UBLVersionID>2.0</cbc:UBLVersionID>
  <cbc:CustomizationID>1.0</cbc:CustomizationID>
  <cbc:ProfileID>FFF.BE - Invoice 1.0</cbc:ProfileID>
  <cbc:ID>CN-2024-7</cbc:ID>
  <cbc:IssueDate>2024-03-01</cbc:IssueDate>
  <cbc:InvoiceTypeCode listURI="http://www.E-FFF.be/ubl/2.0/cl/gc/BE-InvoiceCode-1.0.gc">381</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AdditionalDocumentReference>
    <cbc:ID>CN-2024-7.pdf</cbc:ID>
    <cac:Attachment><cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="CN-2024-7.pdf">${encodeBase64(pdf)}</cbc:EmbeddedDocumentBinaryObject></cac:Attachment>
  </cac:AdditionalDocumentReference>
  <cac:AccountingSupplierParty><cac:Party>
    <cac:PartyName><cbc:Name>Bäckerei Müller</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
    <cac:PartyTaxScheme><cbc:CompanyID schemeID="BE:VAT">BE0427604308</cbc:CompanyID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:PartyTaxScheme>
  </cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party>
    <cac:PartyIdentification><cbc:ID schemeID="BE:CBE">0123456749</cbc:ID></cac:PartyIdentification>
    <cac:PartyName><cbc:Name>Klant BV</cbc:Name></cac:PartyName>
    <cac:PostalAddress><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress>
  </cac:Party></cac:AccountingCustomerParty>
  <cac:PaymentMeans>
    <cbc:PaymentMeansCode>1</cbc:PaymentMeansCode>
    <cbc:PaymentDueDate>2024-03-31</cbc:PaymentDueDate>
    <cbc:InstructionID>+++123/4567/89002+++</cbc:InstructionID>
    <cac:PayeeFinancialAccount>
      <cbc:ID schemeName="IBAN">BE68 5390 0754 7034</cbc:ID>
      <cac:FinancialInstitutionBranch><cac:FinancialInstitution><cbc:ID schemeName="BIC">GKCCBEBB</cbc:ID></cac:FinancialInstitution></cac:FinancialInstitutionBranch>
    </cac:PayeeFinancialAccount>
  </cac:PaymentMeans>
  <cac:TaxTotal>
    <cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
    <cac:TaxSubtotal>
      <cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>
      <cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
    </cac:TaxSubtotal>
  </cac:TaxTotal>
  <cac:LegalMonetaryTotal>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount>
    <cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount>
  </cac:LegalMonetaryTotal>
  <cac:InvoiceLine>
    <cbc:ID>1</cbc:ID>
    <cbc:InvoicedQuantity unitCode="NAR">4</cbc:InvoicedQuantity>
    <cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:TaxTotal>
      <cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
      <cac:TaxSubtotal>
        <cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount>
        <cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
        <cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory>
      </cac:TaxSubtotal>
    </cac:TaxTotal>
    <cac:Item><cbc:Name>Croissant</cbc:Name></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">25.00</cbc:PriceAmount></cac:Price>
  </cac:InvoiceLine>
</Invoice>`;

  it('reads an Invoice with type 381 as a credit note, in ISO-8859-1, with its PDF and payment data', () => {
    const latin1 = Uint8Array.from(efff, (c) => c.charCodeAt(0));
    const r = parseUbl(latin1);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const d = r.value;
    expect(d).toMatchObject({ kind: 'credit-note', ublVersion: '2.0', customizationId: '1.0', number: 'CN-2024-7', dueDate: '2024-03-31', typeCode: '381' });
    expect(d.seller).toMatchObject({ name: 'Bäckerei Müller', vatNumber: 'BE0427604308', enterpriseNumber: '0427604308' });
    expect(d.buyer.enterpriseNumber).toBe('0123456749');
    expect(d.paymentMeans).toEqual([{ code: '1', paymentId: '+++123/4567/89002+++', structuredCommunication: '123456789002', account: 'BE68539007547034', bic: 'GKCCBEBB' }]);
    expect(d.attachments).toEqual([{ id: 'CN-2024-7.pdf', filename: 'CN-2024-7.pdf', mimeType: 'application/pdf', content: pdf }]);
    expect(d.lines[0]).toMatchObject({ vatCategory: 'S', vatRate: '21', quantity: '4', price: '25.00' });
    expect(validateUbl(d, { dossierEnterpriseNumber: '0123.456.749', direction: 'purchase' })).toEqual([]);
  });
});

it('base64 survives any bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
      const b64 = encodeBase64(bytes);
      expect(b64).toBe(Buffer.from(bytes).toString('base64'));
      expect(decodeBase64(b64.replace(/(.{76})/g, '$1\n'))).toEqual(bytes);
    }),
  );
  expect(decodeBase64('not base64!')).toBeNull();
});

it('decimal arithmetic is exact', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), fc.bigInt({ min: -(10n ** 20n), max: 10n ** 20n }), (a, b) => {
      const x = decimal.fromMinorUnits(a, 3);
      const y = decimal.fromMinorUnits(b, 2);
      expect(decimal.toMinorUnits(decimal.add(x, y), 3)).toBe(a + b * 10n);
      expect(decimal.toMinorUnits(decimal.sub(x, y), 3)).toBe(a - b * 10n);
      expect(decimal.toMinorUnits(decimal.mul(x, y), 5)).toBe(a * b);
    }),
  );
  expect(decimal.round('2.345', 2)).toBe('2.35');
  expect(decimal.round('-2.345', 2)).toBe('-2.35');
  expect(decimal.add('0.1', '0.2')).toBe('0.3');
  expect(decimal.normalizeDecimal('+.5')).toBe('0.5');
  expect(decimal.normalizeDecimal('1e3')).toBeNull();
});
