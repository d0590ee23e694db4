import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openCache, type Cache } from '../../../electron/core/cache';
import { createFileLogger } from '../../../electron/core/log';
import { createSecretStore } from '../../../electron/core/secrets';
import { connect, type Connection } from '../../../electron/core/office/connect';
import { systemClock } from '../../../electron/core/sync';
import { tempDir } from '../../support/repo';
import { demoOffice } from '../../../electron/demo/office';

describe('choosing between the live services and the demo office', () => {
  let cache: Cache | undefined;
  let connection: Connection | undefined;
  let cleanup = () => {};
  afterEach(async () => {
    await connection?.close();
    cache?.close();
    cleanup();
  });

  it('starts on the demo office, instead of failing to start, when accounts are configured but the keychain cannot be read', async () => {
    const made = tempDir('bvl-connect-');
    cleanup = made.cleanup;
    const log = createFileLogger(path.join(made.dir, 'logs'));
    cache = openCache(path.join(made.dir, 'cache.sqlite'), { log });
    await cache.accounts.upsert({ kind: 'billit', environment: 'production', auth: 'api-key', label: 'office@example.be' });
    await cache.accounts.upsert({ kind: 'venice', environment: 'production', auth: 'basic', label: 'admin' });
    const secrets = createSecretStore({ log, loadKeytar: () => Promise.reject(new Error('no Secret Service on this session bus')) });

    connection = await connect({ cache, secrets, log, clock: systemClock, demo: demoOffice(), timing: { retries: 0 } });

    expect(connection.mode).toBe('demo');
    expect(connection.demoOffice).not.toBeNull();
  });
});
