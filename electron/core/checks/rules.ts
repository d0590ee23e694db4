/**
 * The official rules as data: `resources/rules/<release>/release.json` names a release's compiled rule sets
 * (SaxonJS SEF files) and which documents each applies to; `resources/rules/ubl-2.1/` holds the UBL schemas.
 * A new Peppol release is a new folder: the release with the newest `published` date is the one in force, and
 * its `name` is recorded with every result so a change of release checks every document again.
 */
import { sha256 } from '../lib/hash';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Which documents a rule set is for, by the CustomizationID they claim. */
export type Applicability = 'en16931' | 'peppol-bis-3' | 'all';

const ruleSetSchema = z.object({
  id: z.string().regex(/^[a-z0-9-]+$/),
  name: z.string().min(1),
  file: z.string().regex(/^[^/\\]+\.sef\.json(\.gz)?$/),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  appliesTo: z.enum(['en16931', 'peppol-bis-3', 'all']),
  /**
   * True when the rule set declares no global variable or parameter that reads the document: several
   * documents may then share one transform (see PROVENANCE.md of the release).
   */
  contextFree: z.boolean().default(false),
});

const releaseSchema = z.object({
  name: z.string().min(1).max(200),
  published: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  ruleSets: z.array(ruleSetSchema).min(1),
});

export type RuleSet = z.infer<typeof ruleSetSchema> & { path: string };

export interface RulesRelease {
  /** What the UI shows and what results are recorded under, e.g. "Peppol BIS 3.0.19 (May 2025) + EN 16931 1.3.14.1". */
  name: string;
  published: string;
  dir: string;
  ruleSets: RuleSet[];
}

export interface RulesLocation {
  release: RulesRelease;
  /** The folder holding `xsd/maindoc` and `xsd/common` of UBL 2.1. */
  schemaDir: string;
}

/**
 * The rules folder: `<resources>/rules` beside a packaged app, else the repository's `resources/rules`
 * (from source or from the `out/electron` bundle).
 */
export function defaultRulesDir(): string {
  const resourcesPath = (process as { resourcesPath?: string }).resourcesPath;
  const candidates = [
    ...(resourcesPath ? [path.join(resourcesPath, 'rules')] : []),
    fileURLToPath(new URL('../../../resources/rules', import.meta.url)),
    fileURLToPath(new URL('../../resources/rules', import.meta.url)),
  ];
  return candidates.find((c) => fs.existsSync(path.join(c, 'ubl-2.1'))) ?? candidates[candidates.length - 1]!;
}

/** Reads one release folder; throws with a clear message when it is incomplete or a file was altered. */
export function readRelease(dir: string, options: { verify?: boolean } = {}): RulesRelease {
  const manifest = releaseSchema.parse(JSON.parse(fs.readFileSync(path.join(dir, 'release.json'), 'utf8')));
  const ruleSets = manifest.ruleSets.map((r) => {
    const file = path.join(dir, r.file);
    if (options.verify) {
      const sha = sha256(fs.readFileSync(file));
      if (sha !== r.sha256) throw new Error(`Rules file ${r.file} of release "${manifest.name}" does not match its SHA-256 in release.json`);
    } else if (!fs.existsSync(file)) {
      throw new Error(`Rules file ${r.file} of release "${manifest.name}" is missing`);
    }
    return { ...r, path: file };
  });
  return { name: manifest.name, published: manifest.published, dir, ruleSets };
}

/** The release in force in a rules folder (newest `published`), with the schema folder; null when none. */
export function findRules(rulesDir: string): RulesLocation | null {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(rulesDir, { withFileTypes: true });
  } catch {
    return null;
  }
  const releases = entries
    .filter((e) => e.isDirectory() && fs.existsSync(path.join(rulesDir, e.name, 'release.json')))
    // Verified: a damaged or altered rules file would give wrong verdicts without a word.
    .map((e) => readRelease(path.join(rulesDir, e.name), { verify: true }))
    .sort((a, b) => b.published.localeCompare(a.published) || a.dir.localeCompare(b.dir));
  const schemaDir = path.join(rulesDir, 'ubl-2.1');
  if (!releases.length || !fs.existsSync(path.join(schemaDir, 'xsd', 'maindoc'))) return null;
  return { release: releases[0]!, schemaDir };
}

const EN16931 = 'urn:cen.eu:en16931:2017';
const PEPPOL_BIS3 = 'urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0';

/**
 * Whether a rule set is for a document claiming this CustomizationID. The EN 16931 rules are for every
 * document that claims EN 16931 (BIS 3.0, UBL.BE and other CIUS); Peppol's for BIS 3.0 and its extensions.
 * A document claiming nothing is checked as BIS 3.0 (that is what a Peppol access point would do with it);
 * e-FFF (UBL 2.0) and BIS 2 claim other specifications, which these rules do not describe.
 */
export function applies(ruleSet: Pick<RuleSet, 'appliesTo'>, customizationId: string | undefined): boolean {
  const c = customizationId?.trim() ?? '';
  if (ruleSet.appliesTo === 'all' || c === '') return true;
  if (ruleSet.appliesTo === 'en16931') return c.startsWith(EN16931);
  return c.startsWith(PEPPOL_BIS3);
}
