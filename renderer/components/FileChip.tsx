import { useRef, type DragEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { DragPrepared, ExportDocumentRef as DragItem } from '../../shared/api';
import { fileLabel } from '../../shared/export';
import { api } from '../api';
import { withToken } from '../api/socket';

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

/**
 * One file (`name` plus its kind's extension: `F2024-0001.xml`), or several files under one label.
 */
export type FileChipProps = { name: string; item: DragItem } | { label: string; items: DragItem[] };

export function FileChip(props: FileChipProps) {
  const { t } = useTranslation();
  const [label, items] = 'item' in props ? [fileLabel(props.item.kind, props.name), [props.item]] : [props.label, props.items];
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
