import { useEffect, useId, useLayoutEffect, useRef, useState, type DragEvent, type KeyboardEvent, type ReactNode } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  width: string;
  numeric?: boolean;
  render(row: T): ReactNode;
}

/** A cell's text on one line, cut with an ellipsis when too long: the whole text on hover. */
export function Truncated({ text }: { text: string }) {
  return (
    <span className="truncate" title={text}>
      {text}
    </span>
  );
}

const HEAD = 34;
const OVERSCAN = 10;

/**
 * A table that renders only the rows in view, so a dossier with 100,000 invoices scrolls like one with
 * 50. The table itself takes the focus: arrows move the active row (announced through
 * aria-activedescendant), Enter opens it, Space ticks it, Esc leaves it.
 *
 * Rows have one fixed height, so what is in view is arithmetic on the scroll position: nothing is kept
 * per row. (A general virtualiser measures every row again each time a page of rows arrives; at
 * 100,000 rows that work and its garbage held the main thread for tenths of a second.)
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
  onEscape?(): void;
  onEndReached?(): void;
  label: string;
  rowClass?(row: T): string | undefined;
  /** CSS height of the whole table (default: what is left of the window). */
  height?: string;
  rowHeight?: number;
  draggable?(row: T): boolean;
  onDragStart?(row: T, event: DragEvent): void;
  testId?: string;
  /** Shown in the table's body when it has no rows. */
  empty?: ReactNode;
}) {
  const { rows, columns } = props;
  const rowHeight = props.rowHeight ?? 34;
  const scroller = useRef<HTMLDivElement>(null);
  const idBase = useId();
  const [view, setView] = useState({ top: 0, height: 600 });
  const measure = () => {
    const el = scroller.current;
    if (el) setView((v) => (v.top === el.scrollTop && v.height === el.clientHeight ? v : { top: el.scrollTop, height: el.clientHeight }));
  };
  useLayoutEffect(() => {
    measure();
    const observer = new ResizeObserver(measure);
    observer.observe(scroller.current!);
    return () => observer.disconnect();
  }, []);
  // A list that shrinks under a scrolled view (a filter typed far down the list) clamps the scroll position
  // without always telling: read it again, or the rows drawn would be those of the old position.
  useLayoutEffect(measure, [rows.length]);
  const first = Math.max(0, Math.floor((view.top - HEAD) / rowHeight) - OVERSCAN);
  const last = Math.min(rows.length - 1, Math.ceil((view.top - HEAD + view.height) / rowHeight) + OVERSCAN);
  const items: number[] = [];
  for (let i = first; i <= last; i++) items.push(i);

  useEffect(() => {
    if (rows.length && last >= rows.length - 20) props.onEndReached?.();
  }, [last, rows.length]);

  /** Bring a row into view, scrolling as little as possible. */
  const scrollToIndex = (index: number) => {
    const el = scroller.current;
    if (!el) return;
    const top = index * rowHeight;
    const room = el.clientHeight - HEAD;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (top + rowHeight > el.scrollTop + room) el.scrollTop = top + rowHeight - room;
  };

  const template = columns.map((c) => c.width).join(' ');
  const activeIndex = props.activeKey == null ? -1 : rows.findIndex((r) => props.rowKey(r) === props.activeKey);
  const activeRendered = activeIndex >= first && activeIndex <= last;
  const rowId = (index: number) => `${idBase}-r${index}`;

  const onKey = (event: KeyboardEvent) => {
    if (event.key === 'Escape' && props.onEscape) {
      event.preventDefault();
      props.onEscape();
      return;
    }
    if (event.target !== event.currentTarget || !rows.length) return;
    let index = activeIndex;
    if (event.key === 'ArrowDown') index = Math.min(rows.length - 1, index + 1);
    else if (event.key === 'ArrowUp') index = Math.max(0, index - 1);
    else if (event.key === 'PageDown') index = Math.min(rows.length - 1, Math.max(0, index) + 10);
    else if (event.key === 'PageUp') index = Math.max(0, index - 10);
    else if (event.key === 'Home') index = 0;
    else if (event.key === 'End') index = rows.length - 1;
    else if (event.key === 'Enter' && activeIndex >= 0) {
      event.preventDefault();
      props.onOpen?.(rows[activeIndex]!);
      return;
    } else if (event.key === ' ' && activeIndex >= 0 && props.onToggle) {
      event.preventDefault();
      props.onToggle(rows[activeIndex]!);
      return;
    } else return;
    event.preventDefault();
    props.onActivate?.(rows[index]!);
    scrollToIndex(index);
  };

  return (
    <div
      ref={scroller}
      className="vtable"
      role="grid"
      aria-label={props.label}
      aria-rowcount={rows.length + 1}
      aria-activedescendant={activeRendered ? rowId(activeIndex) : undefined}
      tabIndex={0}
      onKeyDown={onKey}
      onScroll={measure}
      style={{ height: props.height ?? 'calc(100vh - 280px)' }}
      data-testid={props.testId}
    >
      <div className="vtable-head" role="row" aria-rowindex={1} style={{ gridTemplateColumns: template, height: HEAD }}>
        {columns.map((c) => (
          <div key={c.key} role="columnheader" className={c.numeric ? 'num' : undefined}>
            {c.header}
          </div>
        ))}
      </div>
      {rows.length === 0 && props.empty && (
        <div className="vtable-empty" role="row">
          <div role="gridcell" className="muted">
            {props.empty}
          </div>
        </div>
      )}
      <div role="presentation" style={{ height: rows.length * rowHeight, position: 'relative' }}>
        {items.map((index) => {
          const row = rows[index]!;
          const key = props.rowKey(row);
          const classes = ['vtable-row', key === props.activeKey ? 'active' : '', props.rowClass?.(row) ?? ''].join(' ');
          return (
            <div
              key={key}
              id={rowId(index)}
              role="row"
              aria-rowindex={index + 2}
              aria-selected={key === props.activeKey}
              className={classes}
              style={{ gridTemplateColumns: template, transform: `translateY(${index * rowHeight}px)`, height: rowHeight }}
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
  );
}
