/**
 * Files read as an independent reader would read them: the cases a held-out comparison found, and the
 * hostile inputs a file from outside may be (undefined entities, forbidden characters, bytes that are not the
 * UTF-8 they claim). Each is read, never refused silently: it gets a finding the accountant sees.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCoda, validateCoda } from '../../../shared/coda';
import { NS, parseUbl, validateUbl } from '../../../shared/ubl';
import { fixturesDir } from '../../support/repo';

const pycoda = (f: string) => fs.readFileSync(path.join(fixturesDir, 'coda/pycoda', f), 'latin1');
const base = fs.readFileSync(path.join(fixturesDir, 'ubl/peppol-bis3/base-example.xml'), 'utf8');

function ubl(text: string) {
  const r = parseUbl(text);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

describe('CODA 2.3: the counterparty account', () => {
  const file = pycoda('Coda_v2_3_single_statement.txt');
  const lines = file.split(/\r?\n/);
  const at = lines.findIndex((l) => l.startsWith('23'));
  const withZone = (zone: string) => [...lines.slice(0, at), lines[at]!.slice(0, 10) + zone.padEnd(37, ' ') + lines[at]!.slice(47), ...lines.slice(at + 1)].join('\r\n');
  const counterparty = (text: string) => {
    const r = parseCoda(text);
    if (!r.ok) throw new Error(r.error.message);
    // the movement the 2.3 record continues: the last one that starts before it
    const mv = r.value.statements[0]!.movements.filter((m) => m.line! <= at + 1).pop()!;
    return mv.counterparty;
  };

  it('a Belgian BBAN is 12 digits, a blank and the currency, read per the record layout', () => {
    expect(counterparty(withZone('728051142478 EUR'))).toMatchObject({ account: '728051142478', currency: 'EUR' });
    // whatever follows the currency in the zone
    expect(counterparty(withZone('728051142478 EUR BE 0000'))).toMatchObject({ account: '728051142478', currency: 'EUR' });
  });

  it('an IBAN fills 34 positions, then the currency; a zone without currency is the account alone', () => {
    expect(counterparty(withZone('BE68539007547034                  EUR'))).toMatchObject({ account: 'BE68539007547034', currency: 'EUR' });
    const bare = counterparty(withZone('310180203454'));
    expect(bare.account).toBe('310180203454');
    expect(bare.currency).toBeUndefined();
  });
});

describe('CODA: a statement repeated in one file', () => {
  it('gets an error: Venice would book its movements twice', () => {
    const once = pycoda('Coda_v2_3_single_statement.txt');
    const r = parseCoda(once.replace(/\r?\n?$/, '\r\n') + once);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.statements).toHaveLength(2);
    const repeated = validateCoda(r.value).filter((f) => f.code === 'repeated-statement');
    expect(repeated).toHaveLength(1);
    expect(repeated[0]).toMatchObject({ severity: 'error', line: r.value.statements[1]!.line });
    // One statement after the other, different numbers: nothing to say.
    const multi = parseCoda(pycoda('Coda_v2_3_multi_statements.txt'));
    expect(multi.ok && validateCoda(multi.value).some((f) => f.code === 'repeated-statement')).toBe(false);
  });
});

describe('UBL 2.0 (e-FFF): the line VAT rate in the line TaxTotal', () => {
  const efff = (subtotal: string) => `<?xml version="1.0" encoding="UTF-8"?>
<Invoice xmlns="${NS.invoice}" xmlns:cac="${NS.cac}" xmlns:cbc="${NS.cbc}">
  <cbc:UBLVersionID>2.0</cbc:UBLVersionID><cbc:CustomizationID>1.0</cbc:CustomizationID>
  <cbc:ID>F-1</cbc:ID><cbc:IssueDate>2024-03-01</cbc:IssueDate><cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>
  <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
  <cac:AccountingSupplierParty><cac:Party><cac:PartyName><cbc:Name>S</cbc:Name></cac:PartyName><cac:PostalAddress><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:Party></cac:AccountingSupplierParty>
  <cac:AccountingCustomerParty><cac:Party><cac:PartyName><cbc:Name>B</cbc:Name></cac:PartyName><cac:PostalAddress><cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country></cac:PostalAddress></cac:Party></cac:AccountingCustomerParty>
  <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>
    <cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount><cbc:Percent>21</cbc:Percent>
      <cac:TaxCategory><cbc:ID>S</cbc:ID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:TaxCategory></cac:TaxSubtotal></cac:TaxTotal>
  <cac:LegalMonetaryTotal><cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount><cbc:TaxExclusiveAmount currencyID="EUR">100.00</cbc:TaxExclusiveAmount>
    <cbc:TaxInclusiveAmount currencyID="EUR">121.00</cbc:TaxInclusiveAmount><cbc:PayableAmount currencyID="EUR">121.00</cbc:PayableAmount></cac:LegalMonetaryTotal>
  <cac:InvoiceLine><cbc:ID>1</cbc:ID><cbc:InvoicedQuantity unitCode="NAR">4</cbc:InvoicedQuantity><cbc:LineExtensionAmount currencyID="EUR">100.00</cbc:LineExtensionAmount>
    <cac:TaxTotal><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount>${subtotal}</cac:TaxTotal>
    <cac:Item><cbc:Name>Croissant</cbc:Name><cac:ClassifiedTaxCategory><cbc:ID>S</cbc:ID><cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme></cac:ClassifiedTaxCategory></cac:Item>
    <cac:Price><cbc:PriceAmount currencyID="EUR">25.00</cbc:PriceAmount></cac:Price></cac:InvoiceLine>
</Invoice>`;

  it('reads the rate from the subtotal (UBL 2.0 Percent) or its TaxCategory: no false "taxable without rate"', () => {
    for (const subtotal of [
      '<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount><cbc:Percent>21</cbc:Percent><cac:TaxCategory><cbc:ID>S</cbc:ID></cac:TaxCategory></cac:TaxSubtotal>',
      '<cac:TaxSubtotal><cbc:TaxableAmount currencyID="EUR">100.00</cbc:TaxableAmount><cbc:TaxAmount currencyID="EUR">21.00</cbc:TaxAmount><cac:TaxCategory><cbc:ID>S</cbc:ID><cbc:Percent>21</cbc:Percent></cac:TaxCategory></cac:TaxSubtotal>',
    ]) {
      const d = ubl(efff(subtotal));
      expect(d.lines[0]).toMatchObject({ vatCategory: 'S', vatRate: '21' });
      expect(validateUbl(d).filter((f) => f.severity === 'error')).toEqual([]);
    }
  });
});

describe('UBL: endpoint and legal identifier that name different enterprises', () => {
  it('gets a finding (Venice files a document by enterprise number)', () => {
    const d = ubl(
      base
        .replace('<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>', '<cbc:EndpointID schemeID="0208">0123456749</cbc:EndpointID>')
        .replace('<cbc:CompanyID>GB983294</cbc:CompanyID>', '<cbc:CompanyID>BE0000000196</cbc:CompanyID>'),
    );
    const mismatch = validateUbl(d).filter((f) => f.code === 'identifier-mismatch');
    expect(mismatch).toHaveLength(1);
    expect(mismatch[0]!.message).toContain('0123456749');
    expect(mismatch[0]!.message).toContain('0000000196');
    // The same enterprise both ways: nothing to say.
    const same = ubl(
      base
        .replace('<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>', '<cbc:EndpointID schemeID="0208">0123456749</cbc:EndpointID>')
        .replace('<cbc:CompanyID>GB983294</cbc:CompanyID>', '<cbc:CompanyID>BE0123456749</cbc:CompanyID>'),
    );
    expect(validateUbl(same).some((f) => f.code === 'identifier-mismatch')).toBe(false);
  });
});

describe('UBL: what XML parsers refuse becomes a finding', () => {
  const findings = (input: string | Uint8Array) => {
    const r = parseUbl(input);
    if (!r.ok) throw new Error(r.error.message);
    return validateUbl(r.value).filter((f) => ['xml-entity', 'xml-character', 'encoding'].includes(f.code));
  };

  it('an undefined entity (&xxe;), read as text, never expanded', () => {
    const f = findings(base.replace('<cbc:Note>Payment within 10 days, 2% discount</cbc:Note>', '<cbc:Note>&xxe;</cbc:Note>'));
    expect(f).toMatchObject([{ severity: 'error', code: 'xml-entity' }]);
    expect(f[0]!.message).toContain('&xxe;');
    expect(f[0]!.line).toBeGreaterThan(1);
  });

  it('character references to characters XML forbids (&#0;, a lone surrogate &#xD800;)', () => {
    for (const ref of ['&#0;', '&#xD800;', '&#x1;']) {
      const f = findings(base.replace('SupplierTradingName Ltd.', `Supplier${ref}`));
      expect(f.map((x) => x.code)).toEqual(['xml-character']);
      expect(f[0]!.message).toContain(ref);
    }
    // Allowed references and the five entities are not findings.
    expect(findings(base.replace('SupplierTradingName Ltd.', 'A &amp; B &#233; &#x20AC; &lt;x&gt;'))).toEqual([]);
    // Nor what a comment or a CDATA section holds.
    expect(findings(base.replace('SupplierTradingName Ltd.', '<![CDATA[&xxe; &#0;]]>').replace('<Invoice', '<!-- &foo; --><Invoice'))).toEqual([]);
  });

  it('bytes that are not valid UTF-8', () => {
    const bytes = new TextEncoder().encode(base.replace('SupplierTradingName Ltd.', 'Supplier XXX'));
    const at = Buffer.from(bytes).indexOf('XXX');
    bytes[at] = 0xe9; // a latin-1 é in a UTF-8 file
    const f = findings(bytes);
    expect(f).toMatchObject([{ severity: 'error', code: 'encoding' }]);
    expect(f[0]!.message).toContain(`offset ${at}`);
    // Declared as ISO-8859-1, the same byte is an é: no finding.
    const latin1 = Uint8Array.from(base.replace('UTF-8', 'ISO-8859-1').replace('SupplierTradingName Ltd.', 'Supplier é'), (c) => c.charCodeAt(0));
    expect(findings(latin1)).toEqual([]);
  });
});

describe('UBL: a large invoice is read a group of lines at a time', () => {
  it('gives the same document as the lines read with it', () => {
    const small = ubl(base);
    const start = base.indexOf('<cac:InvoiceLine>');
    const end = base.lastIndexOf('</cac:InvoiceLine>') + '</cac:InvoiceLine>'.length;
    const lines = base.slice(start, end);
    // ~1 MB of lines: above the size from which lines are read apart.
    const copies = Math.ceil((1024 * 1024) / lines.length);
    const big = ubl(base.slice(0, start) + Array.from({ length: copies }, () => lines).join('\n') + base.slice(end));
    expect(big.lines).toHaveLength(small.lines.length * copies);
    expect(big.lines.slice(0, small.lines.length)).toEqual(small.lines);
    expect(big.lines.slice(-small.lines.length)).toEqual(small.lines);
    const { lines: _a, ...header } = big;
    const { lines: _b, ...smallHeader } = small;
    expect(header).toEqual(smallHeader);
  });
});
