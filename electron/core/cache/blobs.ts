import { sha256 } from '../lib/hash';
import type { Ctx } from './context';

/** Stores bytes once under their SHA-256 (inside a write transaction); returns the hash. */
export function storeBlob(ctx: Ctx, bytes: Uint8Array): string {
  const sha = sha256(bytes);
  ctx
    .w('INSERT INTO blobs (sha256, size, bytes, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (sha256) DO NOTHING')
    .run(sha, bytes.byteLength, Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), ctx.now());
  return sha;
}

export function blobsRepo(ctx: Ctx) {
  return {
    /** Stores the bytes once; returns their SHA-256 (hex). */
    put(bytes: Uint8Array): Promise<string> {
      return ctx.write(() => storeBlob(ctx, bytes));
    },
    get(sha: string): Buffer | null {
      return (ctx.r('SELECT bytes FROM blobs WHERE sha256 = ?').pluck().get(sha) as Buffer | undefined) ?? null;
    },
    has(sha: string): boolean {
      return ctx.r('SELECT 1 FROM blobs WHERE sha256 = ?').get(sha) !== undefined;
    },
    size(sha: string): number | null {
      return (ctx.r('SELECT size FROM blobs WHERE sha256 = ?').pluck().get(sha) as number | undefined) ?? null;
    },
    /** Deletes blobs no document or statement refers to; returns how many. */
    gc(): Promise<number> {
      return ctx.write(
        () =>
          ctx
            .w(
              `DELETE FROM blobs WHERE sha256 NOT IN (
                 SELECT ubl_sha256 FROM documents WHERE ubl_sha256 IS NOT NULL
                 UNION SELECT pdf_sha256 FROM documents WHERE pdf_sha256 IS NOT NULL
                 UNION SELECT coda_sha256 FROM statements WHERE coda_sha256 IS NOT NULL)`,
            )
            .run().changes,
      );
    },
  };
}
