/**
 * The API's plain values: the lists the desk shows and chooses from. Kept apart from the call schemas so the
 * renderer, which imports these, does not carry the schema library (the Node side parses every input).
 */

export const languages = ['fr', 'nl', 'en'] as const;

/** Where a Venice dossier stands on the Billit side, as the accountant sees it. */
export const billitStatuses = [
  'not-in-billit',
  'not-linked',
  'link-confirmation-needed',
  'link-pending',
  'link-refused',
  'login-not-activated',
  'linked',
] as const;

export const dossierSorts = ['name', 'status', 'last-sync', 'new-documents', 'problems'] as const;
