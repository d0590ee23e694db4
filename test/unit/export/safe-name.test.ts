import { describe, expect, it } from 'vitest';
import {
  maxFileNameBytes,
  maxFolderSegmentBytes,
  safeFileName,
  safeSegment,
  utf8Length,
  withConflictSuffix,
} from '../../../shared/export';
import { hostileNames } from './hostile-names';


const separatorLike = /[/\\\u2215\u2044\uFF0F\uFF3C\u2216\u29F8\u29F9\u00A5\u20A9]/u;
const forbiddenOnWindows = /[<>:"|?*\p{Cc}]/u;
const reserved = /^(CON|PRN|AUX|NUL|COM[0-9¹²³]|LPT[0-9¹²³]|CONIN\$|CONOUT\$|CLOCK\$)$/i;

function assertSafe(name: string, budget: number) {
  expect(name).not.toBe('');
  expect(name).not.toBe('.');
  expect(name).not.toBe('..');
  expect(name).not.toMatch(separatorLike);
  expect(name).not.toMatch(forbiddenOnWindows);
  expect(name).not.toMatch(/[\p{Cf}\p{Zl}\p{Zp}\p{Cs}\p{Co}]/u);
  expect(name.startsWith('.')).toBe(false);
  expect(name).not.toMatch(/[. ]$/);
  expect(name.split('.')[0]!.trimEnd()).not.toMatch(reserved);
  expect(name.normalize('NFC')).toBe(name);
  expect(utf8Length(name)).toBeLessThanOrEqual(budget);
}

describe('safe names', () => {
  it('has a table of at least 30 hostile names', () => {
    expect(hostileNames.length).toBeGreaterThanOrEqual(30);
  });

  for (const raw of hostileNames) {
    it(`makes ${JSON.stringify(raw.length > 40 ? raw.slice(0, 20) + '…' : raw)} safe, and says what changed`, () => {
      const folder = safeSegment(raw);
      assertSafe(folder.name, maxFolderSegmentBytes);
      const file = safeFileName(raw, 'xml');
      assertSafe(file.name, maxFileNameBytes);
      expect(file.name.endsWith('.xml')).toBe(true);
      // Never silent: a changed name always carries the reasons.
      expect(folder.changed).toBe(folder.name !== raw);
      if (folder.changed) expect(folder.notes.length).toBeGreaterThan(0);
      if (file.name !== raw + '.xml') expect(file.notes.length).toBeGreaterThan(0);
      // Stable: a safe name stays as it is.
      expect(safeSegment(folder.name).name).toBe(folder.name);
    });
  }

  it('replaces what users meet most in a readable way', () => {
    expect(safeSegment('F2024/0001').name).toBe('F2024-0001');
    expect(safeSegment('A\u2215B\uFF0FC\u2044D').name).toBe('A-B-C-D');
    expect(safeSegment('CON').name).toBe('_CON');
    expect(safeSegment('nul.txt').name).toBe('_nul.txt');
    expect(safeSegment('Janssens & Zonen. ').name).toBe('Janssens & Zonen');
    expect(safeSegment('e\u0301').name).toBe('\u00E9');
    expect(safeSegment('..').notes).toContain('empty');
  });

  it('keeps the extension of a 300-character name and keeps two long names apart', () => {
    const a = safeFileName('A'.repeat(299) + '1', 'xml');
    const b = safeFileName('A'.repeat(299) + '2', 'xml');
    expect(a.name.endsWith('.xml')).toBe(true);
    expect(a.notes).toContain('truncated');
    expect(utf8Length(a.name)).toBeLessThanOrEqual(maxFileNameBytes);
    expect(a.name).not.toBe(b.name);
  });

  it('cuts multi-byte names on whole characters (no broken emoji or accents)', () => {
    for (const raw of ['😀'.repeat(300), 'e\u0301'.repeat(300), '👍🏽'.repeat(100)]) {
      const { name } = safeFileName(raw, 'cod');
      expect(name).not.toMatch(/[\uD800-\uDFFF](?![\uDC00-\uDFFF])/u);
      expect(name.endsWith('.cod')).toBe(true);
      expect(Buffer.from(name, 'utf8').toString('utf8')).toBe(name);
    }
  });

  it('adds conflict suffixes within the byte budget, keeping the extension', () => {
    expect(withConflictSuffix('F1 2024-01-01.xml', 1)).toBe('F1 2024-01-01.xml');
    expect(withConflictSuffix('F1 2024-01-01.xml', 2)).toBe('F1 2024-01-01 (2).xml');
    const long = safeFileName('x'.repeat(300), 'xml').name;
    const suffixed = withConflictSuffix(long, 42);
    expect(suffixed.endsWith(' (42).xml')).toBe(true);
    expect(utf8Length(suffixed)).toBeLessThanOrEqual(maxFileNameBytes + 8);
  });
});
