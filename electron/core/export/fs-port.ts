import type fs from 'node:fs';
import fsp from 'node:fs/promises';

/** The part of an open file the writer uses (a subset of `fs.promises.FileHandle`). */
export interface ExportFileHandle {
  write(buffer: Uint8Array, offset: number, length: number, position?: number | null): Promise<{ bytesWritten: number }>;
  read(buffer: Uint8Array, offset: number, length: number, position: number): Promise<{ bytesRead: number }>;
  stat(): Promise<fs.Stats>;
  sync(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Every file-system operation the export code performs, as a port: the real one is `nodeExportFs`;
 * tests substitute one that fails the way a full disk or a read-only share does when no real mount is
 * available. Paths are absolute.
 */
export interface ExportFs {
  lstat(path: string): Promise<fs.Stats>;
  realpath(path: string): Promise<string>;
  /** One level, not recursive: the caller checks each level against the root. */
  mkdir(path: string): Promise<void>;
  /** `wx` (exclusive create), `r`, or `a` (O_APPEND). */
  open(path: string, flags: 'wx' | 'r' | 'a'): Promise<ExportFileHandle>;
  /** Hard link: fails with EEXIST when `to` exists, which makes it a no-clobber publish. */
  link(from: string, to: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  rmdir(path: string, recursive: boolean): Promise<void>;
  readdir(path: string): Promise<string[]>;
  readFile(path: string): Promise<Buffer>;
  /** Make a folder's entries durable (a no-op where folders cannot be opened, as on Windows). */
  fsyncDir(path: string): Promise<void>;
}

export const nodeExportFs: ExportFs = {
  lstat: (p) => fsp.lstat(p),
  realpath: (p) => fsp.realpath(p),
  mkdir: async (p) => {
    await fsp.mkdir(p);
  },
  open: (p, flags) => fsp.open(p, flags, 0o666),
  link: (from, to) => fsp.link(from, to),
  rename: (from, to) => fsp.rename(from, to),
  unlink: (p) => fsp.unlink(p),
  rmdir: (p, recursive) => fsp.rm(p, { recursive, force: true }),
  readdir: (p) => fsp.readdir(p),
  readFile: (p) => fsp.readFile(p),
  async fsyncDir(p) {
    if (process.platform === 'win32') return;
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(p, 'r');
      await handle.sync();
    } catch (error) {
      // Some file systems (SMB, some FUSE) refuse fsync on a folder; the rename is still atomic there.
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'EINVAL' && code !== 'ENOTSUP' && code !== 'EISDIR' && code !== 'EPERM' && code !== 'EACCES') throw error;
    } finally {
      await handle?.close();
    }
  },
};

export function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export async function lstatOrNull(fsPort: ExportFs, p: string): Promise<fs.Stats | null> {
  try {
    return await fsPort.lstat(p);
  } catch (error) {
    if (errnoOf(error) === 'ENOENT') return null;
    throw error;
  }
}
