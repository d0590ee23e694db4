/**
 * Belgian identifiers: enterprise number (KBO/BCE), Belgian VAT number, IBAN/BIC and the structured
 * communication ("OGM/VCS") `+++123/4567/89002+++`. Parse (accepting the spellings people and files use),
 * validate, normalize, format. Pure functions, no Node imports.
 *
 * Normal forms:
 * - enterprise number: 10 digits, `'0123456789'` (display `0123.456.789`);
 * - VAT number: country + number without separators, `'BE0123456789'` (display `BE 0123.456.789`);
 * - IBAN: electronic format, upper case, no spaces, `'BE68539007547034'` (display `BE68 5390 0754 7034`);
 * - structured communication: 12 digits, `'123456789002'` (display `+++123/4567/89002+++`).
 */
import { electronicFormatIBAN, friendlyFormatIBAN, isValidBIC, isValidIBAN, composeIBAN } from 'ibantools';

export type IdResult<T> = { ok: true; value: T } | { ok: false; reason: IdFailure };

/** Why an identifier was refused; stable codes the UI can translate. */
export type IdFailure =
  | 'empty'
  | 'format' // characters or length that cannot be this identifier
  | 'first-digit' // an enterprise number starts with 0 or 1
  | 'check-digits' // mod-97 check failed
  | 'country'; // a VAT number for a country this function does not accept

const ok = <T>(value: T): IdResult<T> => ({ ok: true, value });
const fail = <T>(reason: IdFailure): IdResult<T> => ({ ok: false, reason });

/** `97 - (n mod 97)` for enterprise and VAT numbers. `n` must be a safe integer. */
function mod97Complement(n: number): number {
  return 97 - (n % 97);
}

/** Check digits of a structured communication or a Belgian BBAN: `n mod 97`, with 0 written as 97. */
function mod97OrNinetySeven(n: number): number {
  const r = n % 97;
  return r === 0 ? 97 : r;
}

const pad2 = (n: number) => (n < 10 ? '0' + n : String(n));

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------------------------------
// Enterprise number

/** Separators people write in identifiers: spaces (incl. no-break), dots, dashes, slashes. */
const SEPARATORS = /[\s.\-/\u00a0]/g;

/** Peppol EAS prefixes that carry a Belgian enterprise number (0208) or Belgian VAT number (9925, legacy 9956). */
const BELGIAN_SCHEME_PREFIX = /^(?:0208|9925|9956):/;

/**
 * Accepts `0123456789`, `0123.456.789`, `123.456.789` (old 9-digit form), `BE0123456789`,
 * `BE 0123.456.789`, `0208:0123456789`, `9925:BE0123456789`. Returns the 10-digit normal form.
 */
export function parseEnterpriseNumber(input: string): IdResult<string> {
  if (typeof input !== 'string') return fail('format');
  let s = input.trim().replace(SEPARATORS, '');
  if (s.length === 0) return fail('empty');
  s = s.replace(BELGIAN_SCHEME_PREFIX, '');
  if (s.length >= 2 && (s[0] === 'B' || s[0] === 'b') && (s[1] === 'E' || s[1] === 'e')) s = s.slice(2);
  if (!isDigits(s)) return fail('format');
  if (s.length === 9) s = '0' + s;
  if (s.length !== 10) return fail('format');
  if (s[0] !== '0' && s[0] !== '1') return fail('first-digit');
  const base = Number(s.slice(0, 8));
  if (mod97Complement(base) !== Number(s.slice(8))) return fail('check-digits');
  return ok(s);
}

/**
 * The digits of an enterprise number however it is written (`BE 0123.456.789`, `BE123456789`, `0123 456 789`),
 * a nine-digit legacy number given its leading zero: the form two spellings are compared in. Spelling only,
 * nothing is checked (that is `parseEnterpriseNumber`); text without a digit gives ''.
 */
export function enterpriseDigits(value: string): string {
  const digits = value.replace(/\D/g, '');
  return digits.length === 9 ? '0' + digits : digits;
}

export function isValidEnterpriseNumber(input: string): boolean {
  return parseEnterpriseNumber(input).ok;
}

/** `'0123456789'` (or any accepted spelling) → `'0123.456.789'`; input that does not parse is returned trimmed. */
export function formatEnterpriseNumber(input: string): string {
  const r = parseEnterpriseNumber(input);
  if (!r.ok) return typeof input === 'string' ? input.trim() : '';
  const v = r.value;
  return `${v.slice(0, 4)}.${v.slice(4, 7)}.${v.slice(7)}`;
}

/**
 * A valid enterprise number from 8 base digits (first digit 0 or 1): appends the check digits.
 * `makeEnterpriseNumber('01234567')` → `'0123456749'`. Accepts a number (left-padded to 8 digits).
 */
export function makeEnterpriseNumber(base8: string | number): string {
  const s = typeof base8 === 'number' ? String(Math.trunc(Math.abs(base8))).padStart(8, '0') : base8.replace(SEPARATORS, '');
  if (!/^[01]\d{7}$/.test(s)) throw new RangeError(`An enterprise number base is 8 digits starting with 0 or 1, got "${base8}"`);
  return s + pad2(mod97Complement(Number(s)));
}

// ---------------------------------------------------------------------------------------------------
// VAT number

export interface VatNumber {
  /** ISO country code as used in VAT numbers (`EL` for Greece). */
  country: string;
  /** The national part without separators; for Belgium the 10-digit enterprise number. */
  number: string;
  /** `country + number`, e.g. `BE0123456789`. */
  normalized: string;
  /** True when the check digits were verified (Belgian numbers); other countries are only format-checked. */
  checked: boolean;
}

/**
 * Parses a VAT number. Without a country prefix the number is taken as Belgian. Belgian numbers are checked
 * (mod 97 of the enterprise number); other EU-style numbers are accepted on format only unless
 * `{ belgianOnly: true }`.
 */
export function parseVat(input: string, options: { belgianOnly?: boolean } = {}): IdResult<VatNumber> {
  if (typeof input !== 'string') return fail('format');
  let s = input.trim().replace(SEPARATORS, '').toUpperCase();
  if (s.length === 0) return fail('empty');
  s = s.replace(BELGIAN_SCHEME_PREFIX, '');
  const m = /^([A-Z]{2})(.*)$/.exec(s);
  const country = m ? m[1]! : 'BE';
  const rest = m ? m[2]! : s;
  if (country === 'BE') {
    const e = parseEnterpriseNumber(rest);
    if (!e.ok) return fail(e.reason);
    return ok({ country, number: e.value, normalized: 'BE' + e.value, checked: true });
  }
  if (options.belgianOnly) return fail('country');
  if (!/^[0-9A-Z+*]{2,13}$/.test(rest)) return fail('format');
  return ok({ country, number: rest, normalized: country + rest, checked: false });
}

/** `BE0123456789` → `BE 0123.456.789` (the spelling Venice uses); other countries: normal form. */
export function formatVat(input: string): string {
  const r = parseVat(input);
  if (!r.ok) return typeof input === 'string' ? input.trim() : '';
  return r.value.country === 'BE' ? `BE ${formatEnterpriseNumber(r.value.number)}` : r.value.normalized;
}

// ---------------------------------------------------------------------------------------------------
// IBAN / BIC (ibantools)

/** Electronic form of an IBAN (upper case, no spaces) if it is valid, else null. */
export function normalizeIban(input: string): string | null {
  if (typeof input !== 'string') return null;
  const e = electronicFormatIBAN(input.replace(/[\s\-.\u00a0]/g, ''));
  return e && isValidIBAN(e) ? e : null;
}

export function parseIban(input: string): IdResult<string> {
  if (typeof input !== 'string' || input.trim() === '') return fail('empty');
  const e = electronicFormatIBAN(input.replace(/[\s\-.\u00a0]/g, ''));
  if (!e || !/^[A-Z]{2}\d{2}[A-Z0-9]{1,30}$/.test(e)) return fail('format');
  return isValidIBAN(e) ? ok(e) : fail('check-digits');
}

export function isValidIban(input: string): boolean {
  return normalizeIban(input) !== null;
}

/** `BE68539007547034` → `BE68 5390 0754 7034`; input that is not a valid IBAN is returned trimmed. */
export function formatIban(input: string): string {
  const e = normalizeIban(input);
  return e ? (friendlyFormatIBAN(e) ?? e) : typeof input === 'string' ? input.trim() : '';
}

/**
 * The IBAN of a Belgian account number (BBAN, 12 digits, `539-0075470-34` or `539007547034`), or null when
 * the BBAN's own check digits (first 10 digits mod 97, 0 as 97) are wrong.
 */
export function ibanFromBelgianBban(bban: string): string | null {
  if (typeof bban !== 'string') return null;
  const s = bban.replace(SEPARATORS, '');
  if (!/^\d{12}$/.test(s)) return null;
  if (mod97OrNinetySeven(Number(s.slice(0, 10))) !== Number(s.slice(10))) return null;
  const iban = composeIBAN({ countryCode: 'BE', bban: s });
  return iban && isValidIBAN(iban) ? iban : null;
}

export function normalizeBic(input: string): string | null {
  if (typeof input !== 'string') return null;
  const s = input.replace(/\s/g, '').toUpperCase();
  return s && isValidBIC(s) ? s : null;
}

export function isValidBic(input: string): boolean {
  return normalizeBic(input) !== null;
}

// ---------------------------------------------------------------------------------------------------
// Structured communication (OGM / VCS)

/**
 * Accepts `+++123/4567/89002+++`, `***123/4567/89002***`, `123/4567/89002`, `123456789002` (spaces allowed).
 * The last two digits are the first ten mod 97, with 0 written as 97.
 */
export function parseStructuredCommunication(input: string): IdResult<string> {
  if (typeof input !== 'string') return fail('format');
  let s = input.trim();
  if (s.length === 0) return fail('empty');
  const wrapped = /^(\+{3}|\*{3})(.*)\1$/.exec(s);
  if (wrapped) s = wrapped[2]!;
  s = s.replace(/[\s/.\u00a0]/g, '');
  if (!/^\d{12}$/.test(s)) return fail('format');
  return structuredCheckOk(s) ? ok(s) : fail('check-digits');
}

/** True when the 12 digits carry the right check digits. */
export function structuredCheckOk(digits12: string): boolean {
  return mod97OrNinetySeven(Number(digits12.slice(0, 10))) === Number(digits12.slice(10, 12));
}

export function isValidStructuredCommunication(input: string): boolean {
  return parseStructuredCommunication(input).ok;
}

/** `'123456789002'` → `'+++123/4567/89002+++'`; 12 digits with a wrong check are formatted too. */
export function formatStructuredCommunication(input: string): string {
  const s = typeof input === 'string' ? input.replace(/[^\d]/g, '') : '';
  if (s.length !== 12) return typeof input === 'string' ? input.trim() : '';
  return `+++${s.slice(0, 3)}/${s.slice(3, 7)}/${s.slice(7)}+++`;
}

/** 12-digit structured communication from 10 base digits (or a number, left-padded): appends the check. */
export function makeStructuredCommunication(base10: string | number): string {
  const s = typeof base10 === 'number' ? String(Math.trunc(Math.abs(base10))).padStart(10, '0') : base10.replace(/[^\d]/g, '');
  if (s.length !== 10) throw new RangeError(`A structured communication base is 10 digits, got "${base10}"`);
  return s + pad2(mod97OrNinetySeven(Number(s)));
}
