import { defaultKindTemplates, exportKinds, type ExportKind, type KindTemplate } from './kinds';
import { validateKindTemplate, type TemplateProblem } from './template';

/**
 * Where a dossier's files go: a root folder the accountant chooses and, per kind, a folder and a
 * file-name template under it. The office has one default profile; a dossier may have its own.
 */
export interface ExportProfile {
  /** Absolute folder; null until the accountant chooses one. */
  root: string | null;
  kinds: Record<ExportKind, KindTemplate>;
}

/** A new profile: every kind with its default templates (see `kinds.ts`). */
export function defaultProfile(root: string | null = null): ExportProfile {
  return { root, kinds: defaultKindTemplates() };
}

export interface ProfileProblem extends TemplateProblem {
  kind: ExportKind;
}

/** Every problem of every kind's templates; an empty list means the profile can be saved. */
export function validateProfile(profile: ExportProfile): ProfileProblem[] {
  return exportKinds.flatMap((kind) => validateKindTemplate(kind, profile.kinds[kind]).map((p) => ({ ...p, kind })));
}
