/**
 * The UI's words in French, Dutch and English: every key the screens use exists in all three, every
 * error code the Node side can send has a text, and no French or Dutch text is left in English.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { billitStatuses, dossierSorts, errorCodes } from '../../../shared/api';
import { exportFailureReasons } from '../../../shared/api/exports';
import { en } from '../../../renderer/i18n/en';
import { fr } from '../../../renderer/i18n/fr';
import { nl } from '../../../renderer/i18n/nl';
import { repoRoot } from '../../support/repo';

type Tree = { [key: string]: string | Tree };
function flatten(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    if (typeof v === 'string') out.set(prefix + k, v);
    else for (const [kk, vv] of flatten(v, `${prefix}${k}.`)) out.set(kk, vv);
  }
  return out;
}
const languages = { en: flatten(en as unknown as Tree), fr: flatten(fr as unknown as Tree), nl: flatten(nl as unknown as Tree) };
const has = (lang: keyof typeof languages, key: string) => ['', '_one', '_other'].some((s) => languages[lang].has(key + s));

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    return e.isDirectory() ? sources(full) : /\.tsx?$/.test(e.name) ? [full] : [];
  });
}

describe('the UI’s messages', () => {
  it('have the same keys in all three languages, none empty', () => {
    const keys = [...languages.en.keys()].sort();
    expect([...languages.fr.keys()].sort()).toEqual(keys);
    expect([...languages.nl.keys()].sort()).toEqual(keys);
    for (const lang of ['en', 'fr', 'nl'] as const) for (const [k, v] of languages[lang]) expect(v.trim(), `${lang} ${k}`).not.toBe('');
  });

  it('cover every key a screen asks for by name', () => {
    const used = new Set<string>();
    for (const file of sources(path.join(repoRoot, 'renderer'))) {
      for (const m of fs.readFileSync(file, 'utf8').matchAll(/\bt\(\s*'([a-zA-Z][\w.-]*)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(150);
    for (const key of used) for (const lang of ['en', 'fr', 'nl'] as const) expect(has(lang, key), `${lang}: ${key}`).toBe(true);
  });

  it('translate every code the Node side can send, every state and every export failure', () => {
    for (const lang of ['en', 'fr', 'nl'] as const) {
      for (const code of errorCodes) expect(has(lang, `errors.${code}`), `${lang} errors.${code}`).toBe(true);
      for (const s of billitStatuses) expect(has(lang, `billitStatus.${s}`), `${lang} ${s}`).toBe(true);
      for (const s of dossierSorts) expect(has(lang, `dossiers.sorts.${s}`), `${lang} ${s}`).toBe(true);
      for (const r of exportFailureReasons) expect(has(lang, `exports.reasons.${r}`), `${lang} ${r}`).toBe(true);
      for (const n of ['link.accepted', 'link.refused', 'link.activated', 'sync.scheduled-problems', 'feed.poll-skipped'])
        expect(has(lang, `notices.${n}`), `${lang} notices.${n}`).toBe(true);
    }
  });

  it('leave no French or Dutch text in English', () => {
    // Words that are the same in the three languages (names, codes, units).
    const same = new Set([
      'Billit Venice Link', 'Billit', 'Venice Cloud', 'Dossier', 'Dossiers', 'Exports', 'Export', 'E-mail', 'UBL + PDF', 'Offline',
      'Synchronisation', 'Relations', 'Details', 'Document', 'Accounts', 'Version {{version}}', 'Details: {{reason}}',
      '{{step}} · {{dossier}}', 'h', 'l', 'm', 'kg', 'm²', 'sandbox', '1. Billit', '2. Venice Cloud', 'Billit status', 'Date', 'Description',
      'Communication', 'Type', 'Version', 'Documents', '{{n}} item', '{{n}} items', 'Status', 'production',
    ]);
    const copies: string[] = [];
    for (const [key, english] of languages.en) {
      if (same.has(english)) continue;
      for (const lang of ['fr', 'nl'] as const) if (languages[lang].get(key) === english) copies.push(`${lang} ${key}: ${english}`);
    }
    expect(copies).toEqual([]);
  });
});
