import type { ExportFailureReason } from '../../../shared/api/exports';

/** A failure with a reason the history can show and the UI can translate. */
export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    readonly reason: ExportFailureReason,
    message: string,
    readonly errno?: string,
  ) {
    super(message);
  }
}

const messages: Record<ExportFailureReason, string> = {
  'disk-full': 'The disk is full',
  'permission-denied': 'Permission denied',
  'read-only': 'The folder is read-only',
  'path-too-long': 'The path is too long',
  'outside-root': 'The path leads outside the export root',
  'root-missing': 'The export root does not exist or is not reachable',
  'root-not-set': 'No export root has been chosen',
  'not-a-folder': 'A file stands where a folder is needed',
  'missing-value': 'A template variable has no value for this document',
  'template': 'The template is not valid',
  'too-many-conflicts': 'Too many different files already use this name',
  'busy': 'Another process holds the name too long',
  'source-missing': 'The document is no longer in the cache',
  'io-error': 'The file could not be written',
};

/** The reason an errno stands for. */
export function reasonOfErrno(code: string | undefined): ExportFailureReason {
  switch (code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return 'disk-full';
    case 'EACCES':
    case 'EPERM':
      return 'permission-denied';
    case 'EROFS':
      return 'read-only';
    case 'ENAMETOOLONG':
      return 'path-too-long';
    case 'ENOTDIR':
      return 'not-a-folder';
    default:
      return 'io-error';
  }
}

/** Any error from writing, as an ExportError with a clear reason and the path concerned. */
export function toExportError(error: unknown, where?: string): ExportError {
  if (error instanceof ExportError) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = reasonOfErrno(code);
  const detail = error instanceof Error ? error.message : String(error);
  const suffix = where ? ` (${where})` : '';
  return new ExportError(reason, `${messages[reason]}${suffix}: ${detail}`, code);
}

export function exportError(reason: ExportFailureReason, detail: string): ExportError {
  return new ExportError(reason, `${messages[reason]}: ${detail}`);
}

/** Reasons after which every further write to the same root would fail the same way. */
export function stopsTheRun(reason: ExportFailureReason): boolean {
  return reason === 'disk-full' || reason === 'read-only' || reason === 'root-missing';
}
