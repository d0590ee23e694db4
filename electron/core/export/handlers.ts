import path from 'node:path';
import type { DragPrepared, Handlers } from '../../../shared/api';
import { AppError } from '../../../shared/api/errors';
import type { DragOut, PreparedDrag } from './drag-out';
import type { ExportHost } from './host';
import type { ExportService } from './service';

export type ExportChannel =
  | 'exports.profile.get'
  | 'exports.profile.set'
  | 'exports.preview'
  | 'exports.run'
  | 'exports.history'
  | 'exports.retry'
  | 'exports.reveal'
  | 'exports.drag.prepare';

export interface ExportHandlerDeps {
  service: ExportService;
  dragOut: DragOut;
  host: ExportHost;
}

function describeDrag(drag: PreparedDrag, host: ExportHost): DragPrepared {
  const downloadUrl = host.downloadUrl;
  return {
    dragId: drag.id,
    // Names and sizes only: paths stay on the Node side.
    files: drag.files.map((f) => ({ name: f.name, size: f.size })),
    downloads: downloadUrl ? drag.files.map((f, i) => ({ name: f.name, url: downloadUrl(`${drag.id}.${i}`) })) : null,
  };
}

export function exportHandlers({ service, dragOut, host }: ExportHandlerDeps): Pick<Handlers, ExportChannel> {
  return {
    async 'exports.profile.get'({ dossierId }) {
      return service.profile(dossierId);
    },
    async 'exports.profile.set'({ dossierId, profile }) {
      return service.setProfile(dossierId, profile);
    },
    async 'exports.preview'(input) {
      return service.preview(input);
    },
    async 'exports.run'(input) {
      return service.run(input);
    },
    async 'exports.history'(input) {
      return service.history(input);
    },
    async 'exports.retry'(input) {
      return service.retry(input);
    },
    async 'exports.reveal'({ historyId, action }) {
      const file = await service.locateWritten(historyId, action);
      if (action === 'show' && host.showInFolder) {
        await host.showInFolder(file);
        return { done: true, downloadUrl: null };
      }
      if (action === 'open' && host.openPath) {
        const problem = await host.openPath(file);
        if (problem) throw new AppError('file-system', `The file could not be opened: ${problem}`);
        return { done: true, downloadUrl: null };
      }
      if (host.downloadUrl) {
        const drag = await dragOut.offer([{ path: file, name: path.basename(file) }]);
        return { done: false, downloadUrl: host.downloadUrl(`${drag.id}.0`) };
      }
      throw new AppError('invalid-input', 'This host can neither show nor download files');
    },
    async 'exports.drag.prepare'({ items }) {
      return describeDrag(await dragOut.prepare(items), host);
    },
  };
}
