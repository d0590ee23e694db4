import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  width: string;
  numeric?: boolean;
  render(row: T): ReactNode;
}

/**
 * A table that renders only the rows in view, so a dossier with 50,000 invoices scrolls
 * like one with 50. Arrow keys move the active row; Enter opens it.
 */
export function VirtualTable<T>(props: {
  rows: T[];
  columns: Column<T>[];
  rowKey(row: T): string;
  activeKey?: string | null;
  onActivate?(row: T): void;
  onOpen?(row: T): void;
  /** Space on the active row (e.g. tick it for a bulk action). */
  onToggle?(row: T): void;
  onEndReached?(): void;
  label: string;
  rowClass?(row: T): string | undefined;
  height?: string;
  draggable?(row: T): boolean;
  onDragStart?(row: T, event: React.DragEvent): void;
}) {
  const { rows, columns } = props;
  const parent = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: rows.length, getScrollElement: () => parent.current, estimateSize: () => 34, overscan: 12 });
  const items = virtual.getVirtualItems();
  const last = items[items.length - 1];

  useEffect(() => {
    if (last && last.index >= rows.length - 20) props.onEndReached?.();
  }, [last?.index, rows.length]);

  const template = columns.map((c) => c.width).join(' ');
  const activeIndex = rows.findIndex((r) => props.rowKey(r) === props.activeKey);

  const onKey = (event: KeyboardEvent) => {
    if (!rows.length) return;
    let index = activeIndex;
    if (event.key === 'ArrowDown') index = Math.min(rows.length - 1, index + 1);
    else if (event.key === 'ArrowUp') index = Math.max(0, index - 1);
    else if (event.key === 'Home') index = 0;
    else if (event.key === 'End') index = rows.length - 1;
    else if (event.key === 'Enter' && activeIndex >= 0) {
      props.onOpen?.(rows[activeIndex]!);
      return;
    } else if (event.key === ' ' && activeIndex >= 0 && props.onToggle && event.target === event.currentTarget) {
      event.preventDefault();
      props.onToggle(rows[activeIndex]!);
      return;
    } else return;
    event.preventDefault();
    props.onActivate?.(rows[index]!);
    virtual.scrollToIndex(index);
  };

  return (
    <div className="vtable" role="grid" aria-label={props.label} aria-rowcount={rows.length} tabIndex={0} onKeyDown={onKey}>
      <div className="vtable-head" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((c) => (
          <div key={c.key} role="columnheader" className={c.numeric ? 'num' : undefined}>
            {c.header}
          </div>
        ))}
      </div>
      <div ref={parent} className="vtable-body" style={{ height: props.height ?? 'calc(100vh - 260px)' }}>
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            const key = props.rowKey(row);
            const classes = ['vtable-row', key === props.activeKey ? 'active' : '', props.rowClass?.(row) ?? ''].join(' ');
            return (
              <div
                key={key}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={key === props.activeKey}
                className={classes}
                style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: item.size }}
                onClick={() => props.onActivate?.(row)}
                onDoubleClick={() => props.onOpen?.(row)}
                draggable={props.draggable?.(row) ?? false}
                onDragStart={(e) => props.onDragStart?.(row, e)}
              >
                {columns.map((c) => (
                  <div key={c.key} role="gridcell" className={c.numeric ? 'num' : undefined}>
                    {c.render(row)}
                  </div>
                ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
