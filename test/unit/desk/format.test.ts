import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDecimal, formatMoney, formatPercent, parseDate } from '../../../shared/format';

// Intl's group separators: a narrow no-break space in French, a full stop in Dutch (and Belgian English).
const nb = (s: string) => s.replace(/[\u202f\u00a0]/g, ' ');

describe('Belgian formats', () => {
  it('writes amounts as Belgium does, the euro after the amount, exact to the cent', () => {
    expect(nb(formatMoney('nl', 123456))).toBe('1.234,56 €');
    expect(nb(formatMoney('fr', 123456))).toBe('1 234,56 €');
    expect(nb(formatMoney('en', 123456))).toBe('1.234,56 €');
    expect(nb(formatMoney('nl', -5))).toBe('-0,05 €');
    expect(nb(formatMoney('nl', 1234560, 'EUR', 3))).toBe('1.234,56 €');
    expect(nb(formatMoney('nl', 9007199254740993n))).toBe('90.071.992.547.409,93 €');
    expect(nb(formatMoney('fr', 100, 'USD'))).toBe('1,00 $');
    expect(nb(formatMoney('fr', 100, 'CHF'))).toBe('1,00 CHF');
  });

  it('writes quantities, prices and rates with the decimals the file gave', () => {
    expect(formatDecimal('nl', '1234.5')).toBe('1.234,5');
    expect(nb(formatDecimal('fr', '1234.50'))).toBe('1 234,50');
    expect(formatDecimal('en', '3')).toBe('3');
    expect(formatDecimal('nl', '0.125', 2)).toBe('0,125');
    expect(formatDecimal('nl', '12', 2)).toBe('12,00');
    expect(formatDecimal('nl', 'n/a')).toBe('n/a');
    expect(nb(formatPercent('fr', '21'))).toBe('21 %');
    expect(formatPercent('nl', '6.0')).toBe('6,0%');
  });

  it('writes dates dd/mm/yyyy in every language, timestamps in Brussels time', () => {
    for (const lang of ['fr', 'nl', 'en'] as const) expect(formatDate(lang, '2026-12-07')).toBe('07/12/2026');
    // 23:30 UTC on 31 December is already New Year in Brussels.
    expect(formatDate('fr', '2026-12-31T23:30:00Z')).toBe('01/01/2027');
    expect(formatDateTime('nl', '2026-07-01T06:05:00Z')).toBe('01/07/2026 08:05');
    expect(formatDate('nl', 'not a date')).toBe('not a date');
  });

  it('reads dates as accountants type them, day first, and refuses days that do not exist', () => {
    expect(parseDate('07/12/2026')).toBe('2026-12-07');
    expect(parseDate('7/1/2026')).toBe('2026-01-07');
    expect(parseDate(' 7-1-26 ')).toBe('2026-01-07');
    expect(parseDate('29.02.2024')).toBe('2024-02-29');
    expect(parseDate('29/02/2026')).toBeNull();
    expect(parseDate('12/31/2026')).toBeNull();
    expect(parseDate('2026-12-07')).toBeNull();
    expect(parseDate('')).toBeNull();
  });
});
