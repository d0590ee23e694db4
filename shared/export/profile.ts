import { exportKinds, type ExportKind } from './kinds';
import { validateKindTemplate, type KindTemplate, type TemplateProblem } from './template';

/**
 * Where a dossier's files go: a root folder the accountant chooses and, per kind, a folder and a
 * file-name template under it. The office has one default profile; a dossier may have its own.
 */
export interface ExportProfile {
  /** Absolute folder; null until the accountant chooses one. */
  root: string | null;
  kinds: Record<ExportKind, KindTemplate>;
}

/**
 * Defaults Venice users know: one folder per dossier (named so it sorts by name and shows the enterprise
 * number Venice checks on import), sales and purchases apart because they are imported from different
 * Venice modules, CODA in its own folder. UBL files are named by invoice number and date; CODA files by
 * statement number and date, plus the IBAN so two accounts' statement 001 of the same day do not collide.
 * PDFs are off by default (Venice imports the UBL, which usually embeds the PDF).
 */
export const defaultKindTemplates: Readonly<Record<ExportKind, Readonly<KindTemplate>>> = {
  sales: { enabled: true, folder: '{dossier} ({enterprise})/Sales', file: '{number} {date}' },
  purchases: { enabled: true, folder: '{dossier} ({enterprise})/Purchases', file: '{number} {date}' },
  coda: { enabled: true, folder: '{dossier} ({enterprise})/CODA', file: '{statement} {date} {iban}' },
  pdf: { enabled: false, folder: '{dossier} ({enterprise})/PDF', file: '{number} {date}' },
};

export function defaultProfile(root: string | null = null): ExportProfile {
  return {
    root,
    kinds: {
      sales: { ...defaultKindTemplates.sales },
      purchases: { ...defaultKindTemplates.purchases },
      coda: { ...defaultKindTemplates.coda },
      pdf: { ...defaultKindTemplates.pdf },
    },
  };
}

export interface ProfileProblem extends TemplateProblem {
  kind: ExportKind;
}

/** Every problem of every kind's templates; an empty list means the profile can be saved. */
export function validateProfile(profile: ExportProfile): ProfileProblem[] {
  return exportKinds.flatMap((kind) => validateKindTemplate(kind, profile.kinds[kind]).map((p) => ({ ...p, kind })));
}
