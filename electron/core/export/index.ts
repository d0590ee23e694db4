/**
 * Export folders and drag-out, assembled for `createCore`:
 *
 *   const exportsModule = createExportModule({ dataDir, source, host, log, onChanged: (s) => events.emit('exports.changed', s) });
 *   handlers = { ...handlers, ...exportsModule.handlers };
 *   closers.push(exportsModule.close);
 *
 * `source` is the cache's view of dossiers and documents (see `source.ts`); `host` is what the host can do
 * with files (`electronExportHost(shell)` from `electron/drag.ts`, or `browserExportHost()`); `db` is an
 * open better-sqlite3 connection to keep the ledger in (e.g. the cache's writer), else `<dataDir>/exports.sqlite`.
 */
import path from 'node:path';
import type Database from 'better-sqlite3';
import type { Logger } from '../log';
import { createDragOut, type DragOut } from './drag-out';
import type { ExportFs } from './fs-port';
import { exportHandlers } from './handlers';
import type { ExportHost } from './host';
import { createSqliteLedger, openLedgerFile, type ExportLedger } from './ledger';
import { createExportService, type ExportService, type ExportServiceOptions } from './service';
import type { ExportSource } from './source';

export interface ExportModuleOptions {
  dataDir: string;
  source: ExportSource;
  host: ExportHost;
  db?: Database.Database;
  fs?: ExportFs;
  log?: Logger;
  onChanged?: ExportServiceOptions['onChanged'];
}

export interface ExportModule {
  service: ExportService;
  dragOut: DragOut;
  ledger: ExportLedger;
  handlers: ReturnType<typeof exportHandlers>;
  /** Stop the drag-out timer, remove temp copies, close the ledger file if this module opened it. */
  close(): Promise<void>;
}

export function createExportModule(options: ExportModuleOptions): ExportModule {
  const own = options.db ? null : openLedgerFile(path.join(options.dataDir, 'exports.sqlite'));
  const ledger = options.db ? createSqliteLedger(options.db) : own!.ledger;
  const service = createExportService({
    ledger,
    source: options.source,
    fs: options.fs,
    log: options.log,
    onChanged: options.onChanged,
  });
  const dragOut = createDragOut({ dataDir: options.dataDir, source: options.source, service, fs: options.fs, log: options.log });
  const stopTimer = dragOut.startTimer();
  // Leftovers of sessions that ended without their cleanup.
  void dragOut.sweep().catch(() => undefined);
  return {
    service,
    dragOut,
    ledger,
    handlers: exportHandlers({ service, dragOut, host: options.host }),
    async close() {
      stopTimer();
      await dragOut.close();
      own?.close();
    },
  };
}

export { browserExportHost, type ExportHost } from './host';
export { createDragOut, dragStartChannel, startDragOut, type DragOut, type DragSender } from './drag-out';
export { createSqliteLedger, openLedgerFile, type ExportLedger } from './ledger';
export { createExportService, type ExportService } from './service';
export type { ExportDocument, ExportDossier, ExportSource } from './source';
export { nodeExportFs, type ExportFs } from './fs-port';
