import fs from 'node:fs';
import { AppError, type Channel, type Handlers } from '../../shared/api';
import { appHandlers } from './app-info';
import { dispatch } from './dispatch';
import { createEventBus, type EventListener } from './events';
import { createFileLogger, type Logger } from './log';
import { logDirOf } from './paths';

export interface CoreConfig {
  dataDir: string;
  version: string;
  host: 'electron' | 'browser';
  /** Echo log lines on stdout (command-line hosts). */
  logToConsole?: boolean;
}

/** Everything a host needs: the handler map, the event stream and a clean shutdown. */
export interface Core {
  readonly handlers: Handlers;
  readonly log: Logger;
  /** Validate, run, and wrap a call from a host: the only way hosts reach a handler. */
  call(channel: unknown, input: unknown): ReturnType<typeof dispatch>;
  subscribe(listener: EventListener): () => void;
  close(): Promise<void>;
}

/** The one factory both hosts use; its handler map *is* the API. */
export async function createCore(config: CoreConfig): Promise<Core> {
  fs.mkdirSync(config.dataDir, { recursive: true });
  const logDir = logDirOf(config.dataDir);
  const log = createFileLogger(logDir, config.logToConsole);
  const events = createEventBus();
  const closers: Array<() => Promise<void> | void> = [];

  const handlers: Handlers = {
    ...notYetBuilt(),
    ...appHandlers({ config, logDir }),
  };

  log.info(`core started (${config.host}, data in ${config.dataDir})`);
  return {
    handlers,
    log,
    call: (channel, input) => dispatch(handlers, channel, input, log),
    subscribe: events.subscribe,
    async close() {
      for (const close of closers.reverse()) await close();
      log.info('core stopped');
    },
  };
}

/** Calls of the contract whose room is still being built answer with a clear error. */
function notYetBuilt(): Handlers {
  return new Proxy({} as Handlers, {
    get: (_t, channel: Channel) => async () => {
      throw new AppError('internal', `${String(channel)} is not available yet`);
    },
    ownKeys: () => [],
  });
}
