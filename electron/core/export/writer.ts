/**
 * Writing one file into an export folder so that:
 * - a final name only ever holds a complete, flushed file (temp file in the same folder, fsync, then
 *   published with `link`, which fails instead of overwriting; where hard links are not supported, an
 *   exclusive-create lock file per final name guards a rename);
 * - a different file already at the name is never replaced: the new one gets `name (2).ext`;
 * - the same bytes already at the name are recognised and not written twice (two desktops, or a re-run
 *   after a crash);
 * - nothing is created or written outside the export root, symbolic links included.
 */
import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { shortHash, withConflictSuffix, type PathLimit } from '../../../shared/export';
import { ExportError, exportError, toExportError } from './errors';
import { sha256 } from '../lib/hash';
import { sleep } from '../lib/time';
import { errnoOf, lstatOrNull, type ExportFs } from './fs-port';

/** True when `candidate` is `root` itself or below it (both absolute and already real paths). */
export function isInside(root: string, candidate: string, allowEqual = false): boolean {
  const rel = path.relative(root, candidate);
  if (rel === '') return allowEqual;
  return !rel.startsWith('..' + path.sep) && rel !== '..' && !path.isAbsolute(rel);
}

/** A file's path as the manifest and the history keep it: relative to the root, `/`-separated on every platform. */
export function rootRelative(realRoot: string, file: string): string {
  return path.relative(realRoot, file).split(path.sep).join('/');
}

/** The file a manifest or history path names under the root. */
export function underRoot(realRoot: string, relativePath: string): string {
  return path.join(realRoot, ...relativePath.split('/'));
}

/** Longest absolute path each platform accepts without special prefixes (Windows' MAX_PATH minus NUL). */
export function maxPathLength(platform: NodeJS.Platform = process.platform): number {
  return platform === 'win32' ? 259 : platform === 'darwin' ? 1023 : 4095;
}

/**
 * On Windows, how long the path below `root` may be for every file the writer puts there (a conflict suffix
 * such as " (99)" and the temp file beside it included) to stay under MAX_PATH, which Venice and Explorer
 * keep to. Elsewhere the limits are in the thousands: none.
 */
export function pathLimitBelow(root: string, platform: NodeJS.Platform = process.platform): PathLimit | undefined {
  if (platform !== 'win32') return undefined;
  const room = maxPathLength(platform) - root.length - 1;
  return { file: room - ' (99)'.length, folder: room - 1 - longestTempName };
}

function pathLength(p: string, platform: NodeJS.Platform): number {
  return platform === 'win32' ? p.length : Buffer.byteLength(p, 'utf8');
}

/** Throws `path-too-long` when `file`, or a temp file beside it, would exceed what the platform accepts. */
export function checkPathLength(file: string, platform: NodeJS.Platform = process.platform): void {
  const longest = Math.max(pathLength(file, platform), pathLength(path.join(path.dirname(file), tempNameShape), platform));
  if (longest > maxPathLength(platform)) {
    throw exportError('path-too-long', `${longest} characters, at most ${maxPathLength(platform)} (${file.slice(0, 80)}…)`);
  }
}

/** The root as a real path; it must already exist (an unmounted share must not become a local folder). */
export async function realRootOf(fsPort: ExportFs, root: string): Promise<string> {
  if (!path.isAbsolute(root)) throw exportError('root-missing', `"${root}" is not an absolute path`);
  let real: string;
  try {
    real = await fsPort.realpath(root);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') throw exportError('root-missing', root);
    throw toExportError(error, root);
  }
  const stat = await fsPort.lstat(real).catch((error: unknown) => {
    throw toExportError(error, root);
  });
  if (!stat.isDirectory()) throw exportError('root-missing', `${root} is not a folder`);
  return real;
}

/**
 * Create (one level at a time) and return the real path of `folders` under `realRoot`. A folder that is
 * a symbolic link is followed only when it stays inside the root.
 */
export async function ensureFolder(fsPort: ExportFs, realRoot: string, folders: readonly string[]): Promise<string> {
  let current = realRoot;
  for (const segment of folders) {
    if (segment === '' || segment === '.' || segment === '..' || segment.includes('/') || segment.includes('\\')) {
      throw exportError('outside-root', `unsafe folder name "${segment}"`);
    }
    const next = path.join(current, segment);
    let stat = await lstatOrNull(fsPort, next).catch((e: unknown) => {
      throw toExportError(e, next);
    });
    if (!stat) {
      try {
        await fsPort.mkdir(next);
      } catch (error) {
        if (errnoOf(error) !== 'EEXIST') throw toExportError(error, next);
      }
      stat = await fsPort.lstat(next).catch((e: unknown) => {
        throw toExportError(e, next);
      });
    }
    if (stat.isSymbolicLink()) {
      const real = await fsPort.realpath(next).catch((e: unknown) => {
        throw toExportError(e, next);
      });
      if (!isInside(realRoot, real, true)) throw exportError('outside-root', `${next} links to ${real}`);
      stat = await fsPort.lstat(real);
      current = real;
    } else {
      current = next;
    }
    if (!stat.isDirectory()) throw exportError('not-a-folder', current);
  }
  // Last line of defence: whatever the path went through, the folder must resolve inside the root.
  const real = await fsPort.realpath(current).catch((e: unknown) => {
    throw toExportError(e, current);
  });
  if (!isInside(realRoot, real, true)) throw exportError('outside-root', `${current} resolves to ${real}`);
  return real;
}

const hostTag = shortHash(os.hostname());
const tempPattern = /^\.~bvl-([0-9a-f]{8})-(\d+)-[0-9a-f]+\.tmp$/;
const lockPattern = /^\.~bvl-lock-[0-9a-f]+$/;

/** Temp and lock files start with a dot, which `safeSegment` never lets an exported name do. */
export function tempName(random = crypto.randomUUID().slice(-12)): string {
  // The last 12 hex digits of a v4 UUID are random; randomUUID draws from a pool instead of asking the OS
  // for entropy on every call, which showed up per document in profiles.
  return `.~bvl-${hostTag}-${process.pid}-${random}.tmp`;
}

/** A temp name's length is all the path check needs. */
const tempNameShape = tempName('0'.repeat(12));
/** The longest a temp name can be on any desktop (process ids up to ten digits). */
export const longestTempName = tempNameShape.length - String(process.pid).length + 10;

function lockName(finalName: string): string {
  return `.~bvl-lock-${sha256(finalName).slice(0, 24)}`;
}

function processIsGone(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return errnoOf(error) === 'ESRCH';
  }
}

/**
 * Remove temp files left by a process that died mid-write (same host and its pid is gone, or older than
 * an hour) and lock files older than ten minutes. They never carry a final name; this only tidies up.
 */
export async function sweepLeftovers(fsPort: ExportFs, folder: string, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fsPort.readdir(folder);
  } catch {
    return 0;
  }
  for (const name of names) {
    const temp = tempPattern.exec(name);
    const isLock = lockPattern.test(name);
    if (!temp && !isLock) continue;
    const full = path.join(folder, name);
    const stat = await lstatOrNull(fsPort, full).catch(() => null);
    if (!stat?.isFile()) continue;
    const age = now - stat.mtimeMs;
    const stale = temp
      ? (temp[1] === hostTag && processIsGone(Number(temp[2]))) || age > 60 * 60_000
      : age > 10 * 60_000;
    if (stale) {
      await fsPort.unlink(full).then(
        () => removed++,
        () => undefined,
      );
    }
  }
  return removed;
}

/** Write `bytes` to a new temp file in `folder`, flushed to disk; returns its path. */
export async function writeTemp(fsPort: ExportFs, folder: string, bytes: Uint8Array): Promise<string> {
  const tmp = path.join(folder, tempName());
  const handle = await fsPort.open(tmp, 'wx').catch((e: unknown) => {
    throw toExportError(e, folder);
  });
  try {
    let offset = 0;
    while (offset < bytes.length) {
      const chunk = Math.min(1 << 20, bytes.length - offset);
      const { bytesWritten } = await handle.write(bytes, offset, chunk, null);
      if (bytesWritten <= 0) throw new ExportError('io-error', `short write to ${tmp}`);
      offset += bytesWritten;
    }
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fsPort.unlink(tmp).catch(() => undefined);
    throw toExportError(error, folder);
  }
  try {
    await handle.close();
  } catch (error) {
    await fsPort.unlink(tmp).catch(() => undefined);
    throw toExportError(error, folder);
  }
  return tmp;
}

const noHardLinks = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EXDEV', 'EMLINK', 'EINVAL']);

/** Publish `tmp` as `final` under an exclusive lock file, for file systems without hard links. */
async function lockedRename(fsPort: ExportFs, folder: string, tmp: string, final: string): Promise<void> {
  const lock = path.join(folder, lockName(path.basename(final)));
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const handle = await fsPort.open(lock, 'wx');
      const note = Buffer.from(JSON.stringify({ pid: process.pid, host: os.hostname(), at: new Date().toISOString() }));
      await handle.write(note, 0, note.length, null).finally(() => handle.close());
      break;
    } catch (error) {
      if (errnoOf(error) !== 'EEXIST') throw toExportError(error, folder);
      const stat = await lstatOrNull(fsPort, lock);
      if (stat && Date.now() - stat.mtimeMs > 60_000) {
        // A holder that died: move its lock aside under a unique name first, so two breakers cannot both win.
        const aside = path.join(folder, tempName());
        await fsPort.rename(lock, aside).then(
          () => fsPort.unlink(aside),
          () => undefined,
        );
        continue;
      }
      if (Date.now() > deadline) throw exportError('busy', path.basename(final));
      await sleep(25 + Math.random() * 50);
    }
  }
  try {
    if (await lstatOrNull(fsPort, final)) throw Object.assign(new Error('exists'), { code: 'EEXIST' });
    await fsPort.rename(tmp, final);
  } finally {
    await fsPort.unlink(lock).catch(() => undefined);
  }
}

/** Publish a complete temp file under `final` without ever replacing what is there (EEXIST if taken). */
async function claim(fsPort: ExportFs, folder: string, tmp: string, final: string, syncFolder: boolean): Promise<void> {
  try {
    await fsPort.link(tmp, final);
    await fsPort.unlink(tmp).catch(() => undefined);
  } catch (error) {
    const code = errnoOf(error);
    if (code === 'EEXIST') throw error;
    if (!code || !noHardLinks.has(code)) throw toExportError(error, final);
    await lockedRename(fsPort, folder, tmp, final);
  }
  if (syncFolder) await fsPort.fsyncDir(folder);
}

export async function sameBytes(fsPort: ExportFs, file: string, size: number, hash: string): Promise<boolean> {
  const stat = await lstatOrNull(fsPort, file);
  // A symbolic link (or anything but a plain file) at the name is never read through: it is a conflict.
  if (!stat?.isFile() || stat.size !== size) return false;
  return sha256(await fsPort.readFile(file)) === hash;
}

export interface PublishResult {
  /** `written` (new file) or `present` (these bytes were already there under that name). */
  outcome: 'written' | 'present';
  fileName: string;
  /** Names held by different files, passed over on the way to `fileName`. */
  conflicts: string[];
}

export interface PublishOptions {
  platform?: NodeJS.Platform;
  maxSuffix?: number;
  /** A complete temp file of these bytes in `folder` (from `writeTemp`); publish owns it from here on. */
  tmp?: string;
  /**
   * Default true. False leaves the folder's fsync to the caller, who must do it before telling anyone the
   * file is exported (a batch syncs each folder once).
   */
  syncFolder?: boolean;
  /**
   * The caller has just seen `fileName` free: the first look is skipped. Safe because a claim never
   * replaces: a name taken since fails with EEXIST and is looked at then.
   */
  nameFree?: boolean;
}

/**
 * Put `bytes` into `folder` as `fileName` (or `fileName (n)` when different files hold the lower names).
 * `folder` must come from `ensureFolder`.
 */
export async function publish(
  fsPort: ExportFs,
  folder: string,
  fileName: string,
  bytes: Uint8Array,
  hash: string,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const platform = options.platform ?? process.platform;
  const maxSuffix = options.maxSuffix ?? 99;
  const conflicts: string[] = [];
  let tmp: string | null = options.tmp ?? null;
  let races = 0;
  let skipLook = options.nameFree === true;
  try {
    for (let n = 1; n <= maxSuffix; ) {
      const name = withConflictSuffix(fileName, n);
      const final = path.join(folder, name);
      checkPathLength(final, platform);
      const existing = skipLook
        ? null
        : await lstatOrNull(fsPort, final).catch((e: unknown) => {
            throw toExportError(e, final);
          });
      skipLook = false;
      if (existing) {
        if (await sameBytes(fsPort, final, bytes.length, hash)) return { outcome: 'present', fileName: name, conflicts };
        conflicts.push(name);
        n++;
        continue;
      }
      tmp ??= await writeTemp(fsPort, folder, bytes);
      try {
        await claim(fsPort, folder, tmp, final, options.syncFolder !== false);
        tmp = null;
        return { outcome: 'written', fileName: name, conflicts };
      } catch (error) {
        // Someone else took the name between our look and our claim: look again at the same name.
        if (errnoOf(error) === 'EEXIST') {
          if (++races > 20) throw exportError('busy', name);
          continue;
        }
        throw error;
      }
    }
    throw exportError('too-many-conflicts', `${fileName}: ${maxSuffix} names taken`);
  } finally {
    if (tmp) await fsPort.unlink(tmp).catch(() => undefined);
  }
}
