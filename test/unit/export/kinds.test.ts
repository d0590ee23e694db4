/**
 * One descriptor per export kind: every place that names a kind's files, labels or templates reads it, so
 * the extension a file is written with, the one a chip shows and the type a download is given agree.
 */
import { describe, expect, it } from 'vitest';
import { exportProfileSchema } from '../../../shared/api/exports';
import {
  contentTypeOf,
  defaultProfile,
  exportKind,
  exportKinds,
  fileLabel,
  isExportKind,
  kindOf,
  resolveTemplate,
  templateValues,
  type ExportKind,
} from '../../../shared/export';
import { en } from '../../../renderer/i18n/en';
import { fr } from '../../../renderer/i18n/fr';
import { nl } from '../../../renderer/i18n/nl';

const dossier = { name: 'Bakkerij Janssens BV', enterpriseNumber: '0427604308', veniceDossierId: 'JANSSENS' };
const document = { number: 'F2024-0017', statementNumber: '045', date: '2024-03-05', iban: 'BE68539007547034' };

describe('export kinds', () => {
  for (const kind of exportKinds) {
    it(`${kind}: written, shown and downloaded with the same extension`, () => {
      const { extension, contentType } = exportKind[kind];
      // Whatever the file-name template says, the kind's extension is the one the file gets.
      const resolved = resolveTemplate(kind, { enabled: true, folder: 'x', file: '{number}.txt' }, templateValues(dossier, { ...document, kind }));
      expect(resolved.ok && resolved.path.fileName.endsWith(`.${extension}`)).toBe(true);
      expect(resolved.ok && contentTypeOf(resolved.path.fileName)).toBe(contentType);
      expect(fileLabel(kind, 'F2024-0017')).toBe(`F2024-0017.${extension}`);
      // Its default templates resolve for a real document of that kind.
      const defaults = resolveTemplate(kind, defaultProfile().kinds[kind], templateValues(dossier, { ...document, kind }));
      expect(defaults.ok).toBe(true);
    });
  }

  it('names every kind in French, Dutch and English', () => {
    for (const messages of [en, fr, nl]) {
      for (const kind of exportKinds) {
        const [room, group, key] = exportKind[kind].labelKey.split('.') as ['exports', 'kinds', ExportKind];
        expect(messages[room][group][key], kind).toMatch(/\S/);
      }
    }
    expect(fr.exports.kinds.sales).not.toBe(en.exports.kinds.sales);
    expect(nl.exports.kinds.purchases).not.toBe(en.exports.kinds.purchases);
  });

  it('knows the kinds and nothing else, not even the names every object has', () => {
    expect(exportKinds).toEqual(['sales', 'purchases', 'coda', 'pdf']);
    for (const name of ['receipts', 'toString', 'constructor', '__proto__', '', null, 3]) expect(isExportKind(name), String(name)).toBe(false);
    expect(() => kindOf('receipts' as ExportKind)).toThrow(/Unknown export kind/);
    expect(contentTypeOf('notes.txt')).toBe('application/octet-stream');
    expect(contentTypeOf('F1.XML')).toBe('application/xml');
  });

  it('gives every new profile its own copy of the defaults', () => {
    const first = defaultProfile('/a');
    first.kinds.sales.folder = 'Changed';
    first.kinds.pdf.enabled = true;
    const second = defaultProfile('/b');
    expect(second.kinds.sales.folder).toBe('{dossier} ({enterprise})/Sales');
    expect(second.kinds.pdf.enabled).toBe(false);
    expect(exportKind.sales.defaultTemplate.folder).toBe('{dossier} ({enterprise})/Sales');
  });

  it('accepts a profile only with templates for every kind', () => {
    const profile = defaultProfile('/exports');
    expect(exportProfileSchema.safeParse(profile).success).toBe(true);
    for (const kind of exportKinds) {
      const { [kind]: _left, ...rest } = profile.kinds;
      expect(exportProfileSchema.safeParse({ ...profile, kinds: rest }).success, kind).toBe(false);
    }
  });
});
