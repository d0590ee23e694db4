import type { EventName, Events } from '../../shared/api';

export type EventListener = <E extends EventName>(event: E, payload: Events[E]) => void;

/** The one channel from the core to whichever host is attached (IPC or WebSocket). */
export interface EventBus {
  emit<E extends EventName>(event: E, payload: Events[E]): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(event, payload) {
      for (const listener of listeners) listener(event, payload);
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
