import type { Ctx } from './context';

export type Change = 'inserted' | 'updated' | 'unchanged';
type Value = string | number | bigint | Buffer | null;

/**
 * Insert-or-update by natural key, writing only the columns that differ, so an unchanged row
 * costs one indexed lookup and fires no trigger — a re-sync of the same data is cheap. A value
 * left `undefined` keeps what is stored (or takes its default on insert). The statements are
 * built once per table and column set; a batch allocates little per row. Use inside a write.
 */
export class Upsert {
  private readonly select: string;
  /** The value columns, from the first row (every row of a call site has the same shape). */
  private valueCols: string[] | null = null;
  private insert = '';

  constructor(
    private readonly ctx: Ctx,
    private readonly table: string,
    private readonly keyCols: readonly string[],
    private readonly defaults: Record<string, Value> = {},
  ) {
    this.select = `SELECT * FROM ${table} WHERE ${keyCols.map((c) => `${c} = ?`).join(' AND ')}`;
  }

  /** `key`: the natural key's values, in the order of the constructor's columns. */
  put(key: readonly Value[], values: Record<string, Value | undefined>): { id: number; change: Change } {
    if (!this.valueCols) {
      this.valueCols = Object.keys(values);
      const cols = [...this.keyCols, ...this.valueCols, 'created_at', 'updated_at'];
      this.insert = `INSERT INTO ${this.table} (${cols.join(', ')}) VALUES (${cols.map(() => '?').join(', ')})`;
    }
    const existing = this.ctx.w(this.select).get(...key) as Record<string, unknown> | undefined;
    const now = this.ctx.now();
    if (!existing) {
      const params: Value[] = [...key];
      for (const col of this.valueCols) params.push(values[col] !== undefined ? values[col]! : (this.defaults[col] ?? null));
      params.push(now, now);
      return { id: Number(this.ctx.w(this.insert).run(...params).lastInsertRowid), change: 'inserted' };
    }
    const changed: string[] = [];
    for (const col of this.valueCols) {
      const value = values[col];
      if (value !== undefined && !same(existing[col], value)) changed.push(col);
    }
    const id = existing.id as number;
    if (!changed.length) return { id, change: 'unchanged' };
    this.ctx
      .w(`UPDATE ${this.table} SET ${changed.map((c) => `${c} = ?`).join(', ')}, updated_at = ? WHERE id = ?`)
      .run(...changed.map((c) => values[c]!), now, id);
    return { id, change: 'updated' };
  }
}

function same(stored: unknown, value: Value): boolean {
  if (Buffer.isBuffer(stored) && Buffer.isBuffer(value)) return stored.equals(value);
  return stored === value;
}
