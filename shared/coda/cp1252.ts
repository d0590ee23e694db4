/**
 * windows-1252 without Node's Buffer. TextDecoder('windows-1252') exists in Node and Chromium; the table is
 * the fallback and the encoder (TextEncoder only does UTF-8).
 */
const HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

/**
 * The platform decoder, when it exists. Some Node builds decode the 'windows-1252' label as ISO-8859-1
 * (bytes 0x80-0x9F become C1 controls instead of €, ‚, ƒ…): detected once, and those characters fixed up.
 */
let native: { decoder: TextDecoder; exact: boolean } | null | undefined;
function nativeDecoder(): { decoder: TextDecoder; exact: boolean } | null {
  if (native === undefined) {
    try {
      const decoder = new TextDecoder('windows-1252');
      native = { decoder, exact: decoder.decode(new Uint8Array([0x80, 0x9f])) === '\u20ac\u0178' };
    } catch {
      native = null;
    }
  }
  return native;
}

const C1 = /[\u0080-\u009f]/g;
const fixC1 = (c: string) => String.fromCharCode(HIGH[c.charCodeAt(0) - 0x80]!);

export function decodeWindows1252(bytes: Uint8Array): string {
  const d = nativeDecoder();
  if (!d) return decodeWindows1252Table(bytes);
  const s = d.decoder.decode(bytes);
  return d.exact ? s : s.replace(C1, fixC1);
}

/** The table decoder, exported so tests can compare it with the platform's. */
export function decodeWindows1252Table(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 8192;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    const codes = new Array<number>(end - start);
    for (let i = start; i < end; i++) {
      const b = bytes[i]!;
      codes[i - start] = b >= 0x80 && b < 0xa0 ? HIGH[b - 0x80]! : b;
    }
    parts.push(String.fromCharCode(...codes));
  }
  return parts.join('');
}

let reverse: Map<number, number> | undefined;

/** Encodes to windows-1252; characters it cannot hold become `?`. */
export function encodeWindows1252(text: string): Uint8Array {
  if (!reverse) {
    reverse = new Map();
    HIGH.forEach((cp, i) => reverse!.set(cp, 0x80 + i));
  }
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80 || (c >= 0xa0 && c <= 0xff)) out[i] = c;
    else out[i] = reverse.get(c) ?? 0x3f;
  }
  return out;
}

/** True when every character of `text` has a windows-1252 byte. */
export function isWindows1252(text: string): boolean {
  if (!reverse) encodeWindows1252('');
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (!(c < 0x80 || (c >= 0xa0 && c <= 0xff) || reverse!.has(c))) return false;
  }
  return true;
}
