import { useRef, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DragPrepared } from '../../shared/api';
import type { ExportKind } from '../../shared/export';
import { api } from '../api';
import { withToken } from '../api/socket';

export interface DragItem {
  dossierId: string;
  kind: ExportKind;
  documentId: string;
}

/**
 * Drag-out: the files are materialised on the Node side when the pointer goes down, so the
 * OS drag can start from files that exist. In browser mode the same gesture downloads them.
 */
export function useDragOut(items: () => DragItem[]) {
  const prepared = useRef<Promise<DragPrepared> | null>(null);
  const prepare = () => (prepared.current ??= api.call('exports.drag.prepare', { items: items() }));
  const download = async () => {
    const drag = await prepare();
    for (const file of drag.downloads ?? []) {
      const link = document.createElement('a');
      link.href = withToken(file.url);
      link.download = file.name;
      link.click();
    }
  };
  return {
    onPointerDown: () => void prepare().catch(() => (prepared.current = null)),
    onDragStart: (event: DragEvent) => {
      event.preventDefault();
      if (api.startDrag) void prepare().then((drag) => api.startDrag!(drag.dragId));
      else void download();
    },
    download,
    reset: () => (prepared.current = null),
  };
}

export function FileChip({ label, items }: { label: string; items: DragItem[] }) {
  const { t } = useTranslation();
  const drag = useDragOut(() => items);
  return (
    <span
      className="filefile"
      role="button"
      tabIndex={0}
      draggable
      title={t('document.dragHint')}
      onPointerDown={drag.onPointerDown}
      onDragStart={drag.onDragStart}
      onKeyDown={(e) => {
        if (e.key === 'Enter' && !api.startDrag) void drag.download();
      }}
      onDoubleClick={() => !api.startDrag && void drag.download()}
      data-testid="file-chip"
    >
      ⇩ {label}
    </span>
  );
}
