import type { AccountSummary, AppInfo, Handlers, KeychainStatus } from '../../shared/api';
import type { CoreConfig } from './index';
import { productName } from './paths';

export function appHandlers(deps: {
  config: CoreConfig;
  logDir: string;
  /** 'demo' when the core runs on the demo office (no account configured). */
  mode?: 'demo' | 'live';
  /** The configured accounts ("configured as …, last verified …"), never their secrets. */
  accounts?: () => AccountSummary[];
  keychain?: () => Promise<KeychainStatus>;
}): Pick<Handlers, 'app.info'> {
  return {
    async 'app.info'(): Promise<AppInfo> {
      return {
        name: productName,
        version: deps.config.version,
        dataDir: deps.config.dataDir,
        logDir: deps.logDir,
        mode: deps.mode ?? 'demo',
        host: deps.config.host,
        accounts: deps.accounts?.() ?? [],
        keychain: (await deps.keychain?.()) ?? { available: false, reason: 'not probed yet' },
        language: null,
      };
    },
  };
}
