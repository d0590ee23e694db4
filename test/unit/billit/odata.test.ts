import { describe, expect, it } from 'vitest';
import { odata } from '../../../electron/core/billit';
import { evaluate, parseFilter, readODataQuery, parseOrderBy, sortBy } from '../../../electron/demo/billit/odata';

/** The filters the client writes are the ones the simulator reads, with Billit's documented syntax. */
describe('OData filters', () => {
  const rows = [
    { OrderID: 1, OrderDirection: 'Income', OrderType: 'Invoice', LastModified: '2026-04-01T10:00:00', CounterParty: { PartyID: 7 }, Reference: "O'Brien" },
    { OrderID: 2, OrderDirection: 'Cost', OrderType: 'Invoice', LastModified: '2026-04-02T10:00:00.250', CounterParty: { PartyID: 8 } },
    { OrderID: 3, OrderDirection: 'Cost', OrderType: 'CreditNote', LastModified: '2026-04-03T00:00:00', CounterParty: { PartyID: 7 } },
  ];
  const run = (filter: string | undefined) => rows.filter((r) => evaluate(parseFilter(filter!), r)).map((r) => r.OrderID);

  it('builds and evaluates comparisons, dates, sub-properties and quotes', () => {
    expect(odata.eq('OrderDirection', 'Cost')).toBe("OrderDirection eq 'Cost'");
    expect(run(odata.eq('OrderDirection', 'Cost'))).toEqual([2, 3]);
    expect(run(odata.ge('LastModified', new Date('2026-04-02T10:00:00.250Z')))).toEqual([2, 3]);
    expect(run(odata.ge('LastModified', { raw: odata.dateTime('2026-04-02T10:00:00.250') }))).toEqual([2, 3]);
    expect(run(odata.le('LastModified', { raw: odata.dateTime('2026-04-02') }))).toEqual([1]);
    expect(run(odata.eq('CounterParty/PartyID', 7))).toEqual([1, 3]);
    expect(odata.eq('Reference', "O'Brien")).toBe("Reference eq 'O''Brien'");
    expect(run(odata.eq('Reference', "O'Brien"))).toEqual([1]);
    expect(run(odata.and(odata.eq('OrderDirection', 'Cost'), odata.or(odata.eq('OrderType', 'Invoice'), odata.eq('OrderID', 1))))).toEqual([2]);
    expect(run("OrderDirection eq 'Cost' and LastModified ge datetime'2026-04-03'")).toEqual([3]);
    expect(() => odata.eq('Name) or (1', 'x')).toThrow();
    expect(() => odata.dateTime('yesterday')).toThrow();
  });

  it('reads $top (at most 120), $skip and $orderby, and names a property Billit does not allow', () => {
    const q = (s: string) => new URLSearchParams(s);
    expect(readODataQuery(q('')).top).toBe(120);
    expect(readODataQuery(q('$top=50&$skip=100'))).toMatchObject({ top: 50, skip: 100 });
    expect(() => readODataQuery(q('$top=121'))).toThrow(/limit of '120'/);
    expect(() => readODataQuery(q("$filter=VATNumber eq 'x'"), new Set(['OrderID']), 'Order')).toThrow(/Could not find a property named 'VATNumber'/);
    const sorted = sortBy(rows, parseOrderBy('OrderDirection asc, LastModified desc')).map((r) => r.OrderID);
    expect(sorted).toEqual([3, 2, 1]);
  });
});
