/**
 * Exact decimal arithmetic on `Decimal` strings (see `./model`), using bigint with a scale.
 * Results keep the larger scale of their operands (multiplication: the sum of scales); `round` fixes a scale.
 */
import type { Decimal } from './model';

const DECIMAL_RE = /^[+-]?(?:\d+\.?\d*|\.\d+)$/;

/** Normalizes a decimal numeral as written in XML (`+1`, `.5`, `5.`, surrounding spaces), or null if it is not one. */
export function normalizeDecimal(input: string): Decimal | null {
  const s = input.trim();
  if (s.length === 0 || s.length > 64 || !DECIMAL_RE.test(s)) return null;
  let sign = '';
  let body = s;
  if (body[0] === '+' || body[0] === '-') {
    sign = body[0] === '-' ? '-' : '';
    body = body.slice(1);
  }
  if (body[0] === '.') body = '0' + body;
  if (body[body.length - 1] === '.') body = body.slice(0, -1);
  return sign + body;
}

export function isDecimal(s: unknown): s is Decimal {
  return typeof s === 'string' && /^-?\d+(?:\.\d+)?$/.test(s);
}

interface Scaled {
  v: bigint;
  s: number;
}

function scaled(d: Decimal): Scaled {
  const neg = d[0] === '-';
  const body = neg ? d.slice(1) : d;
  const dot = body.indexOf('.');
  const digits = dot < 0 ? body : body.slice(0, dot) + body.slice(dot + 1);
  const v = BigInt(digits || '0');
  return { v: neg ? -v : v, s: dot < 0 ? 0 : body.length - dot - 1 };
}

const TEN = 10n;
function pow10(n: number): bigint {
  return TEN ** BigInt(n);
}

function toDecimal({ v, s }: Scaled): Decimal {
  const neg = v < 0n;
  let digits = (neg ? -v : v).toString();
  if (s > 0) {
    digits = digits.padStart(s + 1, '0');
    digits = digits.slice(0, digits.length - s) + '.' + digits.slice(digits.length - s);
  }
  return (neg ? '-' : '') + digits;
}

function align(a: Scaled, b: Scaled): [bigint, bigint, number] {
  if (a.s === b.s) return [a.v, b.v, a.s];
  if (a.s > b.s) return [a.v, b.v * pow10(a.s - b.s), a.s];
  return [a.v * pow10(b.s - a.s), b.v, b.s];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, s] = align(scaled(a), scaled(b));
  return toDecimal({ v: x + y, s });
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, s] = align(scaled(a), scaled(b));
  return toDecimal({ v: x - y, s });
}

export function mul(a: Decimal, b: Decimal): Decimal {
  const x = scaled(a);
  const y = scaled(b);
  return toDecimal({ v: x.v * y.v, s: x.s + y.s });
}

/** a / b rounded half away from zero to `places` decimals. Division by zero gives null. */
export function div(a: Decimal, b: Decimal, places: number): Decimal | null {
  const x = scaled(a);
  const y = scaled(b);
  if (y.v === 0n) return null;
  // a/b = (x.v / 10^x.s) / (y.v / 10^y.s); scale the numerator so the quotient has places+1 digits, then round.
  const num = x.v * pow10(places + 1 + y.s);
  const den = y.v * pow10(x.s);
  const q = num / den;
  return round(toDecimal({ v: q, s: places + 1 }), places);
}

export function sum(values: Iterable<Decimal>): Decimal {
  let acc: Scaled = { v: 0n, s: 0 };
  for (const d of values) {
    const [x, y, s] = align(acc, scaled(d));
    acc = { v: x + y, s };
  }
  return toDecimal(acc);
}

export function neg(a: Decimal): Decimal {
  const x = scaled(a);
  return toDecimal({ v: -x.v, s: x.s });
}

export function compare(a: Decimal, b: Decimal): -1 | 0 | 1 {
  const [x, y] = align(scaled(a), scaled(b));
  return x < y ? -1 : x > y ? 1 : 0;
}

export function eq(a: Decimal, b: Decimal): boolean {
  return compare(a, b) === 0;
}

/** |a - b| ≤ tolerance. */
export function within(a: Decimal, b: Decimal, tolerance: Decimal): boolean {
  const d = sub(a, b);
  return compare(d[0] === '-' ? d.slice(1) : d, tolerance) <= 0;
}

/** Rounds half away from zero to `places` decimals (the rounding EN 16931 uses for amounts). */
export function round(a: Decimal, places = 2): Decimal {
  const x = scaled(a);
  if (x.s <= places) return toDecimal({ v: x.v * pow10(places - x.s), s: places });
  const f = pow10(x.s - places);
  const absV = x.v < 0n ? -x.v : x.v;
  let q = absV / f;
  if ((absV % f) * 2n >= f) q += 1n;
  return toDecimal({ v: x.v < 0n ? -q : q, s: places });
}

/** Integer minor units (e.g. cents for places = 2) as bigint, rounding half away from zero. */
export function toMinorUnits(a: Decimal, places = 2): bigint {
  return scaled(round(a, places)).v;
}

/** From integer minor units: `fromMinorUnits(12345n)` → `"123.45"`. */
export function fromMinorUnits(v: bigint | number, places = 2): Decimal {
  return toDecimal({ v: BigInt(v), s: places });
}
