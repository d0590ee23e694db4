/**
 * Drag-out: a UBL, PDF or CODA from the app dropped on the desktop or a folder.
 *
 * The OS drag must start from a file that already exists, so the renderer asks for the files first
 * (`prepare`, when the pointer goes down on a draggable row) and the host then starts the drag with the
 * prepared id (`startDragOut`, called by `electron/drag.ts` with Electron's `webContents`). A prepared file
 * is the exported file itself when it is still in place with the same bytes, or else a copy written into
 * `<dataDir>/drag-out/<session>/<dragId>/` under the name its export template gives. Every path is checked again,
 * right before the drag, to be a plain file inside an export root or the temp root. Temp copies are removed
 * on a timer (older than `ttlMs`) and at quit. In browser mode the same files are offered as downloads.
 */
import crypto from 'node:crypto';
import path from 'node:path';
import { z } from 'zod';
import { AppError } from '../../../shared/api/errors';
import type { ExportDocumentRef } from '../../../shared/api/exports';
import { contentTypeOf, kindOf, safeFileName } from '../../../shared/export';
import type { Logger } from '../log';
import { nodeExportFs, type ExportFs } from './fs-port';
import type { ExportService } from './service';
import type { ExportSource } from './source';
import { sha256 } from '../lib/hash';
import { ensureFolder, isInside, publish, realRootOf } from './writer';

/** One document's file of one kind. */
export type DragItem = ExportDocumentRef;

export interface PreparedFile {
  name: string;
  path: string;
  size: number;
  /** `export`: the file in the export folder; `temp`: a copy under the drag-out temp root. */
  origin: 'export' | 'temp';
}

export interface PreparedDrag {
  id: string;
  createdAt: number;
  files: PreparedFile[];
}

export interface DragOutOptions {
  dataDir: string;
  source: ExportSource;
  service: ExportService;
  fs?: ExportFs;
  log?: Logger;
  /** How long a prepared drag stays usable and its temp copies stay on disk (default 30 minutes). */
  ttlMs?: number;
  /** How often the cleanup timer runs (default 5 minutes). */
  sweepEveryMs?: number;
  now?: () => number;
}

export interface DragOut {
  readonly tempRoot: string;
  prepare(items: readonly DragItem[]): Promise<PreparedDrag>;
  /** Offer files already checked (an exported file from the history) as a prepared drag / download. */
  offer(files: readonly { path: string; name: string }[]): Promise<PreparedDrag>;
  /** The checked absolute paths of a prepared drag, ready for `webContents.startDrag`. */
  files(dragId: string): Promise<string[]>;
  /** Browser mode: the file behind a download token (`<dragId>.<index>`), or null. */
  download(token: string): Promise<{ name: string; bytes: Buffer; contentType: string } | null>;
  /** Remove prepared drags older than `maxAgeMs` (default the ttl) and their temp copies. */
  sweep(maxAgeMs?: number): Promise<number>;
  /** Start the periodic cleanup; returns a function that stops it. */
  startTimer(): () => void;
  /** Stop the timer and remove this process's temp copies (at quit). */
  close(): Promise<void>;
}

export function createDragOut(options: DragOutOptions): DragOut {
  const fsPort = options.fs ?? nodeExportFs;
  const now = options.now ?? Date.now;
  const ttlMs = options.ttlMs ?? 30 * 60_000;
  const tempRoot = path.join(options.dataDir, 'drag-out');
  // One folder per process: the Electron app and a browser-mode host may share the data folder.
  const session = `${process.pid}-${crypto.randomBytes(4).toString('hex')}`;
  const sessionRoot = path.join(tempRoot, session);
  const prepared = new Map<string, PreparedDrag>();
  let timer: ReturnType<typeof setInterval> | null = null;

  async function realTempRoot(): Promise<string> {
    const realData = await realRootOf(fsPort, options.dataDir);
    return ensureFolder(fsPort, realData, ['drag-out']);
  }

  /** Each path must be a plain file inside the temp root or an export root, now. */
  async function checked(files: readonly PreparedFile[]): Promise<string[]> {
    const allowed = [await realTempRoot(), ...(await options.service.roots())];
    const out: string[] = [];
    for (const file of files) {
      let real: string;
      try {
        real = await fsPort.realpath(file.path);
      } catch {
        throw new AppError('not-found', `${file.name} is no longer there`);
      }
      if (!allowed.some((root) => isInside(root, real))) {
        throw new AppError('file-system', `${file.name} is outside the export and temp folders; not dragged`);
      }
      const stat = await fsPort.lstat(real);
      if (!stat.isFile()) throw new AppError('file-system', `${file.name} is not a plain file; not dragged`);
      out.push(real);
    }
    return out;
  }

  async function materialise(dragFolder: string, item: DragItem): Promise<PreparedFile> {
    const dossier = await options.source.dossier(item.dossierId);
    const [document] = dossier ? await options.source.documents(item.dossierId, item.kind, [item.documentId]) : [];
    if (!dossier || !document) throw new AppError('not-found', `Unknown document ${item.documentId}`);
    const bytes = await options.source.read(document);
    const hash = sha256(bytes);
    const exported = await options.service.findExportedFile(document, hash);
    if (exported) return { name: path.basename(exported), path: exported, size: bytes.length, origin: 'export' };

    const name =
      options.service.fileNameOf(dossier, document) ??
      safeFileName(`${document.number ?? document.statementNumber ?? document.id} ${document.date ?? ''}`, kindOf(document.kind).extension).name;
    // Same no-clobber publish as an export: two documents with one name become `name` and `name (2)`.
    const result = await publish(fsPort, dragFolder, name, bytes, hash);
    return { name: result.fileName, path: path.join(dragFolder, result.fileName), size: bytes.length, origin: 'temp' };
  }

  function remember(files: PreparedFile[], id: string = crypto.randomUUID()): PreparedDrag {
    const unique = files.filter((f, i) => files.findIndex((g) => g.path === f.path) === i);
    const drag: PreparedDrag = { id, createdAt: now(), files: unique };
    prepared.set(drag.id, drag);
    return drag;
  }

  async function removeTemp(dragId: string): Promise<void> {
    await fsPort.rmdir(path.join(sessionRoot, dragId), true).catch(() => undefined);
  }

  const dragOut: DragOut = {
    tempRoot,

    async prepare(items) {
      const temp = await realTempRoot();
      const dragId = crypto.randomUUID();
      const folder = await ensureFolder(fsPort, temp, [session, dragId]);
      try {
        const files: PreparedFile[] = [];
        for (const item of items) files.push(await materialise(folder, item));
        return remember(files, dragId);
      } catch (error) {
        await removeTemp(dragId);
        throw error;
      }
    },

    async offer(files) {
      const list: PreparedFile[] = [];
      for (const file of files) {
        const stat = await fsPort.lstat(file.path);
        list.push({ name: file.name, path: file.path, size: stat.size, origin: 'export' });
      }
      await checked(list);
      return remember(list);
    },

    async files(dragId) {
      const drag = prepared.get(dragId);
      if (!drag || now() - drag.createdAt > ttlMs) throw new AppError('not-found', 'This drag has expired; try again');
      return checked(drag.files);
    },

    async download(token) {
      const match = /^([0-9a-f-]{36})\.(\d{1,3})$/.exec(token);
      const drag = match ? prepared.get(match[1]!) : undefined;
      const file = drag?.files[Number(match?.[2])];
      if (!drag || !file || now() - drag.createdAt > ttlMs) return null;
      const [real] = await checked([file]);
      const bytes = await fsPort.readFile(real!);
      return { name: file.name, bytes, contentType: contentTypeOf(file.name) };
    },

    async sweep(maxAgeMs = ttlMs) {
      let removed = 0;
      for (const [id, drag] of prepared) {
        if (now() - drag.createdAt > maxAgeMs) {
          prepared.delete(id);
          await removeTemp(id);
          removed++;
        }
      }
      // Folders of sessions that ended without their cleanup at quit (a crash, a killed process).
      let names: string[];
      try {
        names = await fsPort.readdir(tempRoot);
      } catch {
        return removed;
      }
      for (const name of names) {
        if (name === session) continue;
        const full = path.join(tempRoot, name);
        const stat = await fsPort.lstat(full).catch(() => null);
        if (stat && now() - stat.mtimeMs > maxAgeMs) {
          await fsPort.rmdir(full, true).catch(() => undefined);
          removed++;
        }
      }
      return removed;
    },

    startTimer() {
      if (!timer) {
        timer = setInterval(() => {
          dragOut.sweep().catch((error: unknown) => options.log?.warn('drag-out cleanup failed', error));
        }, options.sweepEveryMs ?? 5 * 60_000);
        timer.unref?.();
      }
      return () => {
        if (timer) clearInterval(timer);
        timer = null;
      };
    },

    async close() {
      if (timer) clearInterval(timer);
      timer = null;
      prepared.clear();
      await fsPort.rmdir(sessionRoot, true).catch(() => undefined);
    },
  };
  return dragOut;
}

/** The channel the preload uses to start a drag: `{ dragId }` from `exports.drag.prepare`. */
export { dragStartChannel } from '../../../shared/api/wire';
export const dragStartInput = z.object({ dragId: z.uuid() }).strict();

/** The one thing drag-out needs from Electron's `webContents` (kept structural so the core never imports Electron). */
export interface DragSender<Icon> {
  startDrag(item: { file: string; files?: string[]; icon: Icon }): void;
}

/**
 * Start the OS drag for a prepared drag: validate the message, re-check every path, then hand them to
 * `startDrag` (all of them in `files`; platforms that cannot drag several take the first).
 */
export async function startDragOut<Icon>(
  dragOut: DragOut,
  sender: DragSender<Icon>,
  payload: unknown,
  icon: Icon,
): Promise<{ ok: true; files: number } | { ok: false; error: string }> {
  const parsed = dragStartInput.safeParse(payload);
  if (!parsed.success) return { ok: false, error: 'invalid-input' };
  let files: string[];
  try {
    files = await dragOut.files(parsed.data.dragId);
  } catch (error) {
    return { ok: false, error: error instanceof AppError ? error.code : 'internal' };
  }
  if (files.length === 0) return { ok: false, error: 'not-found' };
  sender.startDrag({ file: files[0]!, files, icon });
  return { ok: true, files: files.length };
}
