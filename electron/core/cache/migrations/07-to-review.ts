import type { Migration } from './migration';

/**
 * The documents an accountant must look at before Venice does, across all dossiers: held back, not
 * delivered after a failure, or with errors. A partial index holds only those (a few among a million), in
 * the list's order, so the "To review" list reads its page without scanning the documents table.
 * `cache/documents.ts` repeats the same condition word for word: SQLite uses a partial index only for a
 * query whose WHERE contains the index's.
 */
export const toReview: Migration = {
  version: 7,
  name: 'documents to review across dossiers: held back, failed to export, or with errors',
  up(db) {
    db.exec(`
      CREATE INDEX documents_to_review ON documents (issue_date DESC, id DESC)
        WHERE status IN ('held', 'export-failed') OR (validation = 'errors' AND status <> 'deleted');
    `);
  },
};
