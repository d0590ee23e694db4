/**
 * The Electron side of drag-out and of "show in folder" / "open with the default app".
 *
 * Flow: the renderer calls `exports.drag.prepare` (through `window.api`) when the pointer goes down on a
 * UBL, PDF or CODA row; the files are materialised and checked on the Node side and only names and sizes
 * come back, with a `dragId`. On `dragstart` the renderer calls `event.preventDefault()` and the preload
 * sends `exports:drag-start` with `{ dragId }`; `registerDragOut` re-checks every path (inside an export
 * root or the drag-out temp root, a plain file) and calls `webContents.startDrag` with all of them.
 *
 * Wiring in `main.ts` (the listener must only accept the app's own main frame, as `onHostMessage` does):
 *
 *   registerDragOut({ on: (channel, listener) => onHostMessage(channel, window, listener), dragOut, log });
 *   // core: createExportModule({ …, host: electronExportHost() })
 *
 * and in `preload.ts`: `startDrag: (dragId: string) => ipcRenderer.send('exports:drag-start', { dragId })`.
 */
import { nativeImage, shell, type NativeImage, type WebContents } from 'electron';
import { dragStartChannel, startDragOut, type DragOut } from './core/export/drag-out';
import type { ExportHost } from './core/export/host';
import type { Logger } from './core/log';

/** A 16×16 page icon; macOS refuses a drag with an empty image. */
const defaultIconDataUrl =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAABAAAAAQCAYAAAAf8/9hAAAALUlEQVR42mNgoCYIiMr7TwzGa8CvX3/w4iFiQEXTNKx41AujXiDaAIoyEzkAAKvIvOSXerzzAAAAAElFTkSuQmCC';

export interface RegisterDragOutOptions {
  /** Subscribe to a host message channel from trusted frames only (e.g. `onHostMessage` of `ipc.ts`). */
  on(channel: string, listener: (event: { sender: WebContents }, ...args: unknown[]) => void): void | (() => void);
  dragOut: DragOut;
  /** The image under the pointer while dragging (default: a small page icon). */
  icon?: NativeImage | string;
  log?: Logger;
}

/** Listen for `exports:drag-start` and start the OS drag of the prepared files. */
export function registerDragOut(options: RegisterDragOutOptions): void | (() => void) {
  const icon = options.icon ?? nativeImage.createFromDataURL(defaultIconDataUrl);
  return options.on(dragStartChannel, (event, payload) => {
    void startDragOut(options.dragOut, event.sender, payload, icon).then(
      (result) => {
        if (!result.ok) options.log?.warn(`drag-out refused: ${result.error}`);
      },
      (error: unknown) => options.log?.error('drag-out failed', error),
    );
  });
}

/** "Show in folder" and "open with the default app" through Electron's shell. */
export function electronExportHost(): ExportHost {
  return {
    kind: 'electron',
    showInFolder: (file) => shell.showItemInFolder(file),
    openPath: (file) => shell.openPath(file),
  };
}
