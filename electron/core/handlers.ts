/**
 * The API's handler map, assembled from the rooms in one place. Each room answers the calls of its file in
 * `shared/api/` with handlers beside its code (`<room>/handlers.ts`); the `Handlers` type makes a call
 * without a handler a compile error. Calls that need Billit or Venice Cloud are refused while offline.
 */
import type { Handlers } from '../../shared/api';
import type { appHandlers } from './app/handlers';
import { guardOffline, type Network } from './app/network';
import type { ChecksModule } from './checks';
import type { documentHandlers } from './documents/handlers';
import type { DossiersModule } from './dossiers';
import type { ExportModule } from './export';
import type { SettingsModule } from './settings';
import type { SyncModule } from './sync';

export interface RoomHandlers {
  app: ReturnType<typeof appHandlers>;
  settings: SettingsModule['handlers'];
  dossiers: DossiersModule['handlers'];
  documents: ReturnType<typeof documentHandlers>;
  sync: SyncModule['handlers'];
  exports: ExportModule['handlers'];
  checks: ChecksModule['handlers'];
}

export function handlerMap(rooms: RoomHandlers, network: Network): Handlers {
  return guardOffline(
    { ...rooms.app, ...rooms.settings, ...rooms.dossiers, ...rooms.documents, ...rooms.sync, ...rooms.exports, ...rooms.checks },
    network,
  );
}
