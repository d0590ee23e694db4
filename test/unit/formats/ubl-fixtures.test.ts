/**
 * Every UBL fixture (../shared/fixtures/ubl, OpenPEPPOL's BIS 3.0 examples) is parsed and checked against
 * values read from the file by hand; the validator must find them consistent. Edited copies of a fixture
 * must give the right findings.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { makeEnterpriseNumber } from '../../../shared/belgian';
import { parseUbl, validateUbl, type UblDocument } from '../../../shared/ubl';

const FIXTURES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../shared/fixtures/ubl/peppol-bis3');

function text(name: string): string {
  return fs.readFileSync(path.join(FIXTURES, name), 'utf8');
}

function parse(input: string | Uint8Array): UblDocument {
  const r = parseUbl(input);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value;
}

function fixture(name: string): UblDocument {
  return parse(new Uint8Array(fs.readFileSync(path.join(FIXTURES, name))));
}

function codes(doc: UblDocument, options?: Parameters<typeof validateUbl>[1]): string[] {
  return validateUbl(doc, options).map((f) => `${f.severity[0]}:${f.code}`);
}

const BIS3 = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';
const SNIPPET_PAYMENT = { code: '30', paymentId: 'Snippet1', account: 'IBAN32423940', accountName: 'AccountName', bic: 'BIC324098' };

it('covers every fixture file', () => {
  expect(fs.readdirSync(FIXTURES).sort()).toEqual(
    [
      'Allowance-example.xml',
      'GR-base-example-TaxRepresentative.xml',
      'GR-base-example-correct.xml',
      'Norwegian-example-1.xml',
      'Vat-category-S.xml',
      'base-creditnote-correction.xml',
      'base-example.xml',
      'base-negative-inv-correction.xml',
      'sales-order-example.xml',
      'vat-category-E.xml',
      'vat-category-O.xml',
      'vat-category-Z.xml',
    ].sort(),
  );
});

describe('OpenPEPPOL BIS 3.0 examples', () => {
  it('base-example.xml', () => {
    const d = fixture('base-example.xml');
    expect(d).toMatchObject({ kind: 'invoice', customizationId: BIS3, profileId: 'urn:fdc:peppol.eu:2017:poacc:billing:01:1.0', number: 'Snippet1', issueDate: '2017-11-13', dueDate: '2017-12-01', typeCode: '380', currency: 'EUR', buyerReference: '0150abc', accountingCost: '4025:123:4343', deliveryDate: '2017-11-01' });
    expect(d.seller).toMatchObject({
      name: 'SupplierTradingName Ltd.',
      registrationName: 'SupplierOfficialName Ltd',
      vatNumber: 'GB1232434',
      legalId: { id: 'GB983294' },
      endpoint: { id: '9482348239847239874', scheme: '0088' },
      identifiers: [{ id: '99887766' }],
      address: { street: 'Main street 1', additionalStreet: 'Postbox 123', city: 'London', postalCode: 'GB 123 EW', country: 'GB' },
    });
    expect(d.seller.enterpriseNumber).toBeUndefined();
    expect(d.buyer).toMatchObject({ name: 'BuyerTradingName AS', vatNumber: 'SE4598375937', legalId: { id: '39937423947', scheme: '0183' }, endpoint: { id: 'FR23342', scheme: '0002' }, contact: { name: 'Lisa Johnson', phone: '23434234', email: 'lj@buyer.se' } });
    expect(d.paymentMeans).toEqual([SNIPPET_PAYMENT]);
    expect(d.paymentTerms).toBe('Payment within 10 days, 2% discount');
    expect(d.allowanceCharges).toEqual([{ isCharge: true, amount: '25', reason: 'Insurance', vatCategory: 'S', vatRate: '25.0' }]);
    expect(d.vatBreakdown).toEqual([{ category: 'S', rate: '25.0', taxableAmount: '1325', taxAmount: '331.25' }]);
    expect(d.totals).toEqual({ lineExtension: '1300', taxExclusive: '1325', taxInclusive: '1656.25', chargeTotal: '25', payable: '1656.25', vatTotal: '331.25' });
    expect(d.lines.map((l) => [l.id, l.quantity, l.unitCode, l.price, l.lineExtensionAmount, l.vatCategory, l.vatRate, l.name])).toEqual([
      ['1', '7', 'DAY', '400', '2800', 'S', '25.0', 'item name'],
      ['2', '-3', 'DAY', '500', '-1500', 'S', '25.0', 'item name 2'],
    ]);
    expect(d.lines[0]).toMatchObject({ description: 'Description of item', standardItemId: { id: '21382183120983', scheme: '0088' }, orderLineReference: '123', accountingCost: 'Konteringsstreng' });
    expect(codes(d)).toEqual([]);
  });

  it('base-creditnote-correction.xml', () => {
    const d = fixture('base-creditnote-correction.xml');
    expect(d).toMatchObject({ kind: 'credit-note', number: 'Snippet1', issueDate: '2017-11-13', typeCode: '381', currency: 'EUR', notes: ['Please note we have a new phone number: 22 22 22 22'] });
    expect(d.dueDate).toBeUndefined();
    expect(d.references.invoices).toEqual([{ id: 'Snippet1' }]);
    expect(d.lines.map((l) => [l.quantity, l.lineExtensionAmount])).toEqual([
      ['7', '2800'],
      ['-3', '-1500'],
    ]);
    expect(d.totals.payable).toBe('1656.25');
    expect(codes(d)).toEqual([]);
  });

  it('base-negative-inv-correction.xml', () => {
    const d = fixture('base-negative-inv-correction.xml');
    expect(d).toMatchObject({ kind: 'invoice', number: 'Correction1', typeCode: '380' });
    expect(d.references.invoices).toEqual([{ id: 'Snippet1' }]);
    expect(d.totals).toEqual({ lineExtension: '-1300', taxExclusive: '-1325', taxInclusive: '-1656.25', chargeTotal: '-25', payable: '-1656.25', vatTotal: '-331.25' });
    expect(d.lines.map((l) => l.lineExtensionAmount)).toEqual(['-2800', '1500']);
    expect(codes(d)).toEqual([]);
  });

  it('sales-order-example.xml', () => {
    const d = fixture('sales-order-example.xml');
    expect(d.references).toMatchObject({ order: 'NA', salesOrder: '123456' });
    expect(d.totals.payable).toBe('1656.25');
    expect(codes(d)).toEqual([]);
  });

  it('Allowance-example.xml: allowances, charges, prepaid, VAT in SEK', () => {
    const d = fixture('Allowance-example.xml');
    expect(d).toMatchObject({ number: 'Snippet1', currency: 'EUR', taxCurrency: 'SEK', invoicePeriod: { start: '2017-12-01', end: '2017-12-31' } });
    expect(d.references).toMatchObject({ contract: 'framework no 1', invoicedObject: 'DR35141' });
    expect(d.attachments).toEqual([{ id: 'ts12345', description: 'Technical specification', uri: 'www.techspec.no' }]);
    expect(d.allowanceCharges.map((a) => [a.isCharge, a.amount, a.reason, a.vatCategory])).toEqual([
      [true, '200', 'Cleaning', 'S'],
      [false, '200', 'Discount', 'S'],
    ]);
    expect(d.vatBreakdown.map((s) => [s.category, s.taxableAmount, s.taxAmount])).toEqual([
      ['S', '4900.0', '1225'],
      ['E', '1000.0', '0'],
    ]);
    expect(d.totals).toEqual({
      lineExtension: '5900',
      taxExclusive: '5900',
      taxInclusive: '7125',
      allowanceTotal: '200',
      chargeTotal: '200',
      prepaid: '1000',
      payable: '6125.00',
      vatTotal: '1225.00',
      vatTotalInTaxCurrency: '9324.00',
    });
    expect(d.lines.map((l) => [l.lineExtensionAmount, l.vatCategory])).toEqual([
      ['4000.00', 'S'],
      ['1000.00', 'E'],
      ['900.00', 'S'],
    ]);
    expect(codes(d)).toEqual([]);
  });

  it('Vat-category-S.xml: two standard rates', () => {
    const d = fixture('Vat-category-S.xml');
    expect(d.vatBreakdown.map((s) => [s.category, s.rate, s.taxableAmount, s.taxAmount])).toEqual([
      ['S', '25', '5000.0', '1250'],
      ['S', '15', '2000.0', '300'],
    ]);
    expect(d.totals).toMatchObject({ lineExtension: '6900', taxExclusive: '7000', taxInclusive: '8550', allowanceTotal: '100', chargeTotal: '200', payable: '8550', vatTotal: '1550.00' });
    expect(d.lines.map((l) => [l.lineExtensionAmount, l.vatRate])).toEqual([
      ['4000.00', '25.0'],
      ['2000.00', '15.0'],
      ['900.00', '25.0'],
    ]);
    expect(codes(d)).toEqual([]);
  });

  it.each([
    ['vat-category-E.xml', 'Vat-Z', 'GBP', 'E', '1200.00', { exemptionReasonCode: 'VATEX-EU-F' }],
    ['vat-category-O.xml', 'Vat-O', 'SEK', 'O', '3200.00', { exemptionReason: 'Not subject to VAT' }],
    ['vat-category-Z.xml', 'Vat-Z', 'GBP', 'Z', '1200.00', {}],
  ])('%s', (file, number, currency, category, amount, exemption) => {
    const d = fixture(file);
    expect(d).toMatchObject({ number, currency, issueDate: '2018-08-30' });
    expect(d.vatBreakdown).toHaveLength(1);
    expect(d.vatBreakdown[0]).toMatchObject({ category, taxableAmount: amount, taxAmount: '0.00', ...exemption });
    expect(d.totals).toMatchObject({ lineExtension: amount, taxExclusive: amount, taxInclusive: amount, payable: amount, vatTotal: '0.00' });
    expect(d.lines.map((l) => [l.lineExtensionAmount, l.vatCategory])).toEqual([[amount, category]]);
    expect(d.buyer.name).toBe('The Buyercompany');
    expect(d.paymentMeans).toEqual([{ code: '30', account: 'SE1212341234123412', bic: 'SEXDABCD' }]);
    // the example's "SE12…" account is 18 characters: not a valid Swedish IBAN
    expect(codes(d)).toEqual(['w:iban-invalid']);
  });

  it('Norwegian-example-1.xml: EHF, rounding, three VAT subtotals, an embedded attachment', () => {
    const d = fixture('Norwegian-example-1.xml');
    expect(d).toMatchObject({ number: 'TOSL108', issueDate: '2013-06-30', dueDate: '2013-07-20', currency: 'NOK', buyerReference: '3150bdn', notes: ['Ordered in our booth at the convention.'] });
    expect(d.references).toMatchObject({ order: '123', contract: 'Contract321' });
    expect(d.seller).toMatchObject({ name: 'Salescompany ltd.', registrationName: 'The Sellercompany ASA', vatNumber: 'NO123456785MVA', endpoint: { id: '123456785', scheme: '0192' }, legalId: { id: '123456785', scheme: '0192' } });
    expect(d.buyer).toMatchObject({ registrationName: 'Buyercompany ASA', vatNumber: 'NO987654325MVA' });
    expect(d.attachments).toHaveLength(2);
    expect(d.attachments[0]).toEqual({ id: 'Doc1', description: 'Timesheet', uri: 'http://www.suppliersite.eu/sheet001.html' });
    const doc2 = d.attachments[1]!;
    expect(doc2).toMatchObject({ id: 'Doc2', description: 'EHF specification', filename: 'Hours-spent.csv', mimeType: 'application/pdf' });
    expect(new TextDecoder().decode(doc2.content)).toBe('Test base 64 encoding');
    expect(d.vatBreakdown.map((s) => [s.category, s.rate, s.taxableAmount, s.taxAmount])).toEqual([
      ['S', '25', '1460.5', '365.13'],
      ['S', '15', '1', '0.15'],
      ['E', '0', '-25', '0'],
    ]);
    expect(d.totals).toEqual({
      lineExtension: '1436.5',
      taxExclusive: '1436.5',
      taxInclusive: '1801.78',
      allowanceTotal: '100',
      chargeTotal: '100',
      prepaid: '1000',
      rounding: '0.22',
      payable: '802.00',
      vatTotal: '365.28',
    });
    expect(d.lines.map((l) => [l.quantity, l.unitCode, l.price, l.lineExtensionAmount, l.name])).toEqual([
      ['1', 'NAR', '1273', '1273', 'Laptop computer'],
      ['-1', 'NAR', '3.96', '-3.96', 'Returned "Advanced computing" book'],
      ['2', 'NAR', '2.48', '4.96', '"Computing for dummies" book'],
      ['-1', 'NAR', '25', '-25', 'Returned IBM 5150 desktop'],
      ['250', 'MTR', '0.75', '187.5', 'Network cable'],
    ]);
    expect(d.lines[0]).toMatchObject({ note: 'Scratch on box', accountingCost: 'BookingCode001', period: { start: '2013-06-01', end: '2013-06-30' }, orderLineReference: '1', baseQuantity: '1' });
    expect(d.paymentMeans).toEqual([{ code: '31', paymentId: '0003434323213231', account: 'NO9386011117947', bic: 'DNBANOKK' }]);
    expect(codes(d)).toEqual([]);
  });

  it('GR-base-example-correct.xml', () => {
    const d = fixture('GR-base-example-correct.xml');
    expect(d.number).toBe('061828591|01/10/2020|0|1.1|0|1');
    expect(d.seller).toMatchObject({ vatNumber: 'EL0618285912', registrationName: 'SupplierOfficialName Ltd', legalId: { id: 'EL801399030' }, endpoint: { id: '801399030', scheme: '9933' } });
    expect(d.buyer).toMatchObject({ vatNumber: 'EL061828591', endpoint: { id: '061828591', scheme: '9933' } });
    expect(d.attachments.map((a) => [a.id, a.description, a.uri])).toEqual([
      ['1123', '##M.AR.K##', undefined],
      ['1123', '##INVOICE-URL##', 'http://url'],
    ]);
    expect(d.totals.payable).toBe('1656.25');
    expect(codes(d)).toEqual([]);
  });

  it('GR-base-example-TaxRepresentative.xml', () => {
    const d = fixture('GR-base-example-TaxRepresentative.xml');
    expect(d.seller.endpoint).toEqual({ id: '1238764941386', scheme: '0088' });
    expect(d.seller.vatNumber).toBeUndefined(); // the tax representative carries it
    expect(d.buyer.vatNumber).toBe('EL061828591');
    expect(d.totals).toMatchObject({ lineExtension: '1300', payable: '1656.25', vatTotal: '331.25' });
    expect(codes(d)).toEqual([]);
  });
});

describe('findings on edited copies', () => {
  const base = text('base-example.xml');

  it('totals that do not add up', () => {
    const payable = parse(base.replace('<cbc:PayableAmount currencyID="EUR">1656.25<', '<cbc:PayableAmount currencyID="EUR">1665.25<'));
    expect(codes(payable)).toEqual(['e:totals-payable']);
    const line = parse(base.replace('currencyID= "EUR">2800<', 'currencyID= "EUR">2900<'));
    expect(codes(line).sort()).toEqual(['e:line-amount', 'e:totals-line-sum', 'e:vat-category-taxable'].sort());
    const vat = parse(base.replace(/(<cac:TaxSubtotal>\s*<cbc:TaxableAmount currencyID="EUR">1325<\/cbc:TaxableAmount>\s*<cbc:TaxAmount currencyID="EUR">)331.25/, '$1331.35'));
    expect(codes(vat).sort()).toEqual(['e:totals-vat', 'e:vat-category-amount'].sort());
  });

  it('missing mandatory elements and an unknown customisation', () => {
    const d = parse(base.replace('<cbc:ID>Snippet1</cbc:ID>', '').replace(BIS3, 'urn:example:made-up'));
    expect(codes(d)).toEqual(['w:unknown-customization', 'e:missing-element']);
    const noTotals = parse(base.replace(/<cac:LegalMonetaryTotal>[\s\S]*<\/cac:LegalMonetaryTotal>/, ''));
    expect(validateUbl(noTotals).filter((f) => f.code === 'missing-element').map((f) => f.message)).toEqual([
      'Missing cbc:LineExtensionAmount (BT-106).',
      'Missing cbc:TaxExclusiveAmount (BT-109).',
      'Missing cbc:TaxInclusiveAmount (BT-112).',
      'Missing cbc:PayableAmount (BT-115).',
    ]);
  });

  it('amounts that are not numbers', () => {
    const d = parse(base.replace('<cbc:PayableAmount currencyID="EUR">1656.25<', '<cbc:PayableAmount currencyID="EUR">1.656,25<'));
    expect(codes(d)).toContain('e:number');
  });

  it('Belgian parties: enterprise numbers by scheme 0208 / 9925, invalid ones, and the dossier check', () => {
    const seller = makeEnterpriseNumber('04276043'); // 0427604308
    const buyer = makeEnterpriseNumber('08765432');
    const belgian = base
      .replace('<cbc:EndpointID schemeID="0088">9482348239847239874</cbc:EndpointID>', `<cbc:EndpointID schemeID="0208">${seller}</cbc:EndpointID>`)
      .replace('<cbc:CompanyID>GB1232434</cbc:CompanyID>', `<cbc:CompanyID>BE${seller}</cbc:CompanyID>`)
      .replace('<cbc:EndpointID schemeID="0002">FR23342</cbc:EndpointID>', `<cbc:EndpointID schemeID="9925">BE${buyer}</cbc:EndpointID>`);
    const d = parse(belgian);
    expect(d.seller).toMatchObject({ enterpriseNumber: seller, vatNumber: `BE${seller}` });
    expect(d.buyer.enterpriseNumber).toBe(buyer);
    expect(codes(d, { dossierEnterpriseNumber: buyer })).toEqual([]);
    expect(codes(d, { dossierEnterpriseNumber: '0427.604.308', direction: 'sales' })).toEqual([]);
    expect(codes(d, { dossierEnterpriseNumber: buyer, direction: 'sales' })).toEqual(['e:not-addressed-to-dossier']);
    const stranger = makeEnterpriseNumber('01111111');
    const wrong = validateUbl(d, { dossierEnterpriseNumber: stranger });
    expect(wrong).toEqual([
      { severity: 'error', code: 'not-addressed-to-dossier', message: `This file is not addressed to this dossier (${stranger}): seller ${seller}, buyer ${buyer}.`, rules: ['VENICE-ENTERPRISE-NUMBER'] },
    ]);

    const bad = parse(belgian.replace(`schemeID="0208">${seller}`, 'schemeID="0208">0427604309'));
    expect(bad.seller.enterpriseNumberInvalid).toBe('0427604309');
    expect(codes(bad)).toEqual(['e:enterprise-number-invalid']);
    const badVat = parse(belgian.replace(`<cbc:CompanyID>BE${seller}</cbc:CompanyID>`, '<cbc:CompanyID>BE0427604307</cbc:CompanyID>'));
    // A Belgian VAT number's check digits are no official rule's business: a warning, so the pre-check never
    // reports an error the EN 16931 and Peppol rules would not (the scheme-0208 one above is Peppol's R043).
    expect(codes(badVat)).toEqual(['w:enterprise-number-invalid', 'w:vat-invalid']);
  });

  it('payment reference: a Belgian structured communication is recognised, a wrong one reported', () => {
    const good = parse(base.replace('<cbc:PaymentID>Snippet1</cbc:PaymentID>', '<cbc:PaymentID>+++123/4567/89002+++</cbc:PaymentID>'));
    expect(good.paymentMeans[0]).toMatchObject({ paymentId: '+++123/4567/89002+++', structuredCommunication: '123456789002' });
    const bad = parse(base.replace('<cbc:PaymentID>Snippet1</cbc:PaymentID>', '<cbc:PaymentID>+++123/4567/89003+++</cbc:PaymentID>'));
    expect(bad.paymentMeans[0]!.structuredCommunication).toBeUndefined();
    expect(codes(bad)).toEqual(['w:structured-communication']);
  });
});
