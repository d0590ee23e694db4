/**
 * The official conformance suites (`../shared/peppol/tests`): VEFA `testSet` files, each holding one or more
 * tests (an expectation list and an Invoice or CreditNote), with the golden results recorded for every test
 * (`../shared/peppol/results`: every rule that fired, id:flag → count). The embedded document is serialised
 * as a standalone document, as the golden run did.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type SaxonJsModule from 'saxon-js';
import { sharedDir } from './repo';

const SaxonJS = createRequire(import.meta.url)('saxon-js') as typeof SaxonJsModule;
const VEFA = { namespaceContext: { v: 'http://difi.no/xsd/vefa/validator/1.0' } };
export const peppolDir = path.join(sharedDir, 'peppol');

export interface Expectation {
  kind: 'success' | 'warning' | 'error' | 'fatal';
  id: string;
  number: number | null;
}

export interface ConformanceTest {
  /** `tests/peppol-3.0.19/unit-UBL-DE/UBL-IN_DE-R-001.xml#1` */
  name: string;
  xml: string;
  expected: Expectation[];
  /** Golden: every rule that fired, `id:flag` → count. */
  golden: Record<string, number>;
}

export const SUITES = {
  /** 543 documents, checked with CEN 1.3.14.1 + Peppol 3.0.19 (SaxonJS-patched). */
  peppol: 'results/peppol-3.0.19-unit-UBL.results.json',
  /** 1,131 documents, checked with CEN 1.3.16. */
  cen: 'results/cen-1.3.16-unit-UBL.results.json',
} as const;

export function loadSuite(suite: keyof typeof SUITES): ConformanceTest[] {
  const golden = JSON.parse(fs.readFileSync(path.join(peppolDir, SUITES[suite]), 'utf8')) as {
    results: Array<{ file: string; test: number; fired: Record<string, number> }>;
  };
  const files = new Map<string, Array<{ xml: string; expected: Expectation[] }>>();
  return golden.results.map((r) => {
    let tests = files.get(r.file);
    if (!tests) {
      const doc = SaxonJS.XPath.evaluate('parse-xml($t)', null, { params: { t: fs.readFileSync(path.join(peppolDir, r.file), 'utf8') } }) as object;
      const nodes = SaxonJS.XPath.evaluate('/v:testSet/v:test', doc, { ...VEFA, resultForm: 'array' }) as object[];
      tests = nodes.map((t) => ({
        xml: SaxonJS.XPath.evaluate('serialize(*[not(self::v:assert)][1])', t, VEFA) as string,
        expected: (
          SaxonJS.XPath.evaluate(
            "v:assert/(v:success|v:warning|v:error|v:fatal) ! string-join((local-name(), normalize-space(.), string(@number)), '|')",
            t,
            { ...VEFA, resultForm: 'array' },
          ) as string[]
        ).map((s) => {
          const [kind, id, number] = s.split('|') as [Expectation['kind'], string, string];
          return { kind, id, number: number ? Number(number) : null };
        }),
      }));
      files.set(r.file, tests);
    }
    const t = tests[r.test - 1]!;
    return { name: `${r.file}#${r.test}`, xml: t.xml, expected: t.expected, golden: r.fired };
  });
}

/** What a test's expectations say about the rules that fired (`id:flag` → count); empty when all are met. */
export function unmet(expected: readonly Expectation[], fired: Record<string, number>): string[] {
  const problems: string[] = [];
  for (const e of expected) {
    const fatal = fired[`${e.id}:fatal`] ?? 0;
    const warning = fired[`${e.id}:warning`] ?? 0;
    if (e.kind === 'success') {
      if (fatal + warning) problems.push(`${e.id} must not fire, fired ${fatal + warning}×`);
      continue;
    }
    const hits = e.kind === 'warning' ? warning : fatal;
    if (!hits) problems.push(`${e.id} must fire as ${e.kind}, did not`);
    else if (e.number !== null && hits !== e.number) problems.push(`${e.id} must fire ${e.number}×, fired ${hits}×`);
  }
  return problems;
}
