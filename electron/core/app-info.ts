import type { AppInfo, Handlers } from '../../shared/api';
import type { CoreConfig } from './index';
import { productName } from './paths';

export function appHandlers(deps: { config: CoreConfig; logDir: string }): Pick<Handlers, 'app.info'> {
  return {
    async 'app.info'(): Promise<AppInfo> {
      return {
        name: productName,
        version: deps.config.version,
        dataDir: deps.config.dataDir,
        logDir: deps.logDir,
        mode: 'demo',
        host: deps.config.host,
        accounts: [],
        keychain: { available: false, reason: 'not probed yet' },
      };
    },
  };
}
