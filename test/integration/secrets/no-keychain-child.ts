/**
 * Child process of no-keychain.test.ts: starts the app's core where no keychain is reachable
 * (the parent points DBUS_SESSION_BUS_ADDRESS nowhere) and reports what the Settings calls say.
 * Usage: node --import tsx no-keychain-child.ts <data dir> <secret>
 */
import { createCore } from '../../../electron/core';
import { demoOffice } from '../../../electron/demo/office';

const [dataDir, secret] = process.argv.slice(2) as [string, string];
const core = await createCore({ dataDir, version: '0.0.0-test', host: 'browser', demo: demoOffice(), keychainService: 'be.billit.venicelink.test-unreachable', syncOnStartup: false });
const out = {
  status: await core.call('settings.keychainStatus', { reprobe: true }),
  info: await core.call('app.info', undefined),
  save: await core.call('settings.saveAccount', { kind: 'billit', auth: 'api-key', environment: 'sandbox', apiKey: secret }),
  saveVenice: await core.call('settings.saveAccount', { kind: 'venice', auth: 'basic', environment: 'production', username: 'admin', password: secret }),
  accounts: await core.call('settings.accounts', undefined),
};
await core.close();
process.stdout.write(JSON.stringify(out) + '\n');
