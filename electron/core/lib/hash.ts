import { createHash } from 'node:crypto';

/** SHA-256 of the bytes (or of a string's UTF-8), as lowercase hex: what manifests, blobs and Billit's files carry. */
export function sha256(data: Uint8Array | string): string {
  return createHash('sha256').update(data).digest('hex');
}
