import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  enterpriseDigits,
  formatEnterpriseNumber,
  formatIban,
  formatStructuredCommunication,
  formatVat,
  ibanFromBelgianBban,
  isValidBic,
  isValidEnterpriseNumber,
  isValidIban,
  makeEnterpriseNumber,
  makeStructuredCommunication,
  normalizeBic,
  normalizeIban,
  parseEnterpriseNumber,
  parseIban,
  parseStructuredCommunication,
  parseVat,
} from '../../../shared/belgian';

describe('enterprise number', () => {
  // 0427.604.308 is Exact C-Logic NV (Venice's vendor) as printed in the WebConnect documentation.
  it.each(['0427.604.308', '0427604308', 'BE0427604308', 'BE 0427.604.308', 'be0427604308', '0208:0427604308', '9925:BE0427604308', '427.604.308'])(
    'accepts %s',
    (input) => {
      expect(parseEnterpriseNumber(input)).toEqual({ ok: true, value: '0427604308' });
    },
  );

  it('refuses wrong check digits, wrong length, a first digit other than 0 or 1, and empty input', () => {
    expect(parseEnterpriseNumber('0427.604.309')).toEqual({ ok: false, reason: 'check-digits' });
    expect(parseEnterpriseNumber('04276043')).toEqual({ ok: false, reason: 'format' });
    expect(parseEnterpriseNumber('2427604308')).toEqual({ ok: false, reason: 'first-digit' });
    expect(parseEnterpriseNumber('04276O4308')).toEqual({ ok: false, reason: 'format' });
    expect(parseEnterpriseNumber('  ')).toEqual({ ok: false, reason: 'empty' });
    expect(isValidEnterpriseNumber('0123456789')).toBe(false);
  });

  it('reads enterprise numbers in any notation', () => {
    expect(enterpriseDigits('BE0417.497.106')).toBe('0417497106');
    expect(enterpriseDigits('417497106')).toBe('0417497106');
  });

  it('formats as 0123.456.789', () => {
    expect(formatEnterpriseNumber('0427604308')).toBe('0427.604.308');
    expect(formatEnterpriseNumber('BE0427604308')).toBe('0427.604.308');
    expect(formatEnterpriseNumber('nonsense')).toBe('nonsense');
  });

  it('makes valid numbers from 8 base digits (check = 97 − base mod 97)', () => {
    expect(makeEnterpriseNumber('04276043')).toBe('0427604308');
    expect(makeEnterpriseNumber(1234567)).toBe('0123456749');
    expect(() => makeEnterpriseNumber('2345678')).toThrow(RangeError);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 19_999_999 }), (base) => {
        const n = makeEnterpriseNumber(base);
        expect(n).toMatch(/^[01]\d{9}$/);
        expect(parseEnterpriseNumber(formatEnterpriseNumber(n))).toEqual({ ok: true, value: n });
      }),
    );
  });
});

describe('VAT number', () => {
  it('parses Belgian VAT numbers to BE + enterprise number and formats them the Venice way', () => {
    expect(parseVat('BE 0427.604.308')).toEqual({ ok: true, value: { country: 'BE', number: '0427604308', normalized: 'BE0427604308', checked: true } });
    expect(parseVat('0427604308')).toMatchObject({ ok: true, value: { normalized: 'BE0427604308' } });
    expect(parseVat('BE0427604309')).toEqual({ ok: false, reason: 'check-digits' });
    expect(formatVat('be0427604308')).toBe('BE 0427.604.308');
  });

  it('accepts other EU VAT numbers on format only, unless Belgian ones are required', () => {
    expect(parseVat('NL123456789B01')).toEqual({ ok: true, value: { country: 'NL', number: '123456789B01', normalized: 'NL123456789B01', checked: false } });
    expect(parseVat('FR12345678901', { belgianOnly: true })).toEqual({ ok: false, reason: 'country' });
    expect(parseVat('DE1')).toEqual({ ok: false, reason: 'format' });
  });
});

describe('IBAN and BIC', () => {
  it('validates, normalizes and formats IBANs', () => {
    expect(isValidIban('BE68 5390 0754 7034')).toBe(true);
    expect(normalizeIban('be68 5390 0754 7034')).toBe('BE68539007547034');
    expect(formatIban('BE68539007547034')).toBe('BE68 5390 0754 7034');
    expect(isValidIban('BE68 5390 0754 7035')).toBe(false);
    expect(parseIban('BE68539007547035')).toEqual({ ok: false, reason: 'check-digits' });
    expect(parseIban('hello')).toEqual({ ok: false, reason: 'format' });
  });

  it('converts a Belgian BBAN to its IBAN, refusing a BBAN with wrong check digits', () => {
    expect(ibanFromBelgianBban('539-0075470-34')).toBe('BE68539007547034');
    expect(ibanFromBelgianBban('539007547034')).toBe('BE68539007547034');
    expect(ibanFromBelgianBban('539007547035')).toBeNull();
  });

  it('validates BICs', () => {
    expect(isValidBic('KREDBEBB')).toBe(true);
    expect(normalizeBic('gebabebb xxx')).toBe('GEBABEBBXXX');
    expect(isValidBic('KRED')).toBe(false);
  });
});

describe('structured communication', () => {
  it.each(['+++123/4567/89002+++', '***123/4567/89002***', '123/4567/89002', '123456789002', ' +++ 123 / 4567 / 89002 +++ '])('parses %s', (s) => {
    expect(parseStructuredCommunication(s)).toEqual({ ok: true, value: '123456789002' });
  });

  it('refuses wrong check digits and malformed input', () => {
    expect(parseStructuredCommunication('+++123/4567/89003+++')).toEqual({ ok: false, reason: 'check-digits' });
    expect(parseStructuredCommunication('+++123/4567/8900+++')).toEqual({ ok: false, reason: 'format' });
    expect(parseStructuredCommunication('')).toEqual({ ok: false, reason: 'empty' });
  });

  it('writes 97 when the base is a multiple of 97', () => {
    expect(makeStructuredCommunication('0000000097')).toBe('000000009797');
    expect(makeStructuredCommunication(0)).toBe('000000000097');
    expect(parseStructuredCommunication('000000009797')).toEqual({ ok: true, value: '000000009797' });
  });

  it('formats and round-trips any base', () => {
    expect(formatStructuredCommunication('123456789002')).toBe('+++123/4567/89002+++');
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9_999_999_999 }), (base) => {
        const digits = makeStructuredCommunication(base);
        expect(parseStructuredCommunication(formatStructuredCommunication(digits))).toEqual({ ok: true, value: digits });
      }),
    );
  });
});
