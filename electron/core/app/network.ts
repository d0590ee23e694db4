/**
 * Working offline. The accountant (or the demo banner's switch) tells the core it is offline: every call
 * that needs Billit or Venice Cloud is refused at once with a typed reason instead of waiting for timeouts,
 * scheduled runs and link checks wait, and everything read from the cache keeps working.
 */
import { AppError, type Channel, type Handlers } from '../../../shared/api';

/** The calls that reach Billit or Venice Cloud; everything else is answered from the cache or the disk. */
export const networkCalls = [
  'dossiers.refresh',
  'dossiers.addOrResync',
  'dossiers.confirmLink',
  'dossiers.sendLoginData',
  'sync.start',
  'sync.retry',
  'settings.verifyAccount',
  'settings.billitSignIn',
] as const satisfies readonly Channel[];

export interface Network {
  readonly offline: boolean;
  /** Returns whether the state changed. */
  set(offline: boolean): boolean;
}

export function createNetwork(onChange: (offline: boolean) => void): Network {
  let offline = false;
  return {
    get offline() {
      return offline;
    },
    set(next) {
      if (next === offline) return false;
      offline = next;
      onChange(offline);
      return true;
    },
  };
}

/** The same handlers, with the network calls refused while offline. */
export function guardOffline(handlers: Handlers, network: Network): Handlers {
  const guarded: Record<string, unknown> = { ...handlers };
  for (const channel of networkCalls) {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown>;
    guarded[channel] = (input: unknown) => {
      if (network.offline) throw new AppError('offline', 'The app works offline: this needs Billit or Venice Cloud. Go online first.');
      return handler(input);
    };
  }
  return guarded as Handlers;
}
