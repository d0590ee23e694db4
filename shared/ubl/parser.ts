/**
 * UBL parser: Invoice / CreditNote, UBL 2.1 (Peppol BIS 3.0, UBL.BE) and UBL 2.0 (e-FFF), bare or inside a
 * Standard Business Document, into the model of `./model`.
 *
 * One fast-xml-parser pass. Namespaces are resolved by URI, not by prefix, inside that pass: the parser's
 * `updateTag` hook renames every element to a canonical `cbc:` / `cac:` / `inv:` / `cn:` / `sbdh:` name (other
 * namespaces become `{uri}local`) using a scoped prefix map, so a file that writes `<ns2:ID>` or declares the
 * UBL namespace as default reads the same as one that writes `<cbc:ID>`. Normalisation then walks only the
 * elements it needs. The base64 text of embedded attachments is set aside before that pass and handed back
 * to the normaliser (`cutBinaryContent`): the parser reads text one character at a time.
 *
 * Safety: a document with a DTD (`<!DOCTYPE` / `<!ENTITY`) is refused before parsing — no entity expansion
 * (billion laughs) and no external entities (XXE); fast-xml-parser's entity processing is off, and this module
 * decodes only the five predefined entities and character references in the values it reads. Limits: input
 * size (`maxBytes`), element depth (`maxDepth`) and attributes per element (`maxAttributes`).
 * Never throws on bad input: a value or a typed failure.
 */
import { XMLParser } from 'fast-xml-parser';
import { normalizeIban, parseEnterpriseNumber, parseStructuredCommunication, parseVat } from '../belgian';
import { decodeWindows1252 } from '../coda/cp1252';
import type { Finding, ParseResult } from '../findings';
import { decodeBase64 } from './base64';
import { normalizeDecimal } from './decimal';
import {
  NS,
  type Decimal,
  type UblAddress,
  type UblAllowanceCharge,
  type UblAttachment,
  type UblDocument,
  type UblIdentifier,
  type UblLine,
  type UblParty,
  type UblPaymentMeans,
  type UblReferences,
  type UblVatSubtotal,
} from './model';

export interface ParseUblOptions {
  /** Refuse larger inputs (bytes, or UTF-16 code units for a string). Default 64 MiB. */
  maxBytes?: number;
  /** Maximum element nesting. Default 64 (UBL invoices nest about 8 deep). */
  maxDepth?: number;
  /** Maximum attributes on one element. Default 64. */
  maxAttributes?: number;
}

const DEFAULTS = { maxBytes: 64 * 1024 * 1024, maxDepth: 64, maxAttributes: 64 };

/** Canonical prefix per namespace URI. */
const CANONICAL: Record<string, string> = {
  [NS.cbc]: 'cbc:',
  [NS.cac]: 'cac:',
  [NS.invoice]: 'inv:',
  [NS.creditNote]: 'cn:',
  [NS.ext]: 'ext:',
  [NS.sbdh]: 'sbdh:',
};

class LimitError extends Error {}

/** Scoped prefix → URI map, fed element by element from fast-xml-parser's `updateTag` hook. */
class NamespaceResolver {
  private frames: { depth: number; map: Map<string, string> }[] = [];
  private cache = new Map<string, string>();
  /** Raw name of the outermost element, to check the document is complete. */
  rootRawName = '';

  constructor(private readonly maxAttributes: number) {}

  reset() {
    this.frames = [];
    this.cache.clear();
    this.rootRawName = '';
  }

  resolve(tag: string, depth: number, attrs: Record<string, unknown> | undefined): string {
    if (tag.charCodeAt(0) === 63 /* ? processing instruction */) return tag;
    if (depth === 1 && !this.rootRawName) this.rootRawName = tag;
    const frames = this.frames;
    while (frames.length && frames[frames.length - 1]!.depth >= depth) {
      frames.pop();
      this.cache.clear();
    }
    if (attrs) {
      let count = 0;
      let map: Map<string, string> | undefined;
      for (const k in attrs) {
        count++;
        // attribute keys carry the '@' prefix: '@xmlns' or '@xmlns:p'
        if (k.charCodeAt(1) === 120 && k.startsWith('@xmlns') && (k.length === 6 || k.charCodeAt(6) === 58)) {
          map ??= new Map();
          map.set(k.length === 6 ? '' : k.slice(7), String(attrs[k]).trim());
        }
      }
      if (count > this.maxAttributes) throw new LimitError(`An element has ${count} attributes; the limit is ${this.maxAttributes}.`);
      if (map) {
        frames.push({ depth, map });
        this.cache.clear();
      }
    }
    const cached = this.cache.get(tag);
    if (cached !== undefined) return cached;
    const colon = tag.indexOf(':');
    const prefix = colon < 0 ? '' : tag.slice(0, colon);
    const local = colon < 0 ? tag : tag.slice(colon + 1);
    let uri: string | undefined;
    for (let i = frames.length - 1; i >= 0 && uri === undefined; i--) uri = frames[i]!.map.get(prefix);
    const canonical = uri ? (CANONICAL[uri] ?? `{${uri}}`) + local : tag;
    this.cache.set(tag, canonical);
    return canonical;
  }
}

interface XmlParserBundle {
  parser: XMLParser;
  ns: NamespaceResolver;
}

const bundles = new Map<string, XmlParserBundle>();

function bundle(maxDepth: number, maxAttributes: number): XmlParserBundle {
  const key = `${maxDepth}/${maxAttributes}`;
  let b = bundles.get(key);
  if (!b) {
    const ns = new NamespaceResolver(maxAttributes);
    const parser = new XMLParser({
      ignoreAttributes: false,
      attributeNamePrefix: '@',
      parseTagValue: false,
      parseAttributeValue: false,
      processEntities: false,
      ignoreDeclaration: true,
      ignorePiTags: true,
      trimValues: true,
      jPath: false,
      // the ordered form, turned into objects by `objectTree` (cheaper than the parser's own conversion)
      preserveOrder: true,
      maxNestedTags: maxDepth,
      updateTag: (tag: string, matcher: unknown, attrs: Record<string, unknown>) =>
        ns.resolve(tag, (matcher as { getDepth(): number }).getDepth(), attrs),
    });
    b = { parser, ns };
    bundles.set(key, b);
  }
  return b;
}

/** Decodes XML bytes: BOM (UTF-8, UTF-16), else the declared encoding (ISO-8859-1 / windows-1252), else UTF-8. */
export function decodeXmlBytes(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return new TextDecoder('utf-8').decode(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  let head = '';
  for (let i = 0; i < Math.min(bytes.length, 200); i++) head += String.fromCharCode(bytes[i]!);
  const m = /^<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/.exec(head);
  const enc = m?.[1]?.toLowerCase();
  if (enc && /^(iso-8859-1|iso8859-1|latin-?1|windows-1252|cp1252|us-ascii|ascii)$/.test(enc)) return decodeWindows1252(bytes);
  return new TextDecoder('utf-8').decode(bytes);
}

/** Cheap test used by `inspect` to tell UBL from other files. */
export function looksLikeXml(input: string | Uint8Array): boolean {
  const head = typeof input === 'string' ? input.slice(0, 64) : decodeXmlBytes(input.subarray(0, 64));
  return /^(?:\uFEFF)?\s*</.test(head);
}

export function parseUbl(input: string | Uint8Array, options: ParseUblOptions = {}): ParseResult<UblDocument> {
  const o = { ...DEFAULTS, ...options };
  if (input == null) return fail('empty', 'No input.');
  const size = input.length;
  if (size > o.maxBytes) return fail('too-large', `The file is ${size} bytes; the limit is ${o.maxBytes}.`);
  let xml: string;
  try {
    xml = typeof input === 'string' ? input : decodeXmlBytes(input);
  } catch {
    return fail('not-xml', 'The bytes cannot be decoded as text.');
  }
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);
  if (xml.trim().length === 0) return fail('empty', 'The file is empty.');
  if (!/^\s*</.test(xml)) return fail('not-xml', 'Not XML: the file does not start with "<".');
  const refused = findDtd(xml);
  if (refused) return fail('doctype-refused', refused);

  const { parser, ns } = bundle(o.maxDepth, o.maxAttributes);
  ns.reset();
  let cut = cutBinaryContent(xml);
  let tree: Record<string, unknown>;
  try {
    try {
      tree = objectTree(parser.parse(cut ? cut.xml : xml) as OrderedNode[]);
    } catch (e) {
      if (!cut) throw e;
      // Report the failure of the document as written (positions in messages included): parse it untouched.
      cut = null;
      ns.reset();
      tree = objectTree(parser.parse(xml) as OrderedNode[]);
    }
  } catch (e) {
    if (e instanceof LimitError) return fail('limit-exceeded', e.message);
    const msg = (e as Error)?.message ?? String(e);
    if (/nested tags/i.test(msg)) return fail('limit-exceeded', `Elements nest deeper than ${o.maxDepth} levels.`);
    return fail('not-xml', `Not well-formed XML: ${msg}`);
  }
  if (!endsWithRoot(xml, ns.rootRawName)) {
    return fail('not-xml', 'The XML is incomplete: it does not end with the closing tag of its root element.');
  }
  try {
    let root: unknown = tree['inv:Invoice'];
    let rootName = 'Invoice';
    if (root === undefined && tree['cn:CreditNote'] !== undefined) {
      root = tree['cn:CreditNote'];
      rootName = 'CreditNote';
    }
    const sbd = tree['sbdh:StandardBusinessDocument'];
    if (root === undefined && isObj(sbd)) {
      if (sbd['inv:Invoice'] !== undefined) root = sbd['inv:Invoice'];
      else if (sbd['cn:CreditNote'] !== undefined) {
        root = sbd['cn:CreditNote'];
        rootName = 'CreditNote';
      }
    }
    if (Array.isArray(root)) root = root[0];
    if (!isObj(root)) {
      const found = Object.keys(tree).filter((k) => !k.startsWith('@') && k !== '#text')[0] ?? 'nothing';
      return fail('not-ubl', `Not a UBL invoice or credit note: the root element is ${found}, not Invoice or CreditNote in the UBL namespace.`);
    }
    return { ok: true, value: normalise(root, rootName === 'CreditNote', cut?.contents) };
  } catch (e) {
    return fail('internal', `UBL normalisation failed: ${(e as Error)?.message ?? String(e)}`);
  }
}

function fail(code: string, message: string): ParseResult<UblDocument> {
  return { ok: false, error: { code, message } };
}

/** A DTD or entity declaration anywhere (outside comments is not worth distinguishing): refused. */
function findDtd(xml: string): string | null {
  let i = xml.indexOf('<!');
  while (i >= 0) {
    const kw = xml.slice(i + 2, i + 9).toUpperCase();
    if (kw.startsWith('DOCTYPE') || kw.startsWith('ENTITY')) {
      return 'The XML declares a DTD or entities (<!DOCTYPE / <!ENTITY). Refused: entity expansion and external entities are attack vectors, and UBL never needs them.';
    }
    i = xml.indexOf('<!', i + 2);
  }
  return null;
}

function endsWithRoot(xml: string, rootRawName: string): boolean {
  if (!rootRawName) return false;
  let e = xml.length;
  while (e > 0 && xml.charCodeAt(e - 1) <= 32) e--;
  // skip trailing comments
  while (xml.startsWith('-->', e - 3)) {
    const start = xml.lastIndexOf('<!--', e);
    if (start < 0) return false;
    e = start;
    while (e > 0 && xml.charCodeAt(e - 1) <= 32) e--;
  }
  if (xml.charCodeAt(e - 1) !== 62 /* > */) return false;
  const open = xml.lastIndexOf('</', e);
  if (open < 0) {
    // a self-closing root `<Invoice/>`
    return /\/\s*>$/.test(xml.slice(0, e));
  }
  return xml.slice(open + 2, e - 1).trim() === rootRawName;
}

// ---------------------------------------------------------------------------------------------------
// Embedded binaries, cut out before parsing

/**
 * fast-xml-parser collects text one character at a time, so the base64 of an embedded PDF costs more than
 * the rest of an invoice. `cutBinaryContent` takes the text of every `…:EmbeddedDocumentBinaryObject` element
 * out of the document first and puts a short token in its place (CUT_MARK and the index into `contents`);
 * the normaliser swaps the token back (`binaryText`). Only plain text is cut — the characters between the
 * start tag's `>` and the next `<`, when that `<` begins an end tag — so the parser builds the same tree,
 * and the cut text gets the same treatment the parser would have given it (line ends, trimming).
 *
 * The scan follows fast-xml-parser's own reading of the markup (comments, CDATA, processing instructions,
 * quoted attribute values, which may hold `>`) up to the last binary, so nothing inside those is taken for
 * an element. Anything it cannot follow (a DTD, an unterminated tag, comment or section, a document that
 * already contains CUT_MARK) returns null: the document is then parsed untouched. When the parser fails
 * on a cut document, `parseUbl` parses the untouched one again, so a bad document gives the very same
 * error either way. The prefix is not resolved here: every element with this local name is cut, and the
 * normaliser only ever reads the one in the UBL cbc namespace.
 */
const BINARY_LOCAL = 'EmbeddedDocumentBinaryObject';
/**
 * A control character XML 1.0 forbids, and not in the documents we cut from (checked): a token cannot be
 * forged. Within Latin-1, so an ASCII document stays a one-byte string (twice as fast to parse).
 */
const CUT_MARK = '\u0001';

interface CutDocument {
  xml: string;
  contents: string[];
}

function cutBinaryContent(xml: string): CutDocument | null {
  let occurrence = xml.indexOf(BINARY_LOCAL);
  if (occurrence < 0 || xml.indexOf(CUT_MARK) >= 0) return null;
  const parts: string[] = [];
  const contents: string[] = [];
  let copied = 0;
  // Next `"` / `'` at or after the last position asked for (-2: not looked up yet, -1: none left).
  let dq = -2;
  let sq = -2;
  /** Start of `closer` ending the markup that starts at `from`; quoted values are skipped whole. -1: none. */
  const markupEnd = (from: number, closer: string): number => {
    let at = from;
    for (;;) {
      const end = xml.indexOf(closer, at);
      if (end < 0) return -1;
      if (dq !== -1 && dq < at) dq = xml.indexOf('"', at);
      if (sq !== -1 && sq < at) sq = xml.indexOf("'", at);
      const q = dq < 0 ? sq : sq < 0 ? dq : Math.min(dq, sq);
      if (q < 0 || q > end) return end;
      const closeQuote = xml.indexOf(xml[q]!, q + 1);
      if (closeQuote < 0) return -1;
      at = closeQuote + 1;
    }
  };
  let at = 0;
  for (;;) {
    const lt = xml.indexOf('<', at);
    if (lt < 0) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 47 /* / end tag */) {
      const gt = xml.indexOf('>', lt);
      if (gt < 0) return null;
      at = gt + 1;
      continue;
    }
    if (c1 === 63 /* ? processing instruction */) {
      const end = markupEnd(lt + 1, '?>');
      if (end < 0) return null;
      at = end + 2;
      continue;
    }
    if (c1 === 33 /* ! */) {
      let end: number;
      if (xml.startsWith('--', lt + 2)) end = xml.indexOf('-->', lt + 4);
      else if (xml.charCodeAt(lt + 2) === 91 /* [ CDATA */) end = xml.indexOf(']]>', lt);
      else return null; // a DTD (refused before) or another declaration: leave the document as it is
      if (end < 0) return null;
      at = end + 3;
      continue;
    }
    // a start tag
    const gt = markupEnd(lt + 1, '>');
    if (gt < 0) return null;
    at = gt + 1;
    while (occurrence >= 0 && occurrence < lt) occurrence = xml.indexOf(BINARY_LOCAL, occurrence + 1);
    if (occurrence < 0) break; // the rest is left as it is
    if (occurrence > gt || xml.charCodeAt(gt - 1) === 47 /* / self-closing */) continue;
    const head = xml.slice(lt + 1, gt);
    const space = head.search(/\s/);
    const name = space < 0 ? head : head.slice(0, space);
    if (name !== BINARY_LOCAL && !(name.endsWith(BINARY_LOCAL) && name.charCodeAt(name.length - BINARY_LOCAL.length - 1) === 58 /* : */)) continue;
    const next = xml.indexOf('<', at);
    if (next < 0) return null;
    if (next === at || xml.charCodeAt(next + 1) !== 47) continue; // empty, or not plain text: left to the parser
    parts.push(xml.slice(copied, at), CUT_MARK + contents.length);
    contents.push(xml.slice(at, next));
    copied = next;
    at = next;
  }
  if (!contents.length) return null;
  parts.push(xml.slice(copied));
  return { xml: parts.join(''), contents };
}

// ---------------------------------------------------------------------------------------------------
// Object tree

/** One entry of fast-xml-parser's ordered form: `{ name: children, ':@'?: attributes }` or `{ '#text': text }`. */
type OrderedNode = Record<string, unknown>;

/**
 * fast-xml-parser's object form (what `parse` gives without `preserveOrder`, with our options) built from its
 * ordered form: an element becomes its text when it has nothing else, '' when empty, else an object of its
 * children, `#text` and `@` attributes; a repeated name becomes an array. The parser's own conversion does
 * the same and also keeps a path matcher up to date for callbacks (`isArray` and the like) we do not use.
 */
function objectTree(nodes: OrderedNode[]): Node {
  const out: Node = {};
  let text: unknown;
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    let name: string | undefined;
    for (const k in n) {
      if (k !== ':@') {
        name = k;
        break;
      }
    }
    if (name === undefined) continue;
    const v = n[name];
    if (name === '#text') {
      text = text === undefined ? v : `${String(text)}${String(v)}`;
      continue;
    }
    if (!v) continue;
    const children = objectTree(v as OrderedNode[]);
    let value: unknown = children;
    const attrs = n[':@'] as Node | undefined;
    if (attrs) {
      for (const k in attrs) children[k] = attrs[k];
    } else {
      value = collapse(children);
    }
    const prev = out[name];
    if (prev !== undefined && Object.prototype.hasOwnProperty.call(out, name)) {
      if (Array.isArray(prev)) prev.push(value);
      else out[name] = [prev, value];
    } else out[name] = value;
  }
  if (typeof text === 'string' ? text.length > 0 : text !== undefined) out['#text'] = text;
  return out;
}

/** An element without attributes: '' when empty, its text when it has only text, else its object. */
function collapse(o: Node): unknown {
  let only: string | undefined;
  for (const k in o) {
    if (only !== undefined) return o;
    only = k;
  }
  if (only === undefined) return '';
  return only === '#text' ? o[only] : o;
}

// ---------------------------------------------------------------------------------------------------
// Access helpers over fast-xml-parser's object tree

type Node = Record<string, unknown>;

function isObj(x: unknown): x is Node {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function arr(x: unknown): unknown[] {
  return x === undefined ? [] : Array.isArray(x) ? x : [x];
}

function first(x: unknown): unknown {
  return Array.isArray(x) ? x[0] : x;
}

/** First child element `name` of `n` as an object (or undefined). */
function child(n: unknown, name: string): Node | undefined {
  if (!isObj(n)) return undefined;
  const c = first(n[name]);
  return isObj(c) ? c : undefined;
}

const ENTITY_RE = /&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g;
const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function decodeEntities(s: string): string {
  return s.replace(ENTITY_RE, (m, e: string) => {
    if (e[0] !== '#') return NAMED[e]!;
    const cp = e[1] === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
    return cp > 0 && cp <= 0x10ffff && !(cp >= 0xd800 && cp <= 0xdfff) ? String.fromCodePoint(cp) : m;
  });
}

/** Text of a leaf: a string, or the `#text` of an element with attributes. */
function textOf(x: unknown): string | undefined {
  const v = first(x);
  let s: string | undefined;
  if (typeof v === 'string') s = v;
  else if (isObj(v)) {
    const t = v['#text'];
    s = typeof t === 'string' ? t : t === undefined ? '' : String(t);
  } else if (v !== undefined && v !== null && typeof v !== 'object') s = String(v);
  if (s === undefined) return undefined;
  return s.indexOf('&') >= 0 ? decodeEntities(s) : s;
}

function txt(n: unknown, name: string): string | undefined {
  return isObj(n) ? textOf(n[name]) : undefined;
}

function attrOf(x: unknown, name: string): string | undefined {
  const v = first(x);
  if (!isObj(v)) return undefined;
  const a = v['@' + name];
  if (a === undefined) return undefined;
  const s = String(a);
  return s.indexOf('&') >= 0 ? decodeEntities(s) : s;
}

function identifier(x: unknown): UblIdentifier | undefined {
  const id = textOf(x);
  if (id === undefined) return undefined;
  const scheme = attrOf(x, 'schemeID');
  return scheme !== undefined ? { id, scheme } : { id };
}

// ---------------------------------------------------------------------------------------------------
// Normalisation

class Ctx {
  findings: Finding[] = [];

  /** `cut`: the texts `cutBinaryContent` took out of the document, by token index. */
  constructor(private readonly cut: string[] | undefined) {}

  /** Text of an EmbeddedDocumentBinaryObject, with the cut text put back as the parser would have read it. */
  binaryText(bin: unknown): string {
    const t = textOf(bin) ?? '';
    if (!this.cut || !t.startsWith(CUT_MARK) || !/^\d+$/.test(t.slice(1))) return t;
    let s = this.cut[Number(t.slice(1))];
    if (s === undefined) return t;
    if (s.indexOf('\r') >= 0) s = s.replace(/\r\n?/g, '\n');
    s = s.trim();
    return s.indexOf('&') >= 0 ? decodeEntities(s) : s;
  }

  /** Optional decimal: undefined when absent, '0' plus a finding when not a number. */
  dec(n: unknown, name: string, what: string): Decimal | undefined {
    const t = txt(n, name);
    if (t === undefined) return undefined;
    const d = normalizeDecimal(t);
    if (d === null) {
      this.findings.push({ severity: 'error', code: 'number', message: `${what} "${t.slice(0, 40)}" is not a decimal number.` });
      return '0';
    }
    return d;
  }

  /** Mandatory decimal: '' when absent (validateUbl reports it). */
  req(n: unknown, name: string, what: string): Decimal {
    return this.dec(n, name, what) ?? '';
  }
}

function normalise(root: Node, isCreditNoteRoot: boolean, cut: string[] | undefined): UblDocument {
  const c = new Ctx(cut);
  const typeCode = txt(root, isCreditNoteRoot ? 'cbc:CreditNoteTypeCode' : 'cbc:InvoiceTypeCode') ?? '';
  // UBL 2.0 (e-FFF) has no CreditNote for invoices: an Invoice with type 381 is a credit note.
  const isCn = isCreditNoteRoot || typeCode === '381';
  const currency = txt(root, 'cbc:DocumentCurrencyCode') ?? '';
  const taxCurrency = txt(root, 'cbc:TaxCurrencyCode');
  const paymentMeansNodes = arr(root['cac:PaymentMeans']);

  const doc: UblDocument = {
    kind: isCn ? 'credit-note' : 'invoice',
    customizationId: txt(root, 'cbc:CustomizationID') ?? '',
    number: txt(root, 'cbc:ID') ?? '',
    issueDate: txt(root, 'cbc:IssueDate') ?? '',
    typeCode,
    notes: arr(root['cbc:Note']).map((x) => textOf(x) ?? ''),
    currency,
    seller: party(child(child(root, 'cac:AccountingSupplierParty'), 'cac:Party')),
    buyer: party(child(child(root, 'cac:AccountingCustomerParty'), 'cac:Party')),
    references: references(root, isCreditNoteRoot),
    attachments: [],
    paymentMeans: paymentMeansNodes.map((pm) => paymentMeans(pm)),
    allowanceCharges: arr(root['cac:AllowanceCharge']).map((x) => allowanceCharge(c, x, true)),
    vatBreakdown: [],
    totals: { lineExtension: '', taxExclusive: '', taxInclusive: '', payable: '', vatTotal: '' },
    lines: [],
  };
  const ublVersion = txt(root, 'cbc:UBLVersionID');
  if (ublVersion !== undefined) doc.ublVersion = ublVersion;
  const profileId = txt(root, 'cbc:ProfileID');
  if (profileId !== undefined) doc.profileId = profileId;
  const dueDate = txt(root, 'cbc:DueDate') ?? paymentMeansNodes.map((pm) => txt(pm, 'cbc:PaymentDueDate')).find((d) => d !== undefined);
  if (dueDate !== undefined) doc.dueDate = dueDate;
  if (taxCurrency !== undefined) doc.taxCurrency = taxCurrency;
  set(doc, 'buyerReference', txt(root, 'cbc:BuyerReference'));
  set(doc, 'accountingCost', txt(root, 'cbc:AccountingCost'));
  const period = periodOf(child(root, 'cac:InvoicePeriod'));
  if (period) doc.invoicePeriod = period;
  set(doc, 'deliveryDate', txt(child(root, 'cac:Delivery'), 'cbc:ActualDeliveryDate'));
  const payee = child(root, 'cac:PayeeParty');
  if (payee) doc.payee = party(payee);
  const terms = arr(root['cac:PaymentTerms'])
    .map((t) => txt(t, 'cbc:Note'))
    .filter((t): t is string => t !== undefined);
  if (terms.length) doc.paymentTerms = terms.join('\n');

  for (const adr of arr(root['cac:AdditionalDocumentReference'])) {
    const id = txt(adr, 'cbc:ID') ?? '';
    const typeCodeAdr = txt(adr, 'cbc:DocumentTypeCode');
    if (typeCodeAdr === '130') {
      doc.references.invoicedObject ??= id;
      continue;
    }
    if (typeCodeAdr === '50' && isCreditNoteRoot) {
      doc.references.project ??= id;
      continue;
    }
    doc.attachments.push(attachment(c, adr, id, typeCodeAdr));
  }

  // VAT: the TaxTotal in the document currency carries the breakdown; one in the tax currency gives BT-111.
  let vatTotal: Decimal | undefined;
  for (const tt of arr(root['cac:TaxTotal'])) {
    const amountNode = isObj(tt) ? tt['cbc:TaxAmount'] : undefined;
    const cur = attrOf(amountNode, 'currencyID');
    const amount = c.dec(tt, 'cbc:TaxAmount', 'VAT total');
    if (taxCurrency && taxCurrency !== currency && cur === taxCurrency) {
      if (amount !== undefined) doc.totals.vatTotalInTaxCurrency = amount;
      continue;
    }
    if (vatTotal === undefined && amount !== undefined) vatTotal = amount;
    for (const st of arr(isObj(tt) ? tt['cac:TaxSubtotal'] : undefined)) doc.vatBreakdown.push(vatSubtotal(c, st));
  }
  const lmt = child(root, 'cac:LegalMonetaryTotal');
  const t = doc.totals;
  t.lineExtension = c.req(lmt, 'cbc:LineExtensionAmount', 'Line extension amount');
  t.taxExclusive = c.req(lmt, 'cbc:TaxExclusiveAmount', 'Tax exclusive amount');
  t.taxInclusive = c.req(lmt, 'cbc:TaxInclusiveAmount', 'Tax inclusive amount');
  set(t, 'allowanceTotal', c.dec(lmt, 'cbc:AllowanceTotalAmount', 'Allowance total'));
  set(t, 'chargeTotal', c.dec(lmt, 'cbc:ChargeTotalAmount', 'Charge total'));
  set(t, 'prepaid', c.dec(lmt, 'cbc:PrepaidAmount', 'Prepaid amount'));
  set(t, 'rounding', c.dec(lmt, 'cbc:PayableRoundingAmount', 'Rounding amount'));
  t.payable = c.req(lmt, 'cbc:PayableAmount', 'Payable amount');
  t.vatTotal = vatTotal ?? '';

  const lineNodes = arr(root[isCreditNoteRoot ? 'cac:CreditNoteLine' : 'cac:InvoiceLine']);
  doc.lines = lineNodes.map((l) => line(c, l, isCreditNoteRoot));
  if (c.findings.length) doc.parseFindings = c.findings;
  return doc;
}

/** Assigns only defined values, so absent elements stay absent (not `undefined`-valued keys). */
function set<T extends object, K extends keyof T>(o: T, k: K, v: T[K] | undefined) {
  if (v !== undefined) o[k] = v;
}

function periodOf(p: Node | undefined): { start?: string; end?: string } | undefined {
  if (!p) return undefined;
  const r: { start?: string; end?: string } = {};
  set(r, 'start', txt(p, 'cbc:StartDate'));
  set(r, 'end', txt(p, 'cbc:EndDate'));
  return r.start !== undefined || r.end !== undefined ? r : undefined;
}

const ENTERPRISE_SCHEMES = new Set(['0208', '9956', 'BE:CBE', 'BE:KBO', 'BE:BCE', 'BE:EN']);
const VAT_SCHEMES = new Set(['9925', 'BE:VAT']);

function party(p: Node | undefined): UblParty {
  const out: UblParty = { name: '', identifiers: [] };
  if (!p) return out;
  const legal = child(p, 'cac:PartyLegalEntity');
  const registrationName = txt(legal, 'cbc:RegistrationName');
  out.name = txt(child(p, 'cac:PartyName'), 'cbc:Name') ?? registrationName ?? '';
  set(out, 'registrationName', registrationName);
  const endpoint = identifier(p['cbc:EndpointID']);
  set(out, 'endpoint', endpoint);
  for (const pi of arr(p['cac:PartyIdentification'])) {
    const id = identifier(isObj(pi) ? pi['cbc:ID'] : undefined);
    if (id) out.identifiers.push(id);
  }
  const legalId = identifier(legal?.['cbc:CompanyID']);
  set(out, 'legalId', legalId);

  let vatRaw: string | undefined;
  const schemes = arr(p['cac:PartyTaxScheme']);
  for (const ts of schemes) {
    const schemeId = txt(child(ts, 'cac:TaxScheme'), 'cbc:ID');
    const id = txt(ts, 'cbc:CompanyID');
    if (id !== undefined && (schemeId === undefined || schemeId.toUpperCase() === 'VAT' || schemeId === 'VA')) {
      vatRaw = id;
      break;
    }
  }
  if (vatRaw !== undefined) {
    const v = parseVat(vatRaw);
    out.vatNumber = v.ok ? v.value.normalized : vatRaw.trim();
  }

  const addr = child(p, 'cac:PostalAddress');
  if (addr) {
    const a: UblAddress = {};
    set(a, 'street', txt(addr, 'cbc:StreetName'));
    set(a, 'additionalStreet', txt(addr, 'cbc:AdditionalStreetName'));
    set(a, 'city', txt(addr, 'cbc:CityName'));
    set(a, 'postalCode', txt(addr, 'cbc:PostalZone'));
    set(a, 'countrySubentity', txt(addr, 'cbc:CountrySubentity'));
    set(a, 'addressLine', txt(child(addr, 'cac:AddressLine'), 'cbc:Line'));
    set(a, 'country', txt(child(addr, 'cac:Country'), 'cbc:IdentificationCode'));
    out.address = a;
  }
  const contact = child(p, 'cac:Contact');
  if (contact) {
    const k: { name?: string; phone?: string; email?: string } = {};
    set(k, 'name', txt(contact, 'cbc:Name'));
    set(k, 'phone', txt(contact, 'cbc:Telephone'));
    set(k, 'email', txt(contact, 'cbc:ElectronicMail'));
    out.contact = k;
  }

  // Enterprise number: explicit Belgian schemes first, then a Belgian VAT number.
  const candidates: { raw: string; kind: 'enterprise' | 'vat' }[] = [];
  const consider = (id: UblIdentifier | undefined) => {
    if (!id?.scheme) return;
    const scheme = id.scheme.toUpperCase();
    if (ENTERPRISE_SCHEMES.has(scheme)) candidates.push({ raw: id.id, kind: 'enterprise' });
    else if (VAT_SCHEMES.has(scheme)) candidates.push({ raw: id.id, kind: 'vat' });
  };
  consider(legalId);
  consider(endpoint);
  out.identifiers.forEach(consider);
  if (vatRaw !== undefined && /^\s*BE/i.test(vatRaw)) candidates.push({ raw: vatRaw, kind: 'vat' });
  if (legalId && !legalId.scheme && out.address?.country === 'BE' && /^\s*(BE)?\s*[01]?\d{3}[.\s]?\d{3}[.\s]?\d{3}\s*$/i.test(legalId.id)) {
    candidates.push({ raw: legalId.id, kind: 'enterprise' });
  }
  for (const cand of candidates) {
    const r = cand.kind === 'vat' ? parseVat(cand.raw, { belgianOnly: true }) : parseEnterpriseNumber(cand.raw);
    if (r.ok) {
      out.enterpriseNumber ??= typeof r.value === 'string' ? r.value : r.value.number;
    } else if (r.reason !== 'country') {
      out.enterpriseNumberInvalid ??= cand.raw.trim();
    }
  }
  return out;
}

function references(root: Node, isCreditNoteRoot: boolean): UblReferences {
  const r: UblReferences = { invoices: [] };
  const order = child(root, 'cac:OrderReference');
  if (order) {
    set(r, 'order', txt(order, 'cbc:ID'));
    set(r, 'salesOrder', txt(order, 'cbc:SalesOrderID'));
  }
  set(r, 'contract', txt(child(root, 'cac:ContractDocumentReference'), 'cbc:ID'));
  if (!isCreditNoteRoot) set(r, 'project', txt(child(root, 'cac:ProjectReference'), 'cbc:ID'));
  set(r, 'despatch', txt(child(root, 'cac:DespatchDocumentReference'), 'cbc:ID'));
  set(r, 'receipt', txt(child(root, 'cac:ReceiptDocumentReference'), 'cbc:ID'));
  set(r, 'originator', txt(child(root, 'cac:OriginatorDocumentReference'), 'cbc:ID'));
  for (const br of arr(root['cac:BillingReference'])) {
    const inv = child(br, 'cac:InvoiceDocumentReference');
    if (!inv) continue;
    const ref: { id: string; issueDate?: string } = { id: txt(inv, 'cbc:ID') ?? '' };
    set(ref, 'issueDate', txt(inv, 'cbc:IssueDate'));
    r.invoices.push(ref);
  }
  return r;
}

function attachment(c: Ctx, adr: unknown, id: string, documentTypeCode: string | undefined): UblAttachment {
  const a: UblAttachment = { id };
  set(a, 'documentTypeCode', documentTypeCode);
  set(a, 'description', txt(adr, 'cbc:DocumentDescription'));
  const att = child(adr, 'cac:Attachment');
  if (att) {
    const bin = att['cbc:EmbeddedDocumentBinaryObject'];
    if (bin !== undefined) {
      set(a, 'mimeType', attrOf(bin, 'mimeCode'));
      set(a, 'filename', attrOf(bin, 'filename'));
      const content = decodeBase64(c.binaryText(bin));
      if (content) a.content = content;
      else c.findings.push({ severity: 'error', code: 'attachment', message: `Attachment "${id}" is not valid base64.` });
    }
    set(a, 'uri', txt(child(att, 'cac:ExternalReference'), 'cbc:URI'));
  }
  return a;
}

function paymentMeans(pm: unknown): UblPaymentMeans {
  const out: UblPaymentMeans = { code: txt(pm, 'cbc:PaymentMeansCode') ?? '' };
  const paymentId = txt(pm, 'cbc:PaymentID') ?? txt(pm, 'cbc:InstructionID');
  if (paymentId !== undefined) {
    out.paymentId = paymentId;
    const s = parseStructuredCommunication(paymentId);
    if (s.ok) out.structuredCommunication = s.value;
  }
  const acc = child(pm, 'cac:PayeeFinancialAccount');
  if (acc) {
    const id = txt(acc, 'cbc:ID');
    if (id !== undefined) out.account = normalizeIban(id) ?? id.trim();
    set(out, 'accountName', txt(acc, 'cbc:Name'));
    const branch = child(acc, 'cac:FinancialInstitutionBranch');
    set(out, 'bic', txt(branch, 'cbc:ID') ?? txt(child(branch, 'cac:FinancialInstitution'), 'cbc:ID'));
  }
  set(out, 'mandateId', txt(child(pm, 'cac:PaymentMandate'), 'cbc:ID'));
  return out;
}

function allowanceCharge(c: Ctx, x: unknown, documentLevel: boolean): UblAllowanceCharge {
  const indicator = (txt(x, 'cbc:ChargeIndicator') ?? '').trim().toLowerCase();
  const ac: UblAllowanceCharge = { isCharge: indicator === 'true' || indicator === '1', amount: c.req(x, 'cbc:Amount', 'Allowance/charge amount') };
  set(ac, 'baseAmount', c.dec(x, 'cbc:BaseAmount', 'Allowance/charge base amount'));
  set(ac, 'percent', c.dec(x, 'cbc:MultiplierFactorNumeric', 'Allowance/charge percentage'));
  set(ac, 'reason', txt(x, 'cbc:AllowanceChargeReason'));
  set(ac, 'reasonCode', txt(x, 'cbc:AllowanceChargeReasonCode'));
  if (documentLevel) {
    const cat = child(x, 'cac:TaxCategory');
    set(ac, 'vatCategory', txt(cat, 'cbc:ID'));
    set(ac, 'vatRate', c.dec(cat, 'cbc:Percent', 'VAT rate'));
  }
  return ac;
}

function vatSubtotal(c: Ctx, st: unknown): UblVatSubtotal {
  const cat = child(st, 'cac:TaxCategory');
  const out: UblVatSubtotal = {
    category: txt(cat, 'cbc:ID') ?? '',
    taxableAmount: c.req(st, 'cbc:TaxableAmount', 'VAT taxable amount'),
    taxAmount: c.req(st, 'cbc:TaxAmount', 'VAT amount'),
  };
  set(out, 'rate', c.dec(cat, 'cbc:Percent', 'VAT rate') ?? c.dec(st, 'cbc:Percent', 'VAT rate'));
  set(out, 'exemptionReason', txt(cat, 'cbc:TaxExemptionReason'));
  set(out, 'exemptionReasonCode', txt(cat, 'cbc:TaxExemptionReasonCode'));
  return out;
}

function line(c: Ctx, l: unknown, isCreditNoteRoot: boolean): UblLine {
  const qtyName = isCreditNoteRoot ? 'cbc:CreditedQuantity' : 'cbc:InvoicedQuantity';
  const item = child(l, 'cac:Item');
  const price = child(l, 'cac:Price');
  // BIS 3.0: Item/ClassifiedTaxCategory; e-FFF (UBL 2.0) often puts the category in the line's TaxTotal.
  const cat = child(item, 'cac:ClassifiedTaxCategory') ?? child(child(child(l, 'cac:TaxTotal'), 'cac:TaxSubtotal'), 'cac:TaxCategory');
  const out: UblLine = {
    id: txt(l, 'cbc:ID') ?? '',
    quantity: c.req(l, qtyName, 'Quantity'),
    lineExtensionAmount: c.req(l, 'cbc:LineExtensionAmount', 'Line net amount'),
    name: txt(item, 'cbc:Name') ?? '',
    price: c.req(price, 'cbc:PriceAmount', 'Item price'),
    vatCategory: txt(cat, 'cbc:ID') ?? '',
    allowanceCharges: arr(isObj(l) ? l['cac:AllowanceCharge'] : undefined).map((x) => allowanceCharge(c, x, false)),
  };
  set(out, 'unitCode', attrOf(isObj(l) ? l[qtyName] : undefined, 'unitCode'));
  set(out, 'description', txt(item, 'cbc:Description'));
  set(out, 'sellersItemId', txt(child(item, 'cac:SellersItemIdentification'), 'cbc:ID'));
  set(out, 'buyersItemId', txt(child(item, 'cac:BuyersItemIdentification'), 'cbc:ID'));
  const std = child(item, 'cac:StandardItemIdentification');
  set(out, 'standardItemId', identifier(std?.['cbc:ID']));
  set(out, 'baseQuantity', c.dec(price, 'cbc:BaseQuantity', 'Price base quantity'));
  set(out, 'vatRate', c.dec(cat, 'cbc:Percent', 'VAT rate'));
  set(out, 'note', txt(l, 'cbc:Note'));
  set(out, 'accountingCost', txt(l, 'cbc:AccountingCost'));
  set(out, 'orderLineReference', txt(child(l, 'cac:OrderLineReference'), 'cbc:LineID'));
  const period = periodOf(child(l, 'cac:InvoicePeriod'));
  if (period) out.period = period;
  return out;
}
