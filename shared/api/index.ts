import type { z } from 'zod';
import { appCalls, type AppEvents } from './app';
import { documentCalls, type DocumentEvents } from './documents';
import { exportsCalls, type ExportsEvents } from './exports';
import { dossierCalls, type DossierEvents } from './dossiers';
import { syncCalls, type SyncEvents } from './sync';
import { settingsCalls, type SettingsEvents } from './settings';
import type { CallSpec } from './contract';

/**
 * The one map of every call the renderer can make. Each room of the app adds its
 * calls in its own file and spreads them in here; both hosts bind exactly this map.
 */
export const calls = {
  ...appCalls,
  ...dossierCalls,
  ...documentCalls,
  ...syncCalls,
  ...exportsCalls,
  ...settingsCalls,
} satisfies Record<string, CallSpec>;

/** Everything the Node side pushes to the renderer. */
export type Events = AppEvents & DossierEvents & SyncEvents & ExportsEvents & SettingsEvents & DocumentEvents;

export type Calls = typeof calls;
export type Channel = keyof Calls;
export type EventName = keyof Events;

/** What the renderer passes (before zod defaults and transforms). */
export type Input<C extends Channel> = z.input<Calls[C]['input']>;
/** What the handler receives (after parsing). */
export type ParsedInput<C extends Channel> = z.output<Calls[C]['input']>;
export type Output<C extends Channel> = Calls[C] extends CallSpec<z.ZodType, infer O> ? O : never;

export type Handlers = { [C in Channel]: (input: ParsedInput<C>) => Promise<Output<C>> };

/** The renderer's `window.api`, identical over IPC and over the web host's WebSocket. */
export interface Api {
  call<C extends Channel>(channel: C, ...input: undefined extends Input<C> ? [input?: Input<C>] : [input: Input<C>]): Promise<Output<C>>;
  on<E extends EventName>(event: E, listener: (payload: Events[E]) => void): () => void;
  /**
   * Electron only: start the OS drag of files prepared with `exports.drag.prepare`. Browser mode has no
   * OS drag; it offers the prepared files as downloads instead.
   */
  startDrag?(dragId: string): void;
}

export function isChannel(name: unknown): name is Channel {
  return typeof name === 'string' && Object.hasOwn(calls, name);
}

export * from './app';
export * from './documents';
export * from './dossiers';
export * from './sync';
export * from './exports';
export * from './settings';
export * from './errors';
export * from './ids';
