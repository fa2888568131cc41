import { EventEmitter } from "eventemitter3";

/** Listener signatures by event name. */
export type EventMap = { [name: string]: (...args: never[]) => void };

type Listener = (...args: unknown[]) => void;

/**
 * What eventemitter3 calls for every listener: the listener is its `this` (eventemitter3's
 * listener context). A listener that throws does not reach the code that emitted, nor stop the
 * listeners after it: its error is rethrown on a fresh task, where the page's error reporting sees it.
 */
function isolated(this: Listener, ...args: unknown[]): void {
  try {
    this(...args);
  } catch (error) {
    setTimeout(() => {
      throw error;
    });
  }
}

/**
 * Typed events (on / once / off / emit) over eventemitter3, each listener isolated from the
 * emitter and from the other listeners (see `isolated`). `off(name, listener)` removes that
 * listener as `on` added it (a `once` listener stays until its one call); without a listener,
 * every listener of the event.
 */
export class IsolatedEmitter<Events extends EventMap> {
  private readonly _emitter = new EventEmitter<string>();

  on<Name extends keyof Events>(name: Name, listener: Events[Name]): this {
    this._emitter.on(name as string, isolated, listener);
    return this;
  }

  once<Name extends keyof Events>(name: Name, listener: Events[Name]): this {
    // A function of its own: eventemitter3 drops a once-listener by its function, whatever the context.
    this._emitter.once(name as string, (...args: unknown[]) => isolated.apply(listener as unknown as Listener, args));
    return this;
  }

  /** Without a listener, removes every listener of the event. */
  off<Name extends keyof Events>(name: Name, listener?: Events[Name]): this {
    this._emitter.off(name as string, listener && isolated, listener);
    return this;
  }

  /** Calls the event's listeners in the order they were added; true when it had any. */
  emit<Name extends keyof Events>(name: Name, ...args: Parameters<Events[Name]>): boolean {
    return this._emitter.emit(name as string, ...args);
  }
}
