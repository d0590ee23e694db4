/**
 * UBL parser: Invoice / CreditNote, UBL 2.1 (Peppol BIS 3.0, UBL.BE) and UBL 2.0 (e-FFF), bare or inside a
 * Standard Business Document, into the model of `./model`.
 *
 * One fast-xml-parser pass. Namespaces are resolved by URI, not by prefix, inside that pass: the parser's
 * `updateTag` hook renames every element to a canonical `cbc:` / `cac:` / `inv:` / `cn:` / `sbdh:` name (other
 * namespaces become `{uri}local`) using a scoped prefix map, so a file that writes `<ns2:ID>` or declares the
 * UBL namespace as default reads the same as one that writes `<cbc:ID>`. Normalization then walks only the
 * elements it needs. The base64 text of embedded attachments is set aside before that pass and handed back
 * to the normalizer (`cutBinaryContent`): the parser reads text one character at a time.
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
  /**
   * Refuse a document whose XML, embedded files and invoice lines aside, is longer (characters). Default 8 Mi:
   * a real invoice's header is a few kilobytes.
   */
  maxStructureChars?: number;
  /**
   * Refuse a document whose XML, embedded files aside, is longer (characters). Default 32 Mi (some 60,000
   * invoice lines): reading one takes about 9× its length in memory, and the app keeps any read under 512 MB.
   */
  maxTextChars?: number;
}

const DEFAULTS = { maxBytes: 64 * 1024 * 1024, maxDepth: 64, maxAttributes: 64, maxStructureChars: 8 * 1024 * 1024, maxTextChars: 32 * 1024 * 1024 };

/** Documents longer than this (embedded files aside) are read a line at a time. */
const LINES_APART_CHARS = 512 * 1024;

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

const fatalUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * `decodeXmlBytes`, telling where UTF-8 is invalid: XML parsers refuse such a file, where a lenient decoder
 * would quietly put U+FFFD in place of the bytes.
 */
function decodeXmlText(bytes: Uint8Array): { text: string; invalidAt?: number; invalidLine?: number } {
  const text = decodeXmlBytes(bytes);
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  const utf8 = bom || !(bytes[0] === 0xff && bytes[1] === 0xfe) && !(bytes[0] === 0xfe && bytes[1] === 0xff);
  if (!utf8 || text.indexOf('\uFFFD') < 0) return { text };
  try {
    fatalUtf8.decode(bytes);
    return { text }; // a real U+FFFD written in the file, or a single-byte encoding declared
  } catch {
    // not valid UTF-8 (or a declared single-byte encoding, which decodeXmlBytes honoured: no U+FFFD then)
  }
  const at = firstInvalidUtf8(bytes);
  if (at < 0) return { text };
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
  return { text, invalidAt: at, invalidLine: line };
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence; -1 when all are valid. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    const n = c < 0x80 ? 1 : c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (!n) return i;
    for (let k = 1; k < n; k++) if (((b[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    if (n === 3 && ((c === 0xe0 && b[i + 1]! < 0xa0) || (c === 0xed && b[i + 1]! >= 0xa0))) return i; // overlong, surrogate
    if (n === 4 && ((c === 0xf0 && b[i + 1]! < 0x90) || (c === 0xf4 && b[i + 1]! >= 0x90))) return i;
    i += n;
  }
  return -1;
}

/**
 * Entity and character references an XML parser refuses: an entity that is not one of the five predefined
 * (`&xxe;`: no DTD declares it, and none is allowed), or a character reference to a character XML forbids
 * (`&#0;`, a lone surrogate `&#xD800;`, beyond U+10FFFF). fast-xml-parser reads them as text; each kind is a
 * finding, at its first line. Comments and CDATA sections are left out (references are not recognised there).
 */
function referenceProblems(xml: string): Finding[] {
  const out: Finding[] = [];
  if (xml.indexOf('&') < 0) return out;
  const skipped: Array<[number, number]> = [];
  for (let i = xml.indexOf('<!'); i >= 0; i = xml.indexOf('<!', i + 2)) {
    const end = xml.startsWith('<!--', i) ? xml.indexOf('-->', i + 4) : xml.startsWith('<![CDATA[', i) ? xml.indexOf(']]>', i) : -2;
    if (end === -2) continue;
    skipped.push([i, end < 0 ? xml.length : end]);
    if (end < 0) break;
    i = end;
  }
  let entity: { at: number; text: string } | null = null;
  let char: { at: number; text: string } | null = null;
  let k = 0;
  for (let i = xml.indexOf('&'); i >= 0 && (!entity || !char); i = xml.indexOf('&', i + 1)) {
    while (k < skipped.length && skipped[k]![1] < i) k++;
    if (k < skipped.length && skipped[k]![0] <= i) continue;
    const m = /^&(#x[0-9a-fA-F]+|#[0-9]+|[A-Za-z_:][\w.:-]*);/.exec(xml.slice(i, i + 40));
    if (!m) {
      entity ??= { at: i, text: xml.slice(i, i + 12).split(/[\s<]/)[0]! };
      continue;
    }
    const ref = m[1]!;
    if (ref[0] === '#') {
      const cp = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      const allowed = cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff);
      if (!allowed) char ??= { at: i, text: m[0] };
    } else if (!(ref in PREDEFINED)) entity ??= { at: i, text: m[0] };
  }
  const lineAt = (at: number) => {
    let line = 1;
    for (let i = xml.indexOf('\n'); i >= 0 && i < at; i = xml.indexOf('\n', i + 1)) line++;
    return line;
  };
  if (entity) {
    out.push({
      severity: 'error',
      code: 'xml-entity',
      message: `"${entity.text}" is not one of XML's five predefined entities and no declaration may define it: XML parsers refuse the file (it was read as text here).`,
      rules: ['XML', 'XSD'],
      line: lineAt(entity.at),
    });
  }
  if (char) {
    out.push({
      severity: 'error',
      code: 'xml-character',
      message: `The character reference "${char.text}" names a character XML does not allow (NUL, a lone surrogate, a control character): XML parsers refuse the file.`,
      rules: ['XML', 'XSD'],
      line: lineAt(char.at),
    });
  }
  return out;
}

const PREDEFINED: Record<string, true> = { amp: true, lt: true, gt: true, quot: true, apos: true };

/**
 * The invoice lines of a large document cut out of it: the document without them (`header`), each line's
 * element text, and the start and end tags of the line's ancestors (`prefix`/`suffix`), which declare the
 * namespaces a line's prefixes mean. Null when the markup cannot be followed (the document is then parsed
 * whole, or refused by size).
 */
function splitLines(xml: string): { header: string; prefix: string; suffix: string; lines: string[] } | null {
  const stack: string[] = [];
  const ranges: Array<[number, number]> = [];
  let rootDepth = -1;
  let lineStart = -1;
  let at = 0;
  for (;;) {
    const lt = xml.indexOf('<', at);
    if (lt < 0) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 33 /* ! */) {
      const end = xml.startsWith('<!--', lt) ? xml.indexOf('-->', lt + 4) + 3 : xml.startsWith('<![CDATA[', lt) ? xml.indexOf(']]>', lt) + 3 : -1;
      if (end < 3) return null;
      at = end;
      continue;
    }
    if (c1 === 63 /* ? */) {
      const end = xml.indexOf('?>', lt);
      if (end < 0) return null;
      at = end + 2;
      continue;
    }
    let gt = lt + 1;
    for (let quote = 0; gt < xml.length; gt++) {
      const ch = xml.charCodeAt(gt);
      if (quote) {
        if (ch === quote) quote = 0;
      } else if (ch === 34 || ch === 39) quote = ch;
      else if (ch === 62) break;
    }
    if (gt >= xml.length) return null;
    at = gt + 1;
    if (c1 === 47 /* end tag */) {
      const open = stack.pop();
      if (!open) return null;
      if (lineStart >= 0 && stack.length === rootDepth + 1) {
        ranges.push([lineStart, at]);
        lineStart = -1;
      }
      continue;
    }
    const raw = /^<([^\s/>]+)/.exec(xml.slice(lt, Math.min(gt + 1, lt + 200)))?.[1] ?? '';
    const local = raw.slice(raw.indexOf(':') + 1);
    const selfClosing = xml.charCodeAt(gt - 1) === 47;
    if (rootDepth < 0 && (local === 'Invoice' || local === 'CreditNote')) rootDepth = stack.length;
    if (rootDepth >= 0 && stack.length === rootDepth + 1 && lineStart < 0 && (local === 'InvoiceLine' || local === 'CreditNoteLine')) {
      if (selfClosing) ranges.push([lt, at]);
      else lineStart = lt;
    }
    if (!selfClosing && stack.push(local) > 256) return null; // nests deeper than any invoice: the parser's depth limit refuses it
  }
  if (rootDepth < 0 || !ranges.length || stack.length) return null;
  // The ancestors of a line: the elements open at the first line's start, re-read up to it.
  const first = ranges[0]![0];
  at = 0;
  const ancestors: Array<{ start: number; end: number; raw: string }> = [];
  while (at < first) {
    const lt = xml.indexOf('<', at);
    if (lt < 0 || lt >= first) break;
    const c1 = xml.charCodeAt(lt + 1);
    if (c1 === 33) {
      at = xml.startsWith('<!--', lt) ? xml.indexOf('-->', lt + 4) + 3 : xml.indexOf(']]>', lt) + 3;
      continue;
    }
    if (c1 === 63) {
      at = xml.indexOf('?>', lt) + 2;
      continue;
    }
    let gt = lt + 1;
    for (let quote = 0; gt < xml.length; gt++) {
      const ch = xml.charCodeAt(gt);
      if (quote) {
        if (ch === quote) quote = 0;
      } else if (ch === 34 || ch === 39) quote = ch;
      else if (ch === 62) break;
    }
    at = gt + 1;
    if (c1 === 47) ancestors.pop();
    else if (xml.charCodeAt(gt - 1) !== 47) ancestors.push({ start: lt, end: at, raw: /^<([^\s/>]+)/.exec(xml.slice(lt, lt + 200))?.[1] ?? '' });
  }
  const parts: string[] = [];
  let copied = 0;
  for (const [a, b] of ranges) {
    parts.push(xml.slice(copied, a));
    copied = b;
  }
  parts.push(xml.slice(copied));
  return {
    header: parts.join(''),
    prefix: ancestors.map((e) => xml.slice(e.start, e.end)).join(''),
    suffix: ancestors.map((e) => `</${e.raw}>`).reverse().join(''),
    lines: ranges.map(([a, b]) => xml.slice(a, b)),
  };
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
  if (size > o.maxBytes) {
    return fail('too-large', `The file is ${size} bytes; the limit is ${o.maxBytes} (${Math.round(o.maxBytes / 1048576)} MB). It is not read, to keep the app's memory bounded.`);
  }
  let xml: string;
  const findings: Finding[] = [];
  try {
    if (typeof input === 'string') xml = input;
    else {
      const decoded = decodeXmlText(input);
      xml = decoded.text;
      if (decoded.invalidAt !== undefined) {
        findings.push({
          severity: 'error',
          code: 'encoding',
          message: `The file is not valid UTF-8 (first invalid byte at offset ${decoded.invalidAt}); the characters there are unreadable and were replaced. XML parsers, Venice's included, refuse such a file.`,
          rules: ['XML', 'XSD'],
          line: decoded.invalidLine,
        });
      }
    }
  } catch {
    return fail('not-xml', 'The bytes cannot be decoded as text.');
  }
  if (xml.charCodeAt(0) === 0xfeff) xml = xml.slice(1);
  if (xml.trim().length === 0) return fail('empty', 'The file is empty.');
  if (!/^\s*</.test(xml)) return fail('not-xml', 'Not XML: the file does not start with "<".');
  const refused = findDtd(xml);
  if (refused) return fail('doctype-refused', refused);
  findings.push(...referenceProblems(xml));

  const { parser, ns } = bundle(o.maxDepth, o.maxAttributes);
  ns.reset();
  let cut = cutBinaryContent(xml);
  const text = cut ? cut.xml : xml;
  if (text.length > o.maxTextChars) {
    return fail('too-large', `The XML, embedded files aside, is ${text.length} characters; documents above ${o.maxTextChars} (about 60,000 invoice lines) are not read, to keep the app's memory bounded.`);
  }
  // A large document is read a line at a time: the parser's tree of a whole 50 MB invoice took ~10× its size.
  let lines = (cut ? cut.xml : xml).length > LINES_APART_CHARS ? splitLines(cut ? cut.xml : xml) : null;
  if (lines && lines.header.length > o.maxStructureChars) {
    return fail('too-large', `The invoice without its lines is ${lines.header.length} characters; the limit is ${o.maxStructureChars}.`);
  }
  if (!lines && (cut ? cut.xml : xml).length > o.maxStructureChars) {
    return fail('too-large', `The XML (embedded files aside) is ${(cut ? cut.xml : xml).length} characters; the limit is ${o.maxStructureChars}.`);
  }
  let tree: Record<string, unknown>;
  try {
    try {
      tree = objectTree(parser.parse(lines ? lines.header : cut ? cut.xml : xml) as OrderedNode[]);
    } catch (e) {
      if (!cut && !lines) throw e;
      // Report the failure of the document as written (positions in messages included): parse it untouched.
      cut = null;
      lines = null;
      ns.reset();
      if (xml.length > o.maxStructureChars) throw e;
      tree = objectTree(parser.parse(xml) as OrderedNode[]);
    }
  } catch (e) {
    return parseFailure(e, o.maxDepth);
  }
  if (!endsWithRoot(xml, ns.rootRawName)) {
    return fail('not-xml', 'The XML is incomplete: it does not end with the closing tag of its root element.');
  }
  try {
    const found = ublRoot(tree);
    if (!found) {
      const name = Object.keys(tree).filter((k) => !k.startsWith('@') && k !== '#text')[0] ?? 'nothing';
      return fail('not-ubl', `Not a UBL invoice or credit note: the root element is ${name}, not Invoice or CreditNote in the UBL namespace.`);
    }
    const isCreditNote = found.name === 'CreditNote';
    let lineNodes: ((c: Ctx) => UblLine[]) | undefined;
    if (lines) {
      const apart = lines;
      // Lines are parsed a group at a time (about LINES_APART_CHARS of text): small enough to bound the
      // parser's tree, large enough that the ancestors' start tags are not parsed again for every line.
      lineNodes = (c) => {
        const out: UblLine[] = [];
        for (let i = 0; i < apart.lines.length; ) {
          let j = i;
          let chars = 0;
          while (j < apart.lines.length && (j === i || chars + apart.lines[j]!.length <= LINES_APART_CHARS)) chars += apart.lines[j++]!.length;
          ns.reset();
          const part = ublRoot(objectTree(parser.parse(apart.prefix + apart.lines.slice(i, j).join('') + apart.suffix) as OrderedNode[]));
          for (const node of part ? arr(part.root[isCreditNote ? 'cac:CreditNoteLine' : 'cac:InvoiceLine']) : []) out.push(line(c, node, isCreditNote));
          i = j;
        }
        return out;
      };
    }
    const doc = normalize(found.root, isCreditNote, cut?.contents, lineNodes);
    if (findings.length) doc.parseFindings = [...findings, ...(doc.parseFindings ?? [])];
    return { ok: true, value: doc };
  } catch (e) {
    if (e instanceof LimitError || /nested tags/i.test((e as Error)?.message ?? '')) return parseFailure(e, o.maxDepth);
    if (lines) return fail('not-xml', `Not well-formed XML in an invoice line: ${(e as Error)?.message ?? String(e)}`);
    return fail('internal', `UBL normalization failed: ${(e as Error)?.message ?? String(e)}`);
  }
}

function parseFailure(e: unknown, maxDepth: number): ParseResult<UblDocument> {
  if (e instanceof LimitError) return fail('limit-exceeded', e.message);
  const msg = (e as Error)?.message ?? String(e);
  if (/nested tags/i.test(msg)) return fail('limit-exceeded', `Elements nest deeper than ${maxDepth} levels.`);
  return fail('not-xml', `Not well-formed XML: ${msg}`);
}

/** The Invoice or CreditNote element of a parsed tree, bare or inside a Standard Business Document. */
function ublRoot(tree: Node): { root: Node; name: 'Invoice' | 'CreditNote' } | null {
  let root: unknown = tree['inv:Invoice'];
  let name: 'Invoice' | 'CreditNote' = 'Invoice';
  if (root === undefined && tree['cn:CreditNote'] !== undefined) {
    root = tree['cn:CreditNote'];
    name = 'CreditNote';
  }
  const sbd = tree['sbdh:StandardBusinessDocument'];
  if (root === undefined && isObj(sbd)) {
    if (sbd['inv:Invoice'] !== undefined) root = sbd['inv:Invoice'];
    else if (sbd['cn:CreditNote'] !== undefined) {
      root = sbd['cn:CreditNote'];
      name = 'CreditNote';
    }
  }
  if (Array.isArray(root)) root = root[0];
  return isObj(root) ? { root, name } : null;
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
 * the normalizer swaps the token back (`binaryText`). Only plain text is cut — the characters between the
 * start tag's `>` and the next `<`, when that `<` begins an end tag — so the parser builds the same tree,
 * and the cut text gets the same treatment the parser would have given it (line ends, trimming).
 *
 * The scan follows fast-xml-parser's own reading of the markup (comments, CDATA, processing instructions,
 * quoted attribute values, which may hold `>`) up to the last binary, so nothing inside those is taken for
 * an element. Anything it cannot follow (a DTD, an unterminated tag, comment or section, a document that
 * already contains CUT_MARK) returns null: the document is then parsed untouched. When the parser fails
 * on a cut document, `parseUbl` parses the untouched one again, so a bad document gives the very same
 * error either way. The prefix is not resolved here: every element with this local name is cut, and the
 * normalizer only ever reads the one in the UBL cbc namespace.
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
// Normalization

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
      this.findings.push({ severity: 'error', code: 'number', message: `${what} "${t.slice(0, 40)}" is not a decimal number.`, rules: ['XSD'] });
      return '0';
    }
    return d;
  }

  /** Mandatory decimal: '' when absent (validateUbl reports it). */
  req(n: unknown, name: string, what: string): Decimal {
    return this.dec(n, name, what) ?? '';
  }
}

/** `lines`: the document's lines when they were read apart (large documents), else they are read from `root`. */
function normalize(root: Node, isCreditNoteRoot: boolean, cut: string[] | undefined, lines?: (c: Ctx) => UblLine[]): UblDocument {
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

  doc.lines = lines ? lines(c) : arr(root[isCreditNoteRoot ? 'cac:CreditNoteLine' : 'cac:InvoiceLine']).map((l) => line(c, l, isCreditNoteRoot));
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
      else c.findings.push({ severity: 'error', code: 'attachment', message: `Attachment "${id}" is not valid base64.`, rules: ['XSD'] });
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
  // BIS 3.0: Item/ClassifiedTaxCategory. e-FFF (UBL 2.0) puts the category, and often the rate, in the line's
  // TaxTotal/TaxSubtotal: the rate in TaxCategory/Percent or in the subtotal's own Percent (a UBL 2.0 element).
  const classified = child(item, 'cac:ClassifiedTaxCategory');
  const lineSubtotal = child(child(l, 'cac:TaxTotal'), 'cac:TaxSubtotal');
  const subtotalCategory = child(lineSubtotal, 'cac:TaxCategory');
  const out: UblLine = {
    id: txt(l, 'cbc:ID') ?? '',
    quantity: c.req(l, qtyName, 'Quantity'),
    lineExtensionAmount: c.req(l, 'cbc:LineExtensionAmount', 'Line net amount'),
    name: txt(item, 'cbc:Name') ?? '',
    price: c.req(price, 'cbc:PriceAmount', 'Item price'),
    vatCategory: txt(classified, 'cbc:ID') ?? txt(subtotalCategory, 'cbc:ID') ?? '',
    allowanceCharges: arr(isObj(l) ? l['cac:AllowanceCharge'] : undefined).map((x) => allowanceCharge(c, x, false)),
  };
  set(out, 'unitCode', attrOf(isObj(l) ? l[qtyName] : undefined, 'unitCode'));
  set(out, 'description', txt(item, 'cbc:Description'));
  set(out, 'sellersItemId', txt(child(item, 'cac:SellersItemIdentification'), 'cbc:ID'));
  set(out, 'buyersItemId', txt(child(item, 'cac:BuyersItemIdentification'), 'cbc:ID'));
  const std = child(item, 'cac:StandardItemIdentification');
  set(out, 'standardItemId', identifier(std?.['cbc:ID']));
  set(out, 'baseQuantity', c.dec(price, 'cbc:BaseQuantity', 'Price base quantity'));
  set(out, 'vatRate', c.dec(classified, 'cbc:Percent', 'VAT rate') ?? c.dec(subtotalCategory, 'cbc:Percent', 'VAT rate') ?? c.dec(lineSubtotal, 'cbc:Percent', 'VAT rate'));
  set(out, 'note', txt(l, 'cbc:Note'));
  set(out, 'accountingCost', txt(l, 'cbc:AccountingCost'));
  set(out, 'orderLineReference', txt(child(l, 'cac:OrderLineReference'), 'cbc:LineID'));
  const period = periodOf(child(l, 'cac:InvoicePeriod'));
  if (period) out.period = period;
  return out;
}
