/**
 * The demo office writes Peppol BIS 3.0: every one of its invoices and credit notes passes the UBL 2.1
 * schema and both official rule sets with no error, and the fast pre-check finds no error in them either
 * (it never reports what the official rules would not).
 */
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { renderUbl } from '../../../electron/demo/seed/documents';
import { DemoWorld } from '../../../electron/demo/seed/world';
import { createCheckPool, type CheckPool } from '../../../electron/core/checks/pool';
import { findRules } from '../../../electron/core/checks/rules';
import { parseUbl, validateUbl } from '../../../shared/ubl';
import { repoRoot } from '../../support/repo';

let pool: CheckPool | null = null;
afterAll(async () => {
  await pool?.close();
});

it('every demo-office invoice and credit note passes the schema and both rule sets', async () => {
  const world = new DemoWorld();
  const docs: Array<{ key: string; bytes: Uint8Array }> = [];
  for (const d of world.dossiers) for (const inv of d.invoices()) docs.push({ key: `${d.veniceId} ${inv.number}`, bytes: renderUbl(d, inv) });
  expect(docs.length).toBeGreaterThan(800);
  expect(docs.some((d) => /<CreditNote/.test(new TextDecoder().decode(d.bytes.subarray(0, 400))))).toBe(true);

  pool = createCheckPool({ rules: findRules(path.join(repoRoot, 'resources/rules'))!, size: 2 });
  const batches: Promise<Awaited<ReturnType<CheckPool['check']>>>[] = [];
  for (let i = 0; i < docs.length; i += 32) batches.push(pool.check(docs.slice(i, i + 32)));
  const results = (await Promise.all(batches)).flat();
  expect(results).toHaveLength(docs.length);
  // Both rule sets and the schema applied to each (a document they skipped would prove nothing).
  expect(results.filter((r) => ['schema', 'cen', 'peppol'].every((a) => r.applied.includes(a)))).toHaveLength(docs.length);
  const errors = results.flatMap((r) => r.findings.filter((f) => f.severity === 'error').map((f) => `${r.key}: ${f.code} ${f.message}`));
  expect(errors).toEqual([]);

  const precheck = docs.flatMap((d) => {
    const r = parseUbl(d.bytes);
    return r.ok ? validateUbl(r.value).filter((f) => f.severity === 'error').map((f) => `${d.key}: ${f.code}`) : [`${d.key}: ${r.error.code}`];
  });
  expect(precheck).toEqual([]);
}, 600_000);
