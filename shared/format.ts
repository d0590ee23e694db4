/**
 * Belgian formats, whatever the language of the screen: dates `dd/mm/yyyy` (and times in Brussels),
 * amounts `1.234,56 €` in Dutch and English, `1 234,56 €` in French. Amounts arrive as exact integers of
 * cents (or thousandths for CODA) or as decimal strings from a file, and only become a display string
 * here, never a float used for arithmetic.
 */
export type UiLanguage = 'fr' | 'nl' | 'en';

/** Numbers as Belgium writes them: en-BE groups and separates like nl-BE. */
const localeOf: Record<UiLanguage, string> = { fr: 'fr-BE', nl: 'nl-BE', en: 'en-BE' };

export function locale(language: UiLanguage): string {
  return localeOf[language];
}

const cache = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();
function memo<T extends Intl.NumberFormat | Intl.DateTimeFormat>(key: string, make: () => T): T {
  let f = cache.get(key) as T | undefined;
  if (!f) cache.set(key, (f = make()));
  return f;
}

export function formatNumber(language: UiLanguage, value: number): string {
  return memo(`n:${language}`, () => new Intl.NumberFormat(localeOf[language])).format(value);
}

/** A decimal numeral ("1234.5", "-3", "0.125") with as many decimals as it has (at least `minDecimals`). */
export function formatDecimal(language: UiLanguage, decimal: string, minDecimals = 0): string {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(decimal.trim());
  if (!m) return decimal;
  const places = Math.max(minDecimals, m[3]?.length ?? 0);
  const f = memo(`d${places}:${language}`, () => new Intl.NumberFormat(localeOf[language], { minimumFractionDigits: places, maximumFractionDigits: places }));
  // A decimal string keeps every digit exact; Intl accepts it for formatting.
  return f.format(decimal.trim() as unknown as number);
}

const symbols: Record<string, string> = { EUR: '€', USD: '$', GBP: '£' };

/**
 * `minor` is an integer count of 1/10^scale units (cents: scale 2; CODA thousandths: scale 3), shown with
 * two decimals and the currency after the amount, as Belgian invoices write it.
 */
export function formatMoney(language: UiLanguage, minor: number | bigint, currency = 'EUR', scale = 2): string {
  const big = BigInt(minor);
  const negative = big < 0n;
  const abs = negative ? -big : big;
  const unit = 10n ** BigInt(scale);
  const text = `${negative ? '-' : ''}${abs / unit}.${(abs % unit).toString().padStart(scale, '0')}`;
  const f = memo(`m:${language}`, () => new Intl.NumberFormat(localeOf[language], { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
  return `${f.format(text as unknown as number)}\u00a0${symbols[currency] ?? currency}`;
}

/** A VAT rate as a percentage: "21 %" in French, "21%" in Dutch and English. */
export function formatPercent(language: UiLanguage, decimal: string): string {
  if (decimal === '') return '';
  return `${formatDecimal(language, decimal)}${language === 'fr' ? '\u00a0' : ''}%`;
}

function brusselsParts(d: Date): Record<'day' | 'month' | 'year' | 'hour' | 'minute', string> {
  const f = memo('brussels', () =>
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Brussels',
      day: '2-digit',
      month: '2-digit',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }),
  );
  const parts = Object.fromEntries(f.formatToParts(d).map((p) => [p.type, p.value]));
  return parts as Record<'day' | 'month' | 'year' | 'hour' | 'minute', string>;
}

/** `dd/mm/yyyy` from an ISO date (`2026-12-07`) or timestamp (its day in Brussels). */
export function formatDate(_language: UiLanguage, iso: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (day) return `${day[3]}/${day[2]}/${day[1]}`;
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = brusselsParts(d);
  return `${p.day}/${p.month}/${p.year}`;
}

/** `dd/mm/yyyy hh:mm`, Brussels time. */
export function formatDateTime(_language: UiLanguage, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = brusselsParts(d);
  return `${p.day}/${p.month}/${p.year} ${p.hour}:${p.minute}`;
}

/**
 * A date as an accountant types it — `7/12/2026`, `07-12-2026`, `7.12.26` — as ISO `2026-12-07`; null when
 * it is not a real day. Two-digit years are this century.
 */
export function parseDate(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{2}|\d{4})\s*$/.exec(text);
  if (!m) return null;
  const day = Number(m[1]);
  const month = Number(m[2]);
  const year = m[3]!.length === 2 ? 2000 + Number(m[3]) : Number(m[3]);
  const d = new Date(Date.UTC(year, month - 1, day));
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day) return null;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** The OS or browser's preferred languages, mapped to the three the app speaks. */
export function pickLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'nl' || base === 'en') return base;
  }
  return 'en';
}
