/**
 * The slice of the cache the sync uses: its repositories, and a transaction that makes several writes
 * (rows and the cursor that covers them) land together or not at all, and `durable` before confirming
 * anything to Billit.
 */
import type { Cache } from '../cache';

export type SyncCache = Pick<Cache, 'dossiers' | 'parties' | 'documents' | 'statements' | 'cursors' | 'runs' | 'feed' | 'transaction' | 'durable'>;
