/**
 * Building Billit's OData `$filter` strings (docs: eq, ge, le, and, or; sub-properties with `/`; strings in
 * single quotes; dates as `DateTime'2025-04-01'`).
 */

export type ODataValue = string | number | boolean | Date | null | { raw: string };

/** A string literal with quotes doubled. */
export function quote(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * `DateTime'…'`. A string is used as given (pass back a `LastModified` exactly as Billit sent it); a Date
 * is written in UTC without an offset, the form Billit's dates take.
 */
export function dateTime(value: string | Date): string {
  const text = typeof value === 'string' ? value : value.toISOString().replace(/Z$/, '');
  if (!/^\d{4}-\d{2}-\d{2}(T[\d:.]+)?$/.test(text)) throw new Error(`Not a Billit date: '${text}'`);
  return `DateTime'${text}'`;
}

export function literal(value: ODataValue): string {
  if (value === null) return 'null';
  if (value instanceof Date) return dateTime(value);
  if (typeof value === 'object') return value.raw;
  if (typeof value === 'string') return quote(value);
  return String(value);
}

const PROPERTY = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/;

function cmp(op: string, property: string, value: ODataValue): string {
  if (!PROPERTY.test(property)) throw new Error(`Not an OData property: '${property}'`);
  return `${property} ${op} ${literal(value)}`;
}

export const eq = (p: string, v: ODataValue) => cmp('eq', p, v);
export const ne = (p: string, v: ODataValue) => cmp('ne', p, v);
export const ge = (p: string, v: ODataValue) => cmp('ge', p, v);
export const gt = (p: string, v: ODataValue) => cmp('gt', p, v);
export const le = (p: string, v: ODataValue) => cmp('le', p, v);
export const lt = (p: string, v: ODataValue) => cmp('lt', p, v);

export function and(...parts: Array<string | undefined | false>): string | undefined {
  const list = parts.filter((p): p is string => !!p);
  return list.length === 0 ? undefined : list.length === 1 ? list[0] : list.map((p) => (/ or /.test(p) ? `(${p})` : p)).join(' and ');
}

export function or(...parts: Array<string | undefined | false>): string | undefined {
  const list = parts.filter((p): p is string => !!p);
  return list.length === 0 ? undefined : list.length === 1 ? list[0] : `(${list.join(' or ')})`;
}
