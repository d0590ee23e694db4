/**
 * Both official conformance suites through the app's check pool (two worker threads, batches as the
 * background queue sends them, so several documents share a CEN transform): every expectation of every
 * testSet is met, and every rule that fires matches the golden results (id, flag, count) — the pool reports
 * exactly what one SaxonJS transform per document reported when the golden results were made.
 *
 * The Peppol suite runs with the app's own release (CEN 1.3.14.1 + Peppol 3.0.19); the CEN suite's golden
 * results are CEN 1.3.16's, so it runs with a release folder of that rule set alone, as a rules update would
 * bring it.
 *
 * The fast pre-check never contradicts them: on every one of these 1,674 documents, each error it reports is
 * reported by the official checks too (one of the rules it names fired as an error, or the UBL schema or the
 * XML parser refused the file).
 */
import fs from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { parseUbl, validateUbl } from '../../../shared/ubl';
import { createCheckPool, type CheckPool } from '../../../electron/core/checks/pool';
import { findRules, readRelease } from '../../../electron/core/checks/rules';
import { loadSuite, peppolDir, unmet, type ConformanceTest } from '../../support/conformance';
import { repoRoot, tempDir } from '../../support/repo';

const pools: CheckPool[] = [];
const temp = tempDir('bvl-rules-');
afterAll(async () => {
  await Promise.all(pools.map((p) => p.close()));
  temp.cleanup();
});

/** What the official checks reported as errors, per test: rule ids, plus `XSD` / `XML` for the schema and parser. */
let officialErrors: Array<Set<string>> = [];

/** Every test through the pool, in batches of 16; `id:flag` → count of the rules that fired, per test. */
async function run(pool: CheckPool, tests: ConformanceTest[]): Promise<Array<Record<string, number>>> {
  const batches: Promise<void>[] = [];
  const fired: Array<Record<string, number>> = new Array(tests.length);
  officialErrors = new Array(tests.length);
  for (let i = 0; i < tests.length; i += 16) {
    const slice = tests.slice(i, i + 16);
    batches.push(
      pool.check(slice.map((t, j) => ({ key: String(i + j), bytes: new TextEncoder().encode(t.xml) })), { allRuleSets: true }).then((results) => {
        for (const r of results) {
          const counts: Record<string, number> = {};
          officialErrors[Number(r.key)] = new Set(r.findings.filter((f) => f.severity === 'error').map((f) => f.code));
          for (const f of r.findings) {
            if (f.source === 'schema') continue;
            const key = `${f.code}:${f.severity === 'error' ? 'fatal' : 'warning'}`;
            counts[key] = (counts[key] ?? 0) + 1;
          }
          fired[Number(r.key)] = counts;
        }
      }),
    );
  }
  await Promise.all(batches);
  return fired;
}

function compare(tests: ConformanceTest[], fired: Array<Record<string, number>>) {
  const expectationsUnmet = tests.flatMap((t, i) => unmet(t.expected, fired[i]!).map((p) => `${t.name}: ${p}`));
  const differFromGolden = tests.flatMap((t, i) => (JSON.stringify(sorted(fired[i]!)) === JSON.stringify(sorted(t.golden)) ? [] : [`${t.name}: ${JSON.stringify(fired[i])} ≠ golden ${JSON.stringify(t.golden)}`]));
  return { expectationsUnmet, differFromGolden };
}

/** Pre-check errors no official finding backs (should be none). */
function falseErrors(tests: ConformanceTest[]): string[] {
  return tests.flatMap((t, i) => {
    const parsed = parseUbl(t.xml);
    const official = officialErrors[i]!;
    const errors = parsed.ok ? validateUbl(parsed.value).filter((f) => f.severity === 'error') : [];
    return errors.filter((f) => !(f.rules ?? []).some((r) => official.has(r))).map((f) => `${t.name}: pre-check ${f.code} "${f.message}" — official errors: ${[...official].join(', ') || 'none'}`);
  });
}

function sorted(o: Record<string, number>): Array<[string, number]> {
  return Object.entries(o).sort(([a], [b]) => a.localeCompare(b));
}

describe('official conformance suites through the check pool', () => {
  it('Peppol BIS 3.0.19 suite: 543 documents, every expectation met, every fired rule as golden', async () => {
    const tests = loadSuite('peppol');
    expect(tests).toHaveLength(543);
    const pool = createCheckPool({ rules: findRules(path.join(repoRoot, 'resources/rules'))!, size: 2 });
    pools.push(pool);
    const fired = await run(pool, tests);
    const { expectationsUnmet, differFromGolden } = compare(tests, fired);
    expect(expectationsUnmet).toEqual([]);
    expect(differFromGolden).toEqual([]);
    expect(falseErrors(tests)).toEqual([]);
    // The suites test rules that fire: a run where nothing fired would prove nothing.
    expect(fired.filter((f) => Object.keys(f).length > 0).length).toBeGreaterThan(500);
  }, 600_000);

  it('CEN EN 16931 1.3.16 suite: 1,131 documents, every expectation met, every fired rule as golden', async () => {
    const tests = loadSuite('cen');
    expect(tests).toHaveLength(1131);
    const dir = path.join(temp.dir, 'cen-1.3.16');
    fs.mkdirSync(dir, { recursive: true });
    const file = 'CEN-EN16931-UBL-1.3.16.sef.json.gz';
    fs.copyFileSync(path.join(peppolDir, 'sef', file), path.join(dir, file));
    const sha256 = createHash('sha256').update(fs.readFileSync(path.join(dir, file))).digest('hex');
    fs.writeFileSync(
      path.join(dir, 'release.json'),
      JSON.stringify({ name: 'EN 16931 1.3.16', published: '2026-04-14', ruleSets: [{ id: 'cen', name: 'EN 16931 UBL rules 1.3.16', file, sha256, appliesTo: 'en16931', contextFree: true }] }),
    );
    const release = readRelease(dir, { verify: true });
    const pool = createCheckPool({ rules: { release, schemaDir: path.join(repoRoot, 'resources/rules/ubl-2.1') }, size: 2 });
    pools.push(pool);
    const fired = await run(pool, tests);
    const { expectationsUnmet, differFromGolden } = compare(tests, fired);
    expect(expectationsUnmet).toEqual([]);
    expect(differFromGolden).toEqual([]);
    expect(falseErrors(tests)).toEqual([]);
    expect(fired.filter((f) => Object.keys(f).length > 0).length).toBeGreaterThan(1000);
  }, 600_000);
});
