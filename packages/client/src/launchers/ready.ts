import { PayError } from "../errors.js";
import type { PayGlobals } from "../platform.js";

/** The bridge once it exists: at once, or when its Ready event fires, or `bridge_unavailable` after the timeout. */
export function whenBridgeReady<Bridge>(
  read: () => Bridge | undefined,
  readyEvent: string,
  globals: PayGlobals,
  timeoutMs: number,
): Promise<Bridge> {
  return new Promise((resolve, reject) => {
    const onReady = (): void => {
      const ready = read();
      if (ready) {
        stop();
        resolve(ready);
      }
    };
    const timer = setTimeout(() => {
      stop();
      reject(new PayError("bridge_unavailable", `no ${readyEvent} in ${timeoutMs} ms`));
    }, timeoutMs);
    const stop = (): void => {
      clearTimeout(timer);
      globals.document?.removeEventListener(readyEvent, onReady);
    };
    globals.document?.addEventListener(readyEvent, onReady);
    onReady(); // the bridge may exist already
  });
}
