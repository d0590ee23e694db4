/**
 * File and folder names that are safe on Windows (NTFS, SMB shares), macOS (APFS, HFS+) and Linux,
 * whatever a document number or a dossier name contains.
 *
 * A safe segment never contains a path separator (nor anything that some layer could turn into one:
 * U+2215, U+FF0F, U+2044 and the other look-alikes that Windows' "best fit" code-page mapping or an NFKC
 * normalizer folds to `/` or `\`), is never `.` or `..`, never starts with a dot (so it can neither hide
 * itself nor collide with the export manifest, temp or lock files, which all start with a dot), never ends
 * with a dot or a space (Windows drops them), is never a reserved device name (`CON`, `NUL`, `COM1`,
 * `LPT¹`…), has no control, invisible or bidirectional-override characters, is NFC, and fits in a byte
 * budget; a name cut to fit keeps its extension and gets a short hash of the full name so that two long
 * names that differ only at the end stay different.
 *
 * Pure: no Node or browser APIs beyond `String` and `Intl`.
 */

export type SafeNameNote =
  | 'normalized'
  | 'look-alike'
  | 'separator'
  | 'forbidden-character'
  | 'control-character'
  | 'invisible-character'
  | 'leading-dot'
  | 'trailing-dot-or-space'
  | 'whitespace'
  | 'reserved-name'
  | 'truncated'
  | 'empty';

export interface SafeName {
  name: string;
  /** True when the result differs from the input; `notes` says why, so nothing changes silently. */
  changed: boolean;
  notes: SafeNameNote[];
}

/** Longest folder segment, in UTF-8 bytes (255 is the hard limit of NTFS, APFS and ext4). */
export const maxFolderSegmentBytes = 100;
/** Longest file name, in UTF-8 bytes, leaving room for a conflict suffix such as " (12)". */
export const maxFileNameBytes = 150;

/** Characters that some layer may read as a path separator; all become `/` before the rules below. */
const slashLookAlikes = [
  '\u2215', // DIVISION SLASH
  '\u2044', // FRACTION SLASH
  '\uFF0F', // FULLWIDTH SOLIDUS
  '\u29F8', // BIG SOLIDUS
  '\u2571', // BOX DRAWINGS LIGHT DIAGONAL UPPER RIGHT TO LOWER LEFT
  '\u27CB', // MATHEMATICAL RISING DIAGONAL
  '\u0337', // COMBINING SHORT SOLIDUS OVERLAY
  '\u0338', // COMBINING LONG SOLIDUS OVERLAY
  '\u1735', // PHILIPPINE SINGLE PUNCTUATION
  '\uFF3C', // FULLWIDTH REVERSE SOLIDUS
  '\uFE68', // SMALL REVERSE SOLIDUS
  '\u2216', // SET MINUS
  '\u29F5', // REVERSE SOLIDUS OPERATOR
  '\u29F9', // BIG REVERSE SOLIDUS
  '\u2572', // BOX DRAWINGS LIGHT DIAGONAL UPPER LEFT TO LOWER RIGHT
  '\u27CD', // MATHEMATICAL FALLING DIAGONAL
  '\u00A5', // YEN SIGN: the path separator in Japanese code pages (best-fit maps "\" <-> "¥")
  '\u20A9', // WON SIGN: same in Korean code pages
];

/** Look-alikes of the other characters Windows forbids or treats specially, folded to what they imitate. */
const otherLookAlikes: Record<string, string> = {
  '\uFF1A': ':', // FULLWIDTH COLON
  '\uFE55': ':', // SMALL COLON
  '\uFE13': ':', // PRESENTATION FORM FOR VERTICAL COLON
  '\u2236': ':', // RATIO
  '\uA789': ':', // MODIFIER LETTER COLON
  '\uFF1C': '<',
  '\uFE64': '<',
  '\uFF1E': '>',
  '\uFE65': '>',
  '\uFF02': '"',
  '\uFF5C': '|',
  '\uFF1F': '?',
  '\uFE56': '?',
  '\uFF0A': '*',
  '\uFE61': '*',
  '\uFF0E': '.', // FULLWIDTH FULL STOP (NFKC and best fit make ".." of two of them)
  '\uFE52': '.', // SMALL FULL STOP
  '\u2024': '.', // ONE DOT LEADER
  '\u2025': '..', // TWO DOT LEADER
};

const lookAlikeMap: Record<string, string> = { ...otherLookAlikes };
for (const c of slashLookAlikes) lookAlikeMap[c] = '/';
const lookAlikePattern = new RegExp(`[${Object.keys(lookAlikeMap).join('')}]`, 'gu');

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const controls = /\p{Cc}/gu;
/** Format characters (bidi overrides, zero-width joiners, BOM, soft hyphen) and invisible fillers. */
const invisibles = /[\p{Cf}\u115F\u1160\u3164\uFFA0]/gu;
const lineSeparators = /[\p{Zl}\p{Zp}]/gu;
const oddSpaces = /[^\S ]|\p{Zs}/gu;
const separators = /[/\\]/g;
const forbidden = /[<>:"|?*]/g;
const unassigned = /[\p{Co}\p{Cn}]/gu;
const reserved = /^(CON|PRN|AUX|NUL|CLOCK\$|CONIN\$|CONOUT\$|COM[0-9\u00B9\u00B2\u00B3]|LPT[0-9\u00B9\u00B2\u00B3])$/i;

function replaceAll(
  text: string,
  pattern: RegExp,
  by: string,
  note: SafeNameNote,
  notes: Set<SafeNameNote>,
): string {
  const out = text.replace(pattern, by);
  if (out !== text) notes.add(note);
  return out;
}

/** Bytes a string takes in UTF-8 (the unit NTFS, APFS and ext4 limits are close to). */
export function utf8Length(text: string): number {
  let bytes = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0)!;
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** 32-bit FNV-1a as 8 hex digits: a short, stable tag for a name that had to be cut. */
export function shortHash(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}

function graphemes(text: string): string[] {
  const Segmenter = (Intl as unknown as { Segmenter?: new (l?: string, o?: object) => { segment(t: string): Iterable<{ segment: string }> } })
    .Segmenter;
  if (Segmenter) return Array.from(new Segmenter(undefined, { granularity: 'grapheme' }).segment(text), (s) => s.segment);
  return Array.from(text);
}

/** The longest prefix of whole grapheme clusters that fits in `budget` UTF-8 bytes. */
function cutToBytes(text: string, budget: number): string {
  let out = '';
  let used = 0;
  for (const g of graphemes(text)) {
    const n = utf8Length(g);
    if (used + n > budget) break;
    out += g;
    used += n;
  }
  return out;
}

function trimEdges(text: string, notes: Set<SafeNameNote>): string {
  let out = text.replace(/ {2,}/g, ' ').replace(/^ +/, '');
  if (out !== text) notes.add('whitespace');
  const noLeadingDot = out.replace(/^[. ]+/, '');
  if (noLeadingDot !== out) notes.add('leading-dot');
  out = noLeadingDot;
  const noTrailing = out.replace(/[. ]+$/, '');
  if (noTrailing !== out) notes.add('trailing-dot-or-space');
  return noTrailing;
}

/**
 * Make one path segment (a folder name, or a file name without its extension) safe.
 * `maxBytes` is the UTF-8 budget for the result.
 */
export function safeSegment(raw: string, maxBytes: number = maxFolderSegmentBytes): SafeName {
  const notes = new Set<SafeNameNote>();
  const input = String(raw);
  let s = input.replace(loneSurrogate, '_');
  if (s !== input) notes.add('control-character');
  const nfc = s.normalize('NFC');
  if (nfc !== s) notes.add('normalized');
  s = nfc;
  const folded = s.replace(lookAlikePattern, (c) => lookAlikeMap[c] ?? '_');
  if (folded !== s) notes.add('look-alike');
  s = folded;
  s = replaceAll(s, controls, '_', 'control-character', notes);
  s = replaceAll(s, invisibles, '', 'invisible-character', notes);
  s = replaceAll(s, lineSeparators, ' ', 'control-character', notes);
  s = replaceAll(s, oddSpaces, ' ', 'whitespace', notes);
  s = replaceAll(s, separators, '-', 'separator', notes);
  s = replaceAll(s, forbidden, '_', 'forbidden-character', notes);
  s = replaceAll(s, unassigned, '_', 'forbidden-character', notes);
  s = trimEdges(s, notes);

  const stem = s.split('.')[0]!.trimEnd();
  if (reserved.test(stem)) {
    s = '_' + s;
    notes.add('reserved-name');
  }

  const budget = Math.max(12, maxBytes);
  if (utf8Length(s) > budget) {
    const tag = '~' + shortHash(s);
    s = trimEdges(cutToBytes(s, budget - tag.length), notes) + tag;
    notes.add('truncated');
  }
  if (s === '') {
    s = '_';
    notes.add('empty');
  }
  return { name: s, changed: s !== input, notes: [...notes] };
}

/** A safe extension: lower-case letters and digits only, at most 10 of them. */
export function safeExtension(ext: string): string {
  return ext.replace(/^\.+/, '').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 10);
}

/**
 * A safe file name `stem.ext`: the stem is made safe and cut so that the whole name fits in `maxBytes`;
 * the extension is always kept.
 */
export function safeFileName(stem: string, ext: string, maxBytes: number = maxFileNameBytes): SafeName {
  const extension = safeExtension(ext);
  const suffix = extension ? '.' + extension : '';
  const result = safeSegment(stem, maxBytes - suffix.length);
  return { name: result.name + suffix, changed: result.changed, notes: result.notes };
}

/** `name (n).ext`: the name a conflicting file gets; stays within the byte budget and keeps the extension. */
export function withConflictSuffix(fileName: string, n: number, maxBytes: number = maxFileNameBytes + 8): string {
  if (n <= 1) return fileName;
  const dot = fileName.lastIndexOf('.');
  const stem = dot > 0 ? fileName.slice(0, dot) : fileName;
  const ext = dot > 0 ? fileName.slice(dot) : '';
  const tag = ` (${n})`;
  const room = maxBytes - utf8Length(ext) - tag.length;
  const cut = utf8Length(stem) > room ? cutToBytes(stem, room).replace(/[. ]+$/, '') : stem;
  return cut + tag + ext;
}

