/** Base64 for `Uint8Array` without Node's Buffer (runs in the renderer too). Decoding skips whitespace. */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const LOOKUP = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) LOOKUP[ALPHABET.charCodeAt(i)] = i;
LOOKUP['-'.charCodeAt(0)] = 62; // base64url, tolerated on input
LOOKUP['_'.charCodeAt(0)] = 63;

export function encodeBase64(bytes: Uint8Array): string {
  const parts: string[] = [];
  const CHUNK = 0x8000 * 3;
  for (let start = 0; start < bytes.length; start += CHUNK) {
    const end = Math.min(start + CHUNK, bytes.length);
    let out = '';
    let i = start;
    for (; i + 2 < end; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
    }
    const rest = end - i;
    if (rest === 1) {
      const n = bytes[i]! << 16;
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
    } else if (rest === 2) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
      out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
    }
    parts.push(out);
  }
  return parts.join('');
}

/** Decodes base64 (standard or url alphabet, whitespace ignored); null when a character is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  const n = text.length;
  const out = new Uint8Array(Math.floor((n * 3) / 4) + 3);
  let o = 0;
  let acc = 0;
  let bits = 0;
  let padding = false;
  let i = 0;
  while (i < n) {
    // Fast path: four alphabet characters on a byte boundary give three bytes, exactly as four single steps.
    if (bits === 0 && !padding && i + 4 <= n) {
      const c0 = text.charCodeAt(i);
      const c1 = text.charCodeAt(i + 1);
      const c2 = text.charCodeAt(i + 2);
      const c3 = text.charCodeAt(i + 3);
      if ((c0 | c1 | c2 | c3) < 128) {
        const v0 = LOOKUP[c0]!;
        const v1 = LOOKUP[c1]!;
        const v2 = LOOKUP[c2]!;
        const v3 = LOOKUP[c3]!;
        if ((v0 | v1 | v2 | v3) >= 0) {
          out[o] = (v0 << 2) | (v1 >> 4);
          out[o + 1] = ((v1 & 15) << 4) | (v2 >> 2);
          out[o + 2] = ((v2 & 3) << 6) | v3;
          o += 3;
          i += 4;
          continue;
        }
      }
    }
    // One character: whitespace, padding, the tail, or a run that is not on a byte boundary.
    const c = text.charCodeAt(i++);
    if (c === 32 || c === 9 || c === 10 || c === 13) continue;
    if (c === 61 /* = */) {
      padding = true;
      continue;
    }
    if (padding) return null;
    const v = c < 128 ? LOOKUP[c]! : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out.slice(0, o);
}
