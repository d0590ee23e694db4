/**
 * How identifiers are stored and searched: one spelling per identifier, so "BE 0123.456.789",
 * "0123456789" and "123456789" find the same company, and "+++090/9337/55493+++" the same payment.
 * These only normalize spelling; checking digits is the formats module's job.
 */

/** A Belgian enterprise number (with or without BE, dots, spaces) as its 10 digits; other text unchanged. */
export function enterpriseKey(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  const m = /^(?:BE)?\s*([01]?)[\s.]?(\d{3})[\s.]?(\d{3})[\s.]?(\d{3})$/i.exec(trimmed.replace(/\s+/g, ' '));
  if (!m) return trimmed;
  return (m[1] || '0') + m[2] + m[3] + m[4];
}

/** A structured communication (+++123/4567/89012+++, ***…***, bare digits) as its 12 digits; other text trimmed. */
export function paymentReferenceKey(value: string | null | undefined): string | null {
  if (value == null) return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  const digits = structuredDigits(trimmed);
  return digits ?? trimmed;
}

/** The 12 digits of a structured communication, or null when the text is not one. */
export function structuredDigits(value: string): string | null {
  const m = /^[+*]{0,3}\s*(\d{3})\s*\/?\s*(\d{4})\s*\/?\s*(\d{5})\s*[+*]{0,3}$/.exec(value.trim());
  return m ? m[1]! + m[2]! + m[3]! : null;
}

/** A document number without punctuation, lower case: "INV-2024/001" → "inv2024001". */
export function numberKey(value: string): string {
  return value
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, '');
}

/** How names sort: without accents or case ("Épicerie" between "delta" and "zeta"). */
export function sortKey(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

/** An IBAN without spaces, upper case. */
export function ibanKey(value: string | null | undefined): string | null {
  if (value == null) return null;
  const key = value.replace(/\s+/g, '').toUpperCase();
  return key || null;
}

export function assertCents(name: string, value: unknown): asserts value is number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${name} must be an integer number of cents, got ${String(value)}`);
  }
}

export function assertDate(name: string, value: unknown): asserts value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    throw new TypeError(`${name} must be a YYYY-MM-DD date, got ${String(value)}`);
  }
}

export function assertOptionalDate(name: string, value: unknown): void {
  if (value != null) assertDate(name, value);
}

// ---------------------------------------------------------------- search queries

/**
 * Parses an amount as a person types it: "1234,56", "1.234,56", "1234.56", "€ 12", "-45,5".
 * Returns cents, and whether decimals were given (an integer may also be a number).
 */
export function parseAmount(text: string): { cents: number; decimals: boolean } | null {
  const t = text.replace(/[€\s]|EUR/gi, '');
  if (!t || !/^-?[\d.,]+$/.test(t)) return null;
  const negative = t.startsWith('-');
  const body = negative ? t.slice(1) : t;
  let intPart: string;
  let frac = '';
  const m = /^(\d{1,3}(?:([.,])\d{3})*|\d+)(?:([.,])(\d{1,2}))?$/.exec(body);
  if (!m) return null;
  const group = m[2];
  const decimalSep = m[3];
  if (group && decimalSep && group === decimalSep) return null;
  intPart = m[1]!;
  if (group) intPart = intPart.split(group).join('');
  if (m[4] !== undefined) frac = m[4];
  // "1.234" alone is ambiguous: read three digits after one separator as thousands.
  const cents = Number(intPart) * 100 + Number(frac.padEnd(2, '0') || '0');
  if (!Number.isSafeInteger(cents)) return null;
  return { cents: negative ? -cents : cents, decimals: frac !== '' };
}

function quote(token: string): string {
  return `"${token.replace(/"/g, '""')}"`;
}

/**
 * A token as a prefix, except a single character: FTS5 has no prefix index for one letter and
 * would merge the postings of every word starting with it ("van d" as it is being typed).
 */
function prefix(token: string): string {
  return token.length > 1 ? `${quote(token)}*` : quote(token);
}

/** Letters and digits runs, folded the way the FTS tokenizer folds them. */
export function words(text: string): string[] {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter(Boolean);
}

/** The words kept for prefix expansion: alphabetic, at least 4 letters (shorter prefixes use FTS5's prefix index). */
export function vocabularyWords(text: string | null | undefined): string[] {
  return text ? words(text).filter((w) => w.length >= 4 && /^\p{L}+$/u.test(w)) : [];
}

/**
 * The known words starting with a prefix, or null when there are too many to list. FTS5
 * answers a prefix by merging every matching term's full posting list before returning the
 * first row, which on a million rows costs tens of ms for a common name; a handful of exact
 * words merge lazily and stop at the page size.
 */
export type Expand = (prefix: string) => string[] | null;

/**
 * Turns what the user typed into an FTS5 MATCH expression over the search table's columns
 * (names, numbers, amounts, comms). Each whitespace-separated term must match (AND); a term
 * may match as a name/number prefix, an exact amount, an enterprise number or a structured
 * communication. Returns null when nothing searchable remains.
 */
export function buildMatch(q: string, expand?: Expand): string | null {
  const terms = q.trim().split(/\s+/).filter(Boolean).slice(0, 12);
  const clauses: string[] = [];
  for (const term of terms) {
    const options: string[] = [];
    const structured = structuredDigits(term);
    if (structured) options.push(`comms:${quote(structured)}`, `numbers:${quote(structured)}`);
    const enterprise = /^(?:BE)?[01]?\d{3}[.\s]?\d{3}[.\s]?\d{3}$/i.test(term) ? enterpriseKey(term) : null;
    if (enterprise && /^\d{10}$/.test(enterprise)) options.push(`numbers:${quote(enterprise)}`);
    const amount = parseAmount(term);
    if (amount) {
      options.push(`amounts:${quote('a' + Math.abs(amount.cents))}`);
    }
    const parts = words(term);
    const word = parts.length === 1 ? parts[0]! : null;
    const expanded = word && expand && vocabularyWords(word).length ? expand(word) : null;
    if (expanded) {
      options.push(`numbers:${quote(word!)}`);
      if (expanded.length) options.push(`{names comms}:(${expanded.map(quote).join(' OR ')})`);
    } else if (word) {
      options.push(`{names numbers comms}:${prefix(word)}`);
    } else if (parts.length > 1) {
      options.push(`{names numbers comms}:(${parts.slice(0, -1).map(quote).join(' + ')} + ${prefix(parts[parts.length - 1]!)})`);
      if (!amount) options.push(`numbers:${prefix(parts.join(''))}`);
    }
    if (options.length) clauses.push(options.length === 1 ? options[0]! : `(${options.join(' OR ')})`);
  }
  return clauses.length ? clauses.join(' AND ') : null;
}
