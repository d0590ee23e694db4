/**
 * What the host (Electron app or browser-mode web host) can do for exported files. The core never imports
 * Electron; the Electron host passes `shell`-backed functions (see `electronExportHost` in
 * `electron/drag.ts`), the web host passes `browserExportHost`, which can only offer downloads.
 *
 * - `showInFolder(path)`: reveal the file in Explorer/Finder (Electron `shell.showItemInFolder`).
 * - `openPath(path)`: open with the default app; resolves to '' or an error message (Electron `shell.openPath`).
 * - `downloadUrl(token)`: the URL the web host serves a prepared file at (see `DragOut.download`).
 *
 * Every path handed to these has been checked to be a plain file inside an export root or the drag-out
 * temp root, written by this app.
 */
export interface ExportHost {
  readonly kind: 'electron' | 'browser';
  showInFolder?(absolutePath: string): void | Promise<void>;
  openPath?(absolutePath: string): Promise<string>;
  downloadUrl?(token: string): string;
}

/** The browser-mode host: no shell, a download URL under `base` (the web host routes it to `DragOut.download`). */
export function browserExportHost(base = '/exports/download/'): ExportHost {
  return { kind: 'browser', downloadUrl: (token) => base + encodeURIComponent(token) };
}
