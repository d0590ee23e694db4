/**
 * Export path templates: `{dossier} ({enterprise})/CODA` for a folder under the export root,
 * `{number} {date}` for a file name (the extension comes from the kind).
 *
 * Syntax: `{variable}` is replaced by a value; `{{` and `}}` are literal braces; in a folder template
 * `/` (or `\`) separates folders. A value never adds a folder: every segment is made safe as a whole
 * after substitution, so a `/` inside a document number becomes `-`.
 */
import { exportKind, exportKinds, kindOf, statementKinds, type ExportKind, type KindTemplate } from './kinds';
import { maxFileNameBytes, maxFolderSegmentBytes, safeExtension, safeFileName, safeSegment, type SafeNameNote } from './safe-name';
import { enterpriseDigits } from '../belgian';

export interface TemplateVariableInfo {
  /** Kinds whose documents have this value. */
  kinds: readonly ExportKind[];
  /** An example value, for help texts and previews without a document. */
  example: string;
}

const allKinds = exportKinds;

/** Every variable a template may use. */
export const templateVariables = {
  /** Enterprise (KBO/BCE) number of the dossier, 10 digits: 0427604308. */
  enterprise: { kinds: allKinds, example: '0427604308' },
  /** The dossier's name. */
  dossier: { kinds: allKinds, example: 'Bakkerij Janssens BV' },
  /** The Venice (Cloud) dossier id. */
  veniceId: { kinds: allKinds, example: 'JANSSENS' },
  /** The Billit company (PartyID). */
  partyId: { kinds: allKinds, example: '123456' },
  /** Year, month and day of the document date (issue date; for CODA the new-balance date). */
  year: { kinds: allKinds, example: '2024' },
  month: { kinds: allKinds, example: '03' },
  day: { kinds: allKinds, example: '05' },
  /** The document date as yyyy-mm-dd. */
  date: { kinds: allKinds, example: '2024-03-05' },
  /** Invoice number (`cbc:ID`); for CODA, the statement number. */
  number: { kinds: allKinds, example: 'F2024/0001' },
  /** The bank statement (CODA sequence) number, zero-padded to 3 digits. */
  statement: { kinds: statementKinds, example: '045' },
  /** The statement's account IBAN, without spaces. */
  iban: { kinds: statementKinds, example: 'BE68539007547034' },
  /** The kind's name: sales, purchases, coda, pdf. */
  kind: { kinds: allKinds, example: 'sales' },
} as const satisfies Record<string, TemplateVariableInfo>;

export type TemplateVariable = keyof typeof templateVariables;
export type TemplateValues = Partial<Record<TemplateVariable, string | null | undefined>>;

export function isTemplateVariable(name: string): name is TemplateVariable {
  return Object.hasOwn(templateVariables, name);
}

export type TemplateToken = { text: string } | { variable: TemplateVariable };

export interface TemplateProblem {
  /** Which template: a kind's folder or file template. */
  where: 'folder' | 'file';
  code: 'syntax' | 'unknown-variable' | 'not-for-kind' | 'absolute' | 'dot-segment' | 'empty' | 'separator-in-file' | 'missing-value';
  message: string;
  variable?: string;
}

interface Parsed {
  segments: TemplateToken[][];
  problems: TemplateProblem[];
}

/** Split a template into segments of tokens; every mistake is a problem, never a guess. */
export function parseTemplate(template: string, where: 'folder' | 'file', kind: ExportKind): Parsed {
  const problems: TemplateProblem[] = [];
  const segments: TemplateToken[][] = [[]];
  let text = '';
  const flush = () => {
    if (text) segments[segments.length - 1]!.push({ text });
    text = '';
  };
  for (let i = 0; i < template.length; i++) {
    const c = template[i]!;
    if (c === '{' && template[i + 1] === '{') {
      text += '{';
      i++;
    } else if (c === '}' && template[i + 1] === '}') {
      text += '}';
      i++;
    } else if (c === '{') {
      const end = template.indexOf('}', i);
      const name = end < 0 ? '' : template.slice(i + 1, end).trim();
      if (end < 0 || name.includes('{')) {
        problems.push({ where, code: 'syntax', message: `Unclosed "{" at position ${i + 1}` });
        break;
      }
      if (!isTemplateVariable(name)) {
        problems.push({ where, code: 'unknown-variable', variable: name, message: `Unknown variable {${name}}` });
      } else if (!(templateVariables[name].kinds as readonly string[]).includes(kind)) {
        problems.push({ where, code: 'not-for-kind', variable: name, message: `{${name}} is not available for ${kind}` });
      } else {
        flush();
        segments[segments.length - 1]!.push({ variable: name });
      }
      i = end;
    } else if (c === '}') {
      problems.push({ where, code: 'syntax', message: `Unmatched "}" at position ${i + 1}` });
    } else if (c === '/' || c === '\\') {
      if (where === 'file') {
        problems.push({ where, code: 'separator-in-file', message: 'A file name template cannot contain "/" or "\\"' });
        continue;
      }
      flush();
      segments.push([]);
    } else {
      text += c;
    }
  }
  flush();

  if (where === 'folder') {
    if (/^\s*([/\\]|[A-Za-z]:)/.test(template) || template.startsWith('~')) {
      problems.push({ where, code: 'absolute', message: 'The folder template is relative to the export root' });
    }
    const onlyText = (seg: TemplateToken[]) => seg.map((t) => ('text' in t ? t.text : '\0')).join('').trim();
    // An empty folder template means "the root itself"; otherwise no segment may be empty, "." or "..".
    if (!(segments.length === 1 && segments[0]!.length === 0)) {
      for (const seg of segments) {
        const literal = onlyText(seg);
        if (seg.length === 0 || literal === '') {
          if (!problems.some((p) => p.code === 'absolute')) {
            problems.push({ where, code: 'empty', message: 'The folder template has an empty folder name ("//")' });
          }
        } else if (/^\.+$/.test(literal)) {
          problems.push({ where, code: 'dot-segment', message: `"${literal}" is not allowed as a folder name` });
        }
      }
    }
  } else if (segments[0]!.length === 0 || template.trim() === '') {
    problems.push({ where, code: 'empty', message: 'The file name template is empty' });
  }
  return { segments: segments.filter((s) => s.length > 0), problems };
}

/** Problems of one kind's templates (empty when both are usable). */
export function validateKindTemplate(kind: ExportKind, template: KindTemplate): TemplateProblem[] {
  return [...parseTemplate(template.folder, 'folder', kind).problems, ...parseTemplate(template.file, 'file', kind).problems];
}

/** A value as it goes into a name: trimmed, with each variable's canonical form. */
export function normalizeValue(variable: TemplateVariable, raw: string): string {
  const value = raw.trim();
  switch (variable) {
    case 'enterprise':
      return enterpriseDigits(value) || value;
    case 'iban':
      return value.replace(/\s+/g, '').toUpperCase();
    default:
      return value;
  }
}

export interface SegmentNote {
  where: 'folder' | 'file';
  /** The segment before it was made safe, and what it became. */
  raw: string;
  name: string;
  notes: SafeNameNote[];
}

export interface ResolvedPath {
  /** Folder names under the root, each already safe. */
  folders: string[];
  /** Safe file name with extension. */
  fileName: string;
  /** `folders/fileName` joined with `/`. */
  relativePath: string;
  /** What was changed to make a name safe: shown in previews and history, never silent. */
  changes: SegmentNote[];
}

export type Resolution = { ok: true; path: ResolvedPath } | { ok: false; problems: TemplateProblem[] };

/**
 * How long a path below the export root may be, in UTF-16 units (how Windows counts its 260-character
 * MAX_PATH): the file's relative path (room for a conflict suffix kept), and its folders' (room for the temp
 * file written beside it kept).
 */
export interface PathLimit {
  file: number;
  folder: number;
}

/** Names are never cut below these lengths to make a path fit: past that, the root is what is too deep. */
const minFolderChars = 16;
const minFileStemChars = 20;

/**
 * Shorten the longest names first, a little at a time (down to the next longest, so the cuts are shared),
 * until the path fits the limit; each cut name keeps a hash of the whole, so two long names that differ only
 * at their end stay apart. A path that cannot fit is returned as short as it gets; the writer then refuses it
 * with a clear reason.
 */
function fitPath(folders: string[], fileName: string, ext: string, limit: PathLimit, changes: SegmentNote[]): { folders: string[]; fileName: string } {
  const suffix = ext ? '.' + ext : '';
  const names = [...folders, fileName.slice(0, fileName.length - suffix.length)];
  const raws = [...names];
  const last = names.length - 1;
  const floor = (i: number) => (i === last ? minFileStemChars : minFolderChars);
  const folderChars = () => names.slice(0, last).reduce((n, f) => n + f.length + 1, 0) - (last > 0 ? 1 : 0);
  const fileChars = () => folderChars() + (last > 0 ? 1 : 0) + names[last]!.length + suffix.length;
  for (let guard = 0; guard < 256; guard++) {
    const fileOver = fileChars() - limit.file;
    const folderOver = folderChars() - limit.folder;
    if (fileOver <= 0 && folderOver <= 0) break;
    // Only folders help when the folders alone are too long.
    const candidates = names.map((n, i) => i).filter((i) => names[i]!.length > floor(i) && (folderOver > 0 ? i < last : true));
    if (candidates.length === 0) break;
    candidates.sort((x, y) => names[y]!.length - names[x]!.length);
    const i = candidates[0]!;
    const next = candidates[1] === undefined ? 0 : names[candidates[1]]!.length;
    const over = folderOver > 0 ? folderOver : fileOver;
    const target = Math.max(floor(i), names[i]!.length - over, Math.min(next, names[i]!.length - 1));
    names[i] = i === last ? safeFileName(raws[i]!, ext, target + suffix.length).name.slice(0, -suffix.length || undefined) : safeSegment(raws[i]!, target).name;
  }
  for (let i = 0; i < names.length; i++) {
    if (names[i] !== raws[i]) changes.push({ where: i === last ? 'file' : 'folder', raw: raws[i]!, name: names[i]!, notes: ['truncated'] });
  }
  return { folders: names.slice(0, last), fileName: names[last] + suffix };
}

/**
 * Substitute values into a kind's templates and make every segment safe; with a limit, shorten names so the
 * whole path fits it (Windows).
 */
export function resolveTemplate(kind: ExportKind, template: KindTemplate, values: TemplateValues, limit?: PathLimit): Resolution {
  const folder = parseTemplate(template.folder, 'folder', kind);
  const file = parseTemplate(template.file, 'file', kind);
  const problems = [...folder.problems, ...file.problems];
  const render = (segment: TemplateToken[], where: 'folder' | 'file') =>
    segment
      .map((token) => {
        if ('text' in token) return token.text;
        const raw = values[token.variable];
        const value = raw == null ? '' : normalizeValue(token.variable, String(raw));
        if (value === '') {
          if (!problems.some((p) => p.code === 'missing-value' && p.variable === token.variable)) {
            problems.push({
              where,
              code: 'missing-value',
              variable: token.variable,
              message: `This document has no value for {${token.variable}}`,
            });
          }
        }
        return value;
      })
      .join('');

  const changes: SegmentNote[] = [];
  const folders = folder.segments.map((segment) => {
    const raw = render(segment, 'folder');
    const safe = safeSegment(raw, maxFolderSegmentBytes);
    if (safe.changed) changes.push({ where: 'folder', raw, name: safe.name, notes: safe.notes });
    return safe.name;
  });
  const rawFile = file.segments.map((segment) => render(segment, 'file')).join('');
  const safeFile = safeFileName(rawFile, kindOf(kind).extension, maxFileNameBytes);
  if (safeFile.changed) changes.push({ where: 'file', raw: rawFile, name: safeFile.name.replace(/\.[^.]*$/, ''), notes: safeFile.notes });

  if (problems.length > 0) return { ok: false, problems };
  const fitted = limit ? fitPath(folders, safeFile.name, safeExtension(kindOf(kind).extension), limit, changes) : { folders, fileName: safeFile.name };
  return {
    ok: true,
    path: { folders: fitted.folders, fileName: fitted.fileName, relativePath: [...fitted.folders, fitted.fileName].join('/'), changes },
  };
}

/** What a dossier contributes to a path. */
export interface DossierVariables {
  name: string;
  enterpriseNumber?: string | null;
  veniceDossierId?: string | null;
  billitPartyId?: string | number | null;
}

/** What a document contributes to a path. */
export interface DocumentVariables {
  kind: ExportKind;
  /** Invoice number, or for CODA the statement number. */
  number?: string | null;
  /** yyyy-mm-dd (a longer ISO timestamp is cut to its date). */
  date?: string | null;
  iban?: string | null;
  statementNumber?: string | null;
}

/** The values of every variable for one document of one dossier. */
export function templateValues(dossier: DossierVariables, document: DocumentVariables): TemplateValues {
  const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(document.date ?? '');
  const rawStatement = (document.statementNumber ?? document.number ?? '').trim();
  const statement = /^\d{1,3}$/.test(rawStatement) ? rawStatement.padStart(3, '0') : rawStatement || null;
  return {
    enterprise: dossier.enterpriseNumber ?? null,
    dossier: dossier.name,
    veniceId: dossier.veniceDossierId ?? null,
    partyId: dossier.billitPartyId == null ? null : String(dossier.billitPartyId),
    year: date?.[1] ?? null,
    month: date?.[2] ?? null,
    day: date?.[3] ?? null,
    date: date ? `${date[1]}-${date[2]}-${date[3]}` : null,
    number: exportKind[document.kind].selects.rows === 'statements' ? statement : (document.number ?? document.statementNumber ?? null),
    statement,
    iban: document.iban ?? null,
    kind: document.kind,
  };
}

/** Example values (from `templateVariables`), for a preview when the dossier has no document yet. */
export function exampleValues(kind: ExportKind): TemplateValues {
  const values: TemplateValues = {};
  for (const [name, info] of Object.entries(templateVariables)) values[name as TemplateVariable] = info.example;
  values.kind = kind;
  return values;
}
