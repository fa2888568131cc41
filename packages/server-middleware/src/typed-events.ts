/** Typing for a Node EventEmitter by an event map; nothing paybridge-specific (the map is in types.ts). */
import type { EventEmitter } from "node:events";

/** A listener of event `K`. */
export type EventListener<Events extends { [K in keyof Events]: unknown[] }, K extends keyof Events> = (...args: Events[K]) => void;

/**
 * A Node EventEmitter whose listener methods know the event names and their arguments, so a
 * misspelt event reads "Argument of type '"order.piad"' is not assignable to parameter of type
 * 'keyof PaybridgeEventMap'". It extends the plain (non-generic) EventEmitter, so it
 * type-checks with any @types/node.
 */
export interface TypedEventEmitter<Events extends { [K in keyof Events]: unknown[] }> extends EventEmitter {
  on<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  once<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  off<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  addListener<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  prependListener<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  prependOnceListener<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  removeListener<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  removeAllListeners(event?: keyof Events & string): this;
  emit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean;
  listenerCount(event: keyof Events & string): number;
}
