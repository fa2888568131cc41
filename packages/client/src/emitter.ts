/** Listener signatures by event name. */
export type EventMap = { [name: string]: (...args: never[]) => void };

/**
 * A small typed event emitter (on / once / off / emit). A listener that throws does not reach
 * the code that emitted (a payment is not turned into a failure by a page's broken handler):
 * its error is rethrown on a fresh task, where the page's error reporting sees it.
 */
export class Emitter<Events extends EventMap> {
  private _listeners: { [Name in keyof Events]?: Events[Name][] } = {};

  on<Name extends keyof Events>(name: Name, listener: Events[Name]): this {
    (this._listeners[name] = this._listeners[name] || []).push(listener);
    return this;
  }

  once<Name extends keyof Events>(name: Name, listener: Events[Name]): this {
    const once = ((...args: Parameters<Events[Name]>) => {
      this.off(name, once);
      listener(...args);
    }) as Events[Name];
    return this.on(name, once);
  }

  /** Without a listener, removes every listener of the event. */
  off<Name extends keyof Events>(name: Name, listener?: Events[Name]): this {
    const list = this._listeners[name];
    this._listeners[name] = listener && list ? list.filter((known) => known !== listener) : [];
    return this;
  }

  emit<Name extends keyof Events>(name: Name, ...args: Parameters<Events[Name]>): boolean {
    const list = this._listeners[name] || [];
    for (const listener of list.slice()) {
      try {
        listener(...args);
      } catch (error) {
        setTimeout(() => {
          throw error;
        });
      }
    }
    return list.length > 0;
  }
}
