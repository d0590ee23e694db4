import { describe, expect, it } from 'vitest';
import { joinStreet, mapLanguage, splitStreet, toDossier, toRelation } from '../../../electron/core/venice/fields';
import { envelopeRecords, relationFields } from '../../../electron/core/venice/schemas';

describe('Venice street lines', () => {
  it.each([
    ['Kerkstraat 12', 'Kerkstraat', '12', null],
    ['Kerkstraat 12A', 'Kerkstraat', '12A', null],
    ['Kerkstraat 12 bus 3', 'Kerkstraat', '12', '3'],
    ['Rue de la Gare 5 bte 2', 'Rue de la Gare', '5', '2'],
    ['Rue du 11 Novembre 5/2', 'Rue du 11 Novembre', '5', '2'],
    ['Avenue Louise 149, boîte 24', 'Avenue Louise', '149', '24'],
    ['Steenweg op Gent 10-12', 'Steenweg op Gent', '10-12', null],
    ['Grote Markt', 'Grote Markt', '', null],
  ])('splits %s', (line, street, number, box) => {
    expect(splitStreet(line)).toEqual({ street, streetNumber: number, box });
  });

  it('joins what it splits', () => {
    expect(joinStreet({ street: 'Kerkstraat', streetNumber: '12', box: '3' })).toBe('Kerkstraat 12 bus 3');
    expect(splitStreet(joinStreet({ street: 'Rue Haute', streetNumber: '7', box: null }))).toEqual({ street: 'Rue Haute', streetNumber: '7', box: null });
  });
});

describe('Venice records to app types', () => {
  it('maps languages in the spellings Venice may use', () => {
    expect(['N', 'nl', 'Dutch', 'F', 'fr', 'E', 'D', 'x', ''].map((l) => mapLanguage(l))).toEqual(['nl', 'nl', 'nl', 'fr', 'fr', 'en', 'de', null, null]);
  });

  it('normalizes a relation from REST strings', () => {
    const r = toRelation('supplier', {
      SystemNumber: '31',
      Number: '7',
      SubNumber: '0',
      Name: ' Bakkerij Peeters BV ',
      LegalForm: 'BV',
      VatNum: 'BE 0427.604.308',
      Street: 'Kerkstraat 12 bus 3',
      PostalCode: '9000',
      City: 'Gent',
      CountryCode: 'be',
      Email: 'info@peeters.be',
      Phone: '',
      Language: 'N',
      Iban: 'BE68 5390 0754 7034',
      Bic: 'bbrubebb',
      Contact: '',
      SyncReference: '',
    });
    expect(r).toEqual({
      kind: 'supplier',
      systemNumber: 31,
      number: 7,
      subNumber: 0,
      name: 'Bakkerij Peeters BV',
      legalForm: 'BV',
      vatNumber: 'BE0427604308',
      enterpriseNumber: '0427604308',
      address: { street: 'Kerkstraat', streetNumber: '12', box: '3', zipcode: '9000', city: 'Gent', countryCode: 'BE' },
      email: 'info@peeters.be',
      phone: null,
      iban: 'BE68539007547034',
      bic: 'BBRUBEBB',
      language: 'nl',
      contact: null,
      syncReference: null,
    });
  });

  it('keeps typed OData values and flags a VAT number that does not check out', () => {
    const r = toRelation('customer', { SystemNumber: 4, Number: 4, SubNumber: 0, Name: 'X', VatNum: 'BE0427604309', Email: 'no-at-sign' });
    expect(r.systemNumber).toBe(4);
    expect(r.vatNumber).toBeNull();
    expect(r.enterpriseNumber).toBeNull();
    expect(r.vatNumberInvalid).toBe('BE0427604309');
    expect(r.email).toBeNull();
    expect(r.address).toBeNull();
  });

  it('accepts foreign VAT numbers without an enterprise number', () => {
    const r = toRelation('supplier', { SystemNumber: '1', Name: 'Bol BV', VatNum: 'NL123456789B01' });
    expect(r.vatNumber).toBe('NL123456789B01');
    expect(r.enterpriseNumber).toBeNull();
  });

  it('reads a dossier and its WebConnect flag', () => {
    const d = toDossier({ DossierId: 'ACME001', Name: 'Acme NV', VatNum: '0427.604.308', Email: '', Language: 'F', WebConnect: 'false' });
    expect(d).toMatchObject({ veniceId: 'ACME001', name: 'Acme NV', enterpriseNumber: '0427604308', email: null, language: 'fr', webConnect: false });
  });

  it('reads the objects of a Response envelope, whatever the case of its nodes, and refuses one out of shape', () => {
    const where = { service: 'venice' as const, operation: 'read' };
    const read = (body: unknown) => envelopeRecords(body, 'Customer', relationFields, where);
    expect(read({ Response: { customers: { Customer: { Fields: { SystemNumber: '1', Name: 'One' } } } } })).toEqual([{ SystemNumber: '1', Name: 'One' }]);
    expect(read({ Response: { Customers: { Customer: [{ Fields: { SystemNumber: 1, Name: 'A' } }, { Fields: { SystemNumber: 2, Name: 'B' } }] } } })).toHaveLength(2);
    expect(read({ Response: {} })).toEqual([]);
    expect(() => read({ error: { code: '', message: 'x' } })).toThrow(/at Response /);
    expect(() => read({ Response: { Customers: { Customer: [{ Fields: { Name: 'No key' } }] } } })).toThrow(/Customers\.Customer\[0\]\.Fields\.SystemNumber/);
    expect(() => read({ Response: { Customers: { Customer: [{ Fields: { SystemNumber: 3, Name: { Text: 'nested' } } }] } } })).toThrow(/Fields\.Name/);
  });
});
