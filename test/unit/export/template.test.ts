import { describe, expect, it } from 'vitest';
import {
  defaultProfile,
  exportKinds,
  resolveTemplate,
  templateValues,
  templateVariables,
  validateKindTemplate,
  validateProfile,
  type ExportKind,
  type TemplateVariable,
} from '../../../shared/export';

const dossier = {
  name: 'Bakkerij Janssens BV',
  enterpriseNumber: 'BE 0427.604.308',
  veniceDossierId: 'JANSSENS01',
  billitPartyId: 987654,
};
const invoice = { kind: 'sales' as const, number: 'F2024-0017', date: '2024-03-05' };
const statement = { kind: 'coda' as const, statementNumber: '45', date: '2024-11-30T00:00:00Z', iban: 'be68 5390 0754 7034' };

/** What each variable must become for the dossier and documents above. */
const expected: Record<TemplateVariable, { kind: ExportKind; value: string }> = {
  enterprise: { kind: 'sales', value: '0427604308' },
  dossier: { kind: 'sales', value: 'Bakkerij Janssens BV' },
  veniceId: { kind: 'sales', value: 'JANSSENS01' },
  partyId: { kind: 'sales', value: '987654' },
  year: { kind: 'sales', value: '2024' },
  month: { kind: 'sales', value: '03' },
  day: { kind: 'sales', value: '05' },
  date: { kind: 'sales', value: '2024-03-05' },
  number: { kind: 'sales', value: 'F2024-0017' },
  statement: { kind: 'coda', value: '045' },
  iban: { kind: 'coda', value: 'BE68539007547034' },
  kind: { kind: 'sales', value: 'sales' },
};

function resolve(kind: ExportKind, folder: string, file: string, doc: Parameters<typeof templateValues>[1]) {
  return resolveTemplate(kind, { enabled: true, folder, file }, templateValues(dossier, doc));
}

describe('export path templates', () => {
  it('has an expectation for every variable', () => {
    expect(Object.keys(expected).sort()).toEqual(Object.keys(templateVariables).sort());
  });

  for (const [variable, { kind, value }] of Object.entries(expected)) {
    it(`resolves {${variable}} in a folder and in a file name`, () => {
      const doc = kind === 'coda' ? statement : invoice;
      const result = resolve(kind, `x/{${variable}}`, `{${variable}}`, doc);
      expect(result.ok).toBe(true);
      if (!result.ok) return;
      const ext = kind === 'coda' ? 'cod' : 'xml';
      expect(result.path.folders).toEqual(['x', value]);
      expect(result.path.fileName).toBe(`${value}.${ext}`);
      expect(result.path.relativePath).toBe(`x/${value}/${value}.${ext}`);
    });
  }

  it('gives Venice-friendly defaults: one folder per dossier, CODA in its own folder', () => {
    const profile = defaultProfile('/exports');
    const sales = resolveTemplate('sales', profile.kinds.sales, templateValues(dossier, invoice));
    const purchases = resolveTemplate('purchases', profile.kinds.purchases, templateValues(dossier, { ...invoice, kind: 'purchases' }));
    const coda = resolveTemplate('coda', profile.kinds.coda, templateValues(dossier, statement));
    expect(sales.ok && sales.path.relativePath).toBe('Bakkerij Janssens BV (0427604308)/Sales/F2024-0017 2024-03-05.xml');
    expect(purchases.ok && purchases.path.relativePath).toBe('Bakkerij Janssens BV (0427604308)/Purchases/F2024-0017 2024-03-05.xml');
    expect(coda.ok && coda.path.relativePath).toBe('Bakkerij Janssens BV (0427604308)/CODA/045 2024-11-30 BE68539007547034.cod');
    expect(profile.kinds.pdf.enabled).toBe(false);
    expect(validateProfile(profile)).toEqual([]);
  });

  it('uses the statement number as {number} for CODA and keeps literal braces', () => {
    const result = resolve('coda', '{{{year}}}', '{number}-{{x}}', statement);
    expect(result.ok && result.path.relativePath).toBe('{2024}/045-{x}.cod');
  });

  it('never lets a value add a folder: separators in values are replaced, and reported', () => {
    const result = resolve('sales', '{dossier}', '{number}', { ...invoice, number: '2024/../../etc/passwd' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.path.folders).toHaveLength(1);
    expect(result.path.fileName).toBe('2024-..-..-etc-passwd.xml');
    expect(result.path.changes).toEqual([
      expect.objectContaining({ where: 'file', raw: '2024/../../etc/passwd', notes: ['separator'] }),
    ]);
  });

  it('reports a missing value instead of writing an empty name', () => {
    const result = resolveTemplate('sales', defaultProfile().kinds.sales, templateValues({ name: 'X' }, invoice));
    expect(result).toEqual({
      ok: false,
      problems: [expect.objectContaining({ code: 'missing-value', variable: 'enterprise', where: 'folder' })],
    });
    const noDate = resolve('sales', '{year}', '{number}', { ...invoice, date: null });
    expect(noDate.ok).toBe(false);
  });

  const invalid: [string, ExportKind, string, string, string][] = [
    ['an unknown variable', 'sales', '{dossier}/{client}', '{number}', 'unknown-variable'],
    ['{iban} for sales', 'sales', '{dossier}', '{number} {iban}', 'not-for-kind'],
    ['{statement} for purchases', 'purchases', '{statement}', '{number}', 'not-for-kind'],
    ['an absolute folder', 'sales', '/srv/{dossier}', '{number}', 'absolute'],
    ['a drive letter', 'sales', 'C:\\{dossier}', '{number}', 'absolute'],
    ['a ".." folder', 'sales', '{dossier}/../..', '{number}', 'dot-segment'],
    ['a "." folder', 'sales', './{dossier}', '{number}', 'dot-segment'],
    ['an empty folder name', 'sales', '{dossier}//x', '{number}', 'empty'],
    ['an unclosed brace', 'sales', '{dossier', '{number}', 'syntax'],
    ['a stray closing brace', 'sales', 'x}', '{number}', 'syntax'],
    ['a separator in the file name', 'sales', '{dossier}', '{year}/{number}', 'separator-in-file'],
    ['an empty file name', 'sales', '{dossier}', '  ', 'empty'],
  ];
  for (const [what, kind, folder, file, code] of invalid) {
    it(`refuses ${what}`, () => {
      const problems = validateKindTemplate(kind, { enabled: true, folder, file });
      expect(problems.map((p) => p.code)).toContain(code);
      expect(resolve(kind, folder, file, kind === 'coda' ? statement : invoice).ok).toBe(false);
    });
  }

  it('accepts an empty folder template (files straight in the root)', () => {
    for (const kind of exportKinds) {
      expect(validateKindTemplate(kind, { enabled: true, folder: '', file: '{number}' })).toEqual([]);
    }
    const result = resolve('sales', '', '{number}', invoice);
    expect(result.ok && result.path.relativePath).toBe('F2024-0017.xml');
  });
});
