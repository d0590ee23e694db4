import type { Migration } from './migration';

export const feedPending: Migration = {
  version: 4,
  name: 'accountant-feed items fetched and not yet delivered; notes of a sync run',
  up(db) {
    // Billit allows one feed poll a minute: the items a poll brought are kept (in the commit that records
    // the poll) until each is delivered and confirmed, so a run killed before it finished them is finished
    // by the next one without polling again. A poll replaces the list: Billit's is the truth then.
    db.exec(`
      CREATE TABLE feed_pending (
        feed_item_id INTEGER PRIMARY KEY,
        entity_type TEXT NOT NULL,
        entity_id INTEGER NOT NULL,
        party_id INTEGER NOT NULL
      );
      ALTER TABLE sync_runs ADD COLUMN notes TEXT;
    `);
  },
};
