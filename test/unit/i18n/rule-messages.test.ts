/**
 * The rule messages the invoice view shows: the 40 rules that fire most often on the official conformance
 * suites are translated, in French, Dutch and English alike, and so are Venice's import rules.
 */
import fs from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { ruleMessages } from '../../../renderer/i18n/rules';
import { peppolDir, SUITES } from '../../support/conformance';

it('translates the 40 most frequent rules and Venice’s rules in every language', () => {
  const counts = new Map<string, number>();
  for (const file of Object.values(SUITES)) {
    const golden = JSON.parse(fs.readFileSync(path.join(peppolDir, file), 'utf8')) as { results: Array<{ fired: Record<string, number> }> };
    for (const r of golden.results) for (const key of Object.keys(r.fired)) counts.set(key.split(':')[0]!, (counts.get(key.split(':')[0]!) ?? 0) + 1);
  }
  const top40 = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 40).map(([id]) => id);
  for (const language of ['fr', 'nl', 'en'] as const) {
    const messages = ruleMessages[language];
    expect(top40.filter((id) => !messages[id]), language).toEqual([]);
    expect(messages['VENICE-DUPLICATE-ID']).toBeTruthy();
    expect(messages['VENICE-ENTERPRISE-NUMBER']).toBeTruthy();
    expect(Object.keys(messages).sort()).toEqual(Object.keys(ruleMessages.en).sort());
  }
  // Translated, not copied: no French or Dutch message is the English one.
  for (const id of Object.keys(ruleMessages.en)) {
    expect(ruleMessages.fr[id], id).not.toBe(ruleMessages.en[id]);
    expect(ruleMessages.nl[id], id).not.toBe(ruleMessages.en[id]);
  }
});
