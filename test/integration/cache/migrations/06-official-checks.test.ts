/**
 * Cache migration 6 (official check results, hold-back decisions) from the version before it, with an
 * office's documents in it: the results are kept per UBL file and release; a document's validation level
 * counts the official errors even when a sync writes the document again with the pre-check's level only.
 */
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../../electron/core/cache';
import { migrate, migrations } from '../../../../electron/core/cache/migrations';
import { tempDir } from '../../../support/repo';

const open: Cache[] = [];
const dirs: Array<() => void> = [];
afterEach(async () => {
  while (open.length) await open.pop()!.close();
  while (dirs.length) dirs.pop()!();
});

it('migrates from the version before 6, keeps documents, and keeps official errors in the validation level', async () => {
  const { dir, cleanup } = tempDir('bvl-m6-');
  dirs.push(cleanup);
  const file = path.join(dir, 'cache.sqlite');
  const previous = migrations.filter((m) => m.version < 6).pop()!.version;
  const old = new Database(file);
  migrate(old, previous);
  const at = '2026-01-05T10:00:00.000Z';
  old.prepare(`INSERT INTO dossiers (id, venice_id, name, sort_key, enterprise_number, link_state, created_at, updated_at) VALUES (1, 'V1', 'Léon', 'leon', '0123456749', 'linked', ?, ?)`).run(at, at);
  old.prepare(`INSERT INTO blobs (sha256, size, bytes, created_at) VALUES ('aa', 3, x'3c613e', ?)`).run(at);
  old
    .prepare(
      `INSERT INTO documents (id, dossier_id, source, source_id, kind, direction, number, number_key, issue_date, currency, total_excl_cents, total_vat_cents, total_incl_cents, status, validation, findings, ubl_sha256, created_at, updated_at)
       VALUES (1, 1, 'billit-order', '1', 'invoice', 'sales', 'F-1', 'f1', '2026-01-05', 'EUR', 100, 21, 121, 'exported', 'ok', '[]', 'aa', ?, ?)`,
    )
    .run(at, at);
  old.close();

  const cache = openCache(file);
  open.push(cache);
  expect(cache.migratedFrom).toBe(previous);
  expect(cache.documents.get(1)).toMatchObject({ number: 'F-1', status: 'exported', validation: 'ok' });
  expect(cache.checks.unchecked('R1', null, 10)).toEqual([{ id: 1, sha256: 'aa', issueDate: '2026-01-05' }]);

  await cache.checks.put('R1', [{ sha256: 'aa', state: 'done', findings: [{ severity: 'error', code: 'BR-CO-15', message: 'totals', source: 'cen' }] }]);
  expect(cache.checks.get('aa', 'R1')).toMatchObject({ state: 'done', level: 'errors', findings: [{ code: 'BR-CO-15' }] });
  expect(cache.checks.unchecked('R1', null, 10)).toEqual([]);
  expect(cache.documents.get(1)!.validation).toBe('errors');
  expect(cache.dossiers.page().items[0]!.counts.problems).toBe(1);

  // A sync writes the document again with its pre-check level: the official error stays counted.
  await cache.documents.putMany([
    {
      dossierId: 1,
      source: 'billit-order',
      sourceId: '1',
      kind: 'invoice',
      direction: 'sales',
      number: 'F-1',
      issueDate: '2026-01-05',
      seller: { name: 'Léon' },
      buyer: { name: 'Client' },
      currency: 'EUR',
      totalExclCents: 100,
      totalVatCents: 21,
      totalInclCents: 121,
      validation: 'warnings',
      findings: [{ code: 'unknown-customization', severity: 'warning', message: 'w' }],
      ublSha256: 'aa',
      remoteModifiedAt: '2026-01-06',
    },
  ]);
  expect(cache.documents.get(1)!.validation).toBe('errors');

  // Another release: its results are its own; the old ones are dropped when it takes over.
  expect(cache.checks.get('aa', 'R2')).toBeNull();
  expect(await cache.checks.keepOnly('R2')).toBe(1);
  expect(cache.checks.unchecked('R2', null, 10)).toHaveLength(1);

  // Decisions: an exported document cannot be held back.
  expect(await cache.checks.decide([1], 'hold')).toEqual([]);
  expect(cache.checks.decision(1)).toBeNull();
});
