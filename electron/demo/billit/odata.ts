/**
 * The slice of OData v3 query options Billit documents: `$filter` with eq/ne/gt/ge/lt/le, and/or/not,
 * parentheses, sub-properties with `/`, string literals in quotes ('' escapes a quote), `DateTime'…'`
 * (any case), numbers, true/false/null; `$orderby` with asc/desc, comma separated; `$top`; `$skip`.
 */

export class ODataError extends Error {}

type Literal = string | number | boolean | null | { date: number };

type Node =
  | { kind: 'cmp'; op: 'eq' | 'ne' | 'gt' | 'ge' | 'lt' | 'le'; left: Operand; right: Operand }
  | { kind: 'and' | 'or'; left: Node; right: Node }
  | { kind: 'not'; inner: Node };

type Operand = { kind: 'prop'; path: string[] } | { kind: 'lit'; value: Literal };

type Token =
  | { t: 'str'; v: string }
  | { t: 'date'; v: string }
  | { t: 'num'; v: number }
  | { t: 'ident'; v: string }
  | { t: '(' }
  | { t: ')' };

function tokenize(text: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '(' || c === ')') {
      out.push({ t: c });
      i++;
      continue;
    }
    if (c === "'") {
      let s = '';
      i++;
      for (;;) {
        if (i >= text.length) throw new ODataError('Unterminated string literal');
        if (text[i] === "'") {
          if (text[i + 1] === "'") {
            s += "'";
            i += 2;
            continue;
          }
          i++;
          break;
        }
        s += text[i++];
      }
      out.push({ t: 'str', v: s });
      continue;
    }
    const dm = /^datetime'([^']*)'/i.exec(text.slice(i));
    if (dm) {
      out.push({ t: 'date', v: dm[1]! });
      i += dm[0].length;
      continue;
    }
    const nm = /^-?\d+(\.\d+)?(?![\w/])/.exec(text.slice(i));
    if (nm) {
      out.push({ t: 'num', v: Number(nm[0]) });
      i += nm[0].length;
      continue;
    }
    const im = /^[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (im) {
      out.push({ t: 'ident', v: im[0] });
      i += im[0].length;
      continue;
    }
    throw new ODataError(`Syntax error at position ${i} in '${text}'`);
  }
  return out;
}

/** Dates without an offset are read as UTC, as the simulator writes them. */
export function parseDate(text: string): number {
  const withZone = /([zZ]|[+-]\d\d:?\d\d)$/.test(text) ? text : text.length <= 10 ? `${text}T00:00:00Z` : `${text}Z`;
  const ms = Date.parse(withZone);
  if (Number.isNaN(ms)) throw new ODataError(`Invalid DateTime literal '${text}'`);
  return ms;
}

const OPS = new Set(['eq', 'ne', 'gt', 'ge', 'lt', 'le']);

export function parseFilter(text: string): Node {
  const tokens = tokenize(text);
  let p = 0;
  const peekIdent = (v: string) => {
    const t = tokens[p];
    return t?.t === 'ident' && t.v.toLowerCase() === v;
  };
  const operand = (): Operand => {
    const t = tokens[p++];
    if (!t) throw new ODataError('Unexpected end of $filter');
    switch (t.t) {
      case 'str':
        return { kind: 'lit', value: t.v };
      case 'num':
        return { kind: 'lit', value: t.v };
      case 'date':
        return { kind: 'lit', value: { date: parseDate(t.v) } };
      case 'ident': {
        const low = t.v.toLowerCase();
        if (low === 'true' || low === 'false') return { kind: 'lit', value: low === 'true' };
        if (low === 'null') return { kind: 'lit', value: null };
        return { kind: 'prop', path: t.v.split('/') };
      }
      default:
        throw new ODataError(`Unexpected '${t.t}' in $filter`);
    }
  };
  const primary = (): Node => {
    if (tokens[p]?.t === '(') {
      p++;
      const inner = or();
      if (tokens[p]?.t !== ')') throw new ODataError('Missing )');
      p++;
      return inner;
    }
    if (peekIdent('not')) {
      p++;
      return { kind: 'not', inner: primary() };
    }
    const left = operand();
    const opTok = tokens[p++];
    if (opTok?.t !== 'ident' || !OPS.has(opTok.v.toLowerCase())) throw new ODataError('Expected a comparison operator');
    const right = operand();
    return { kind: 'cmp', op: opTok.v.toLowerCase() as 'eq', left, right };
  };
  const and = (): Node => {
    let left = primary();
    while (peekIdent('and')) {
      p++;
      left = { kind: 'and', left, right: primary() };
    }
    return left;
  };
  const or = (): Node => {
    let left = and();
    while (peekIdent('or')) {
      p++;
      left = { kind: 'or', left, right: and() };
    }
    return left;
  };
  const node = or();
  if (p !== tokens.length) throw new ODataError(`Unexpected text after position ${p} in $filter`);
  return node;
}

/** Property paths a filter reads; the caller checks them against what the entity allows. */
export function filterProperties(node: Node): string[] {
  switch (node.kind) {
    case 'cmp':
      return [node.left, node.right].flatMap((o) => (o.kind === 'prop' ? [o.path.join('/')] : []));
    case 'not':
      return filterProperties(node.inner);
    default:
      return [...filterProperties(node.left), ...filterProperties(node.right)];
  }
}

function resolve(entity: unknown, path: string[]): unknown {
  let cur: unknown = entity;
  for (const key of path) {
    if (cur === null || cur === undefined || typeof cur !== 'object') return null;
    const rec = cur as Record<string, unknown>;
    if (Object.hasOwn(rec, key)) {
      cur = rec[key];
      continue;
    }
    const hit = Object.keys(rec).find((k) => k.toLowerCase() === key.toLowerCase());
    cur = hit === undefined ? null : rec[hit];
  }
  return cur === undefined ? null : cur;
}

function compare(a: unknown, b: Literal | unknown, op: string): boolean {
  let x: unknown = a;
  let y: unknown = b;
  if (y && typeof y === 'object' && 'date' in (y as object)) {
    y = (y as { date: number }).date;
    x = typeof x === 'string' ? parseDate(x) : x;
  } else if (x && typeof x === 'object' && 'date' in (x as object)) {
    x = (x as { date: number }).date;
    y = typeof y === 'string' ? parseDate(y) : y;
  }
  if (typeof x === 'string' && typeof y === 'string') {
    x = x.toLowerCase();
    y = y.toLowerCase();
  }
  switch (op) {
    case 'eq':
      return x === y;
    case 'ne':
      return x !== y;
  }
  if (x === null || y === null || x === undefined || y === undefined) return false;
  const xx = x as number | string;
  const yy = y as number | string;
  switch (op) {
    case 'gt':
      return xx > yy;
    case 'ge':
      return xx >= yy;
    case 'lt':
      return xx < yy;
    case 'le':
      return xx <= yy;
  }
  return false;
}

export function evaluate(node: Node, entity: unknown): boolean {
  switch (node.kind) {
    case 'and':
      return evaluate(node.left, entity) && evaluate(node.right, entity);
    case 'or':
      return evaluate(node.left, entity) || evaluate(node.right, entity);
    case 'not':
      return !evaluate(node.inner, entity);
    case 'cmp': {
      const val = (o: Operand) => (o.kind === 'prop' ? resolve(entity, o.path) : o.value);
      return compare(val(node.left), val(node.right), node.op);
    }
  }
}

export interface OrderBy {
  path: string[];
  desc: boolean;
}

export function parseOrderBy(text: string): OrderBy[] {
  return text
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part) => {
      const m = /^([A-Za-z_][A-Za-z0-9_/]*)(?:\s+(asc|desc))?$/i.exec(part);
      if (!m) throw new ODataError(`Invalid $orderby '${part}'`);
      return { path: m[1]!.split('/'), desc: (m[2] ?? 'asc').toLowerCase() === 'desc' };
    });
}

export function sortBy<T>(items: T[], order: OrderBy[]): T[] {
  if (order.length === 0) return items;
  return [...items].sort((a, b) => {
    for (const o of order) {
      const x = resolve(a, o.path) as string | number | boolean | null;
      const y = resolve(b, o.path) as string | number | boolean | null;
      if (x === y) continue;
      if (x === null) return o.desc ? 1 : -1;
      if (y === null) return o.desc ? -1 : 1;
      const c = x < y ? -1 : 1;
      return o.desc ? -c : c;
    }
    return 0;
  });
}

export interface ODataQuery {
  filter?: Node;
  orderBy: OrderBy[];
  top: number;
  skip: number;
}

export const MAX_TOP = 120;

/** Read `$filter`, `$orderby`, `$top` (≤ 120, default 120) and `$skip` from a query string. */
export function readODataQuery(query: URLSearchParams, allowed?: ReadonlySet<string>, typeName = 'Entity'): ODataQuery {
  const get = (name: string) => {
    for (const [k, v] of query) if (k.toLowerCase() === name.toLowerCase()) return v;
    return null;
  };
  const filterText = get('$filter');
  const filter = filterText ? parseFilter(filterText) : undefined;
  const orderBy = parseOrderBy(get('$orderby') ?? '');
  if (allowed) {
    const lowered = new Set([...allowed].map((a) => a.toLowerCase()));
    for (const prop of [...(filter ? filterProperties(filter) : []), ...orderBy.map((o) => o.path.join('/'))])
      if (!lowered.has(prop.toLowerCase()))
        throw new ODataError(`Could not find a property named '${prop}' on type '${typeName}'.`);
  }
  const topText = get('$top');
  const skipText = get('$skip');
  const top = topText === null ? MAX_TOP : Number(topText);
  const skip = skipText === null ? 0 : Number(skipText);
  if (!Number.isInteger(top) || top < 0) throw new ODataError(`Invalid $top '${topText}'`);
  if (top > MAX_TOP)
    throw new ODataError(`The limit of '${MAX_TOP}' for Top query has been exceeded. The value from the incoming request is '${top}'.`);
  if (!Number.isInteger(skip) || skip < 0) throw new ODataError(`Invalid $skip '${skipText}'`);
  return { filter, orderBy, top, skip };
}
