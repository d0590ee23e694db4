import type { Migration } from './migration';

export const loginDataSent: Migration = {
  version: 5,
  name: 'login data sent to a dossier’s entrepreneur: to whom and when',
  up(db) {
    db.exec(`
      ALTER TABLE dossiers ADD COLUMN login_data_sent_to TEXT;
      ALTER TABLE dossiers ADD COLUMN login_data_sent_at TEXT;
    `);
  },
};
