/**
 * Belgian formats through Intl: "1.234,56 €" in French and Dutch, day-first dates.
 * Amounts arrive as exact integers of cents (or thousandths for CODA) and are only
 * turned into a display string here, never into floats for arithmetic.
 */
export type UiLanguage = 'fr' | 'nl' | 'en';

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

/** `minor` is an integer count of 1/10^scale units (cents: scale 2; CODA thousandths: scale 3). */
export function formatMoney(language: UiLanguage, minor: number | bigint, currency = 'EUR', scale = 2): string {
  const f = memo(`m:${language}:${currency}`, () => new Intl.NumberFormat(localeOf[language], { style: 'currency', currency }));
  const big = BigInt(minor);
  const negative = big < 0n;
  const abs = negative ? -big : big;
  const unit = 10n ** BigInt(scale);
  // A decimal string keeps every digit exact; Intl accepts it for formatting.
  const text = `${negative ? '-' : ''}${abs / unit}.${(abs % unit).toString().padStart(scale, '0')}`;
  return f.format(text as unknown as number);
}

/** Dates as dd/mm/yyyy (fr-BE) or d/mm/yyyy (nl-BE); input is an ISO date or timestamp. */
export function formatDate(language: UiLanguage, iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T12:00:00Z` : iso);
  if (Number.isNaN(d.getTime())) return iso;
  return memo(`d:${language}`, () => new Intl.DateTimeFormat(localeOf[language], { dateStyle: 'short', timeZone: 'Europe/Brussels' })).format(d);
}

export function formatDateTime(language: UiLanguage, iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return memo(`dt:${language}`, () =>
    new Intl.DateTimeFormat(localeOf[language], { dateStyle: 'short', timeStyle: 'short', timeZone: 'Europe/Brussels' }),
  ).format(d);
}

/** The OS or browser's preferred languages, mapped to the three the app speaks. */
export function pickLanguage(preferred: readonly string[]): UiLanguage {
  for (const tag of preferred) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'fr' || base === 'nl' || base === 'en') return base;
  }
  return 'en';
}
