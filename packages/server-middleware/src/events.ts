/**
 * A Node EventEmitter whose listener methods know the event names and their arguments, so a
 * misspelt event reads "Argument of type '"order.piad"' is not assignable to parameter of type
 * 'keyof PaybridgeEventMap'" instead of an error about `never`. It extends the plain
 * (non-generic) EventEmitter, so it type-checks with any @types/node.
 */
import type { EventEmitter } from "node:events";

/** Event name → the arguments its listeners receive. */
export type EventArgs<Events> = { [K in keyof Events]: unknown[] };

/** A listener of event `K`. */
export type EventListener<Events extends EventArgs<Events>, K extends keyof Events> = (...args: Events[K]) => void;

export interface TypedEventEmitter<Events extends EventArgs<Events>> extends EventEmitter {
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
