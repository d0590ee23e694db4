import { describe, expect, it } from 'vitest';
import {
  buildMatch,
  enterpriseKey,
  numberKey,
  parseAmount,
  paymentReferenceKey,
  structuredDigits,
} from '../../../electron/core/cache/normalize';

describe('identifier spellings the cache stores once', () => {
  it('reads enterprise numbers however they are written', () => {
    for (const spelling of ['BE 0123.456.749', 'BE0123456749', '0123.456.749', '0123 456 749', '123456749', 'be0123456749']) {
      expect(enterpriseKey(spelling)).toBe('0123456749');
    }
    expect(enterpriseKey('FR12345678901')).toBe('FR12345678901');
    expect(enterpriseKey('  ')).toBeNull();
  });

  it('reads structured communications however they are written', () => {
    for (const spelling of ['+++090/9337/55493+++', '***090/9337/55493***', '090/9337/55493', '090933755493', '+++ 090 / 9337 / 55493 +++']) {
      expect(structuredDigits(spelling)).toBe('090933755493');
    }
    expect(structuredDigits('invoice 42')).toBeNull();
    expect(paymentReferenceKey('Invoice 42 ')).toBe('Invoice 42');
  });

  it('compacts document numbers', () => {
    expect(numberKey('INV-2024/001')).toBe('inv2024001');
    expect(numberKey('Fact. Nº 12')).toBe('factno12');
  });

  it('parses amounts as people type them, exactly, in cents', () => {
    expect(parseAmount('1.234,56')).toEqual({ cents: 123456, decimals: true });
    expect(parseAmount('1,234.56')).toEqual({ cents: 123456, decimals: true });
    expect(parseAmount('1234.56')).toEqual({ cents: 123456, decimals: true });
    expect(parseAmount('1234,5')).toEqual({ cents: 123450, decimals: true });
    expect(parseAmount('€ 12')).toEqual({ cents: 1200, decimals: false });
    expect(parseAmount('-45,50')).toEqual({ cents: -4550, decimals: true });
    expect(parseAmount('0,10')).toEqual({ cents: 10, decimals: true });
    expect(parseAmount('1.234.567,89')).toEqual({ cents: 123456789, decimals: true });
    expect(parseAmount('dupont')).toBeNull();
    expect(parseAmount('1,234,56')).toBeNull();
  });
});

describe('search terms become an FTS5 expression', () => {
  it('ANDs the terms and never lets user text break the query syntax', () => {
    const expr = buildMatch('dupont "OR" NEAR(x) 1.234,56')!;
    expect(expr.split(' AND ').length).toBeGreaterThanOrEqual(3);
    expect(expr).toContain('amounts:"a123456"');
    expect(expr).not.toMatch(/NEAR\(/);
  });

  it('returns null when nothing searchable remains', () => {
    expect(buildMatch('   ')).toBeNull();
    expect(buildMatch('--- ///')).toBeNull();
  });

  it('looks for a structured communication and an enterprise number by their digits', () => {
    expect(buildMatch('+++090/9337/55493+++')).toContain('comms:"090933755493"');
    expect(buildMatch('BE0123.456.749')).toContain('numbers:"0123456749"');
  });
});

describe('prefix search through the vocabulary', () => {
  const vocabulary = ['dupont', 'dupontel', 'durand'];
  const expand = (prefix: string) => vocabulary.filter((w) => w.startsWith(prefix));

  it('turns a typed prefix of four letters or more into the exact words it may mean', () => {
    expect(buildMatch('Dupo', expand)).toBe('(numbers:"dupo" OR {names comms}:("dupont" OR "dupontel"))');
  });

  it('keeps FTS5 prefix matching for short prefixes, digits, and when the vocabulary has too many words', () => {
    expect(buildMatch('dup', expand)).toBe('{names numbers comms}:"dup"*');
    expect(buildMatch('vf2021', expand)).toBe('{names numbers comms}:"vf2021"*');
    expect(buildMatch('dupo', () => null)).toBe('{names numbers comms}:"dupo"*');
  });

  it('still matches the word itself as a number when no name starts with it', () => {
    expect(buildMatch('zzzz', expand)).toBe('numbers:"zzzz"');
  });
});

describe('as-you-type search', () => {
  it('does not expand a single trailing letter into every word that starts with it', () => {
    expect(buildMatch('van d')).toBe('{names numbers comms}:"van"* AND {names numbers comms}:"d"');
    expect(buildMatch('de-s')).toContain('{names numbers comms}:("de" + "s")');
  });
});
