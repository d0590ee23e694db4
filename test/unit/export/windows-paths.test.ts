import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPathLength, longestTempName, pathLimitBelow } from '../../../electron/core/export/writer';
import { defaultKindTemplates, resolveTemplate, templateValues, withConflictSuffix } from '../../../shared/export';

// An office's root as Windows offices have them: a synced OneDrive folder under a long user name.
const deepRoot = 'C:\\Users\\marie-christine.vandenbroucke\\OneDrive - Fiduciaire Vandenbroucke & Associés SRL\\Dossiers clients\\Exports pour Venice';
const dossier = { name: 'Boulangerie-Pâtisserie Van den Bossche-Dewaele et Fils, Traiteur & Organisation d’Événements SRL', enterpriseNumber: '0427604308', veniceDossierId: 'V-0042', billitPartyId: 123 };
const invoice = (number: string) => templateValues(dossier, { kind: 'sales', number, date: '2026-03-02' });
const longNumber = 'FACTURE-VENTE-2026-ABONNEMENT-MENSUEL-LIVRAISON-QUOTIDIENNE-PAINS-ET-VIENNOISERIES-0000123';

/** Every path the writer would use for a file: the file, its conflict names up to (99), the temp file beside it. */
function longestWindowsPath(root: string, folders: string[], fileName: string): number {
  const folder = path.win32.join(root, ...folders);
  return Math.max(path.win32.join(folder, withConflictSuffix(fileName, 99)).length, path.win32.join(folder, 'T'.repeat(longestTempName)).length);
}

describe('export paths on Windows stay under MAX_PATH (260 characters)', () => {
  it('leaves a path that fits alone', () => {
    const short = resolveTemplate('sales', defaultKindTemplates().sales, templateValues({ ...dossier, name: 'Bakkerij Janssens BV' }, { kind: 'sales', number: 'F2026/0001', date: '2026-03-02' }), pathLimitBelow('C:\\Exports', 'win32'));
    expect(short).toMatchObject({ ok: true, path: { relativePath: 'Bakkerij Janssens BV (0427604308)/Sales/F2026-0001 2026-03-02.xml' } });
  });

  it('shortens the names under a deep root until every file the writer makes fits, and says so', () => {
    expect(deepRoot.length).toBeGreaterThan(120);
    const unlimited = resolveTemplate('sales', defaultKindTemplates().sales, invoice(longNumber));
    expect(unlimited.ok && longestWindowsPath(deepRoot, unlimited.path.folders, unlimited.path.fileName)).toBeGreaterThan(259);

    const fitted = resolveTemplate('sales', defaultKindTemplates().sales, invoice(longNumber), pathLimitBelow(deepRoot, 'win32'));
    if (!fitted.ok) throw new Error('expected a path');
    const { folders, fileName, changes } = fitted.path;
    expect(longestWindowsPath(deepRoot, folders, fileName)).toBeLessThanOrEqual(259);
    expect(() => checkPathLength(path.win32.join(deepRoot, ...folders, withConflictSuffix(fileName, 99)), 'win32')).not.toThrow();
    // Still recognisable: the start of the dossier's name and of the invoice number, the extension, the layout.
    expect(folders[0]).toMatch(/^Boulangerie-Pâtisserie/);
    expect(folders[1]).toBe('Sales');
    expect(fileName).toMatch(/^FACTURE-VENTE-2026.*\.xml$/);
    expect(changes.some((c) => c.notes.includes('truncated'))).toBe(true);
  });

  it('keeps two long names that differ only at the end apart', () => {
    const limit = pathLimitBelow(deepRoot, 'win32');
    const a = resolveTemplate('sales', defaultKindTemplates().sales, invoice(`${longNumber}-A`), limit);
    const b = resolveTemplate('sales', defaultKindTemplates().sales, invoice(`${longNumber}-B`), limit);
    expect(a.ok && b.ok).toBe(true);
    if (a.ok && b.ok) expect(a.path.fileName).not.toBe(b.path.fileName);
  });

  it('gives the same path every time (a re-export finds what it delivered)', () => {
    const limit = pathLimitBelow(deepRoot, 'win32');
    expect(resolveTemplate('sales', defaultKindTemplates().sales, invoice(longNumber), limit)).toEqual(resolveTemplate('sales', defaultKindTemplates().sales, invoice(longNumber), limit));
  });

  it('refuses with a clear reason when the root alone leaves no room for a file', () => {
    const tooDeep = `C:\\${'Un dossier avec un nom très long\\'.repeat(7)}Exports`;
    const limit = pathLimitBelow(tooDeep, 'win32')!;
    const fitted = resolveTemplate('sales', defaultKindTemplates().sales, invoice(longNumber), limit);
    if (!fitted.ok) throw new Error('expected a path');
    expect(() => checkPathLength(path.win32.join(tooDeep, ...fitted.path.folders, fitted.path.fileName), 'win32')).toThrow(/at most 259/);
  });

  it('applies no Windows limit elsewhere', () => {
    expect(pathLimitBelow('/home/marie/Exports', 'linux')).toBeUndefined();
    expect(pathLimitBelow('/Users/marie/Exports', 'darwin')).toBeUndefined();
  });
});
