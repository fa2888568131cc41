import { PayError } from "../errors.js";
import type { PayGlobals } from "../globals.js";
import type { LaunchSettings } from "./types.js";

/** An in-app browser's bridge: a global of this name, announced by the `${name}Ready` event. */
type BridgeName = "WeixinJSBridge" | "AlipayJSBridge";

/** The bridge once it exists: at once, or when its Ready event fires, or `bridge_unavailable` after the timeout. */
export function whenBridgeReady<Name extends BridgeName>(
  name: Name,
  { globals, readyTimeoutMs }: LaunchSettings,
): Promise<NonNullable<PayGlobals[Name]>> {
  const readyEvent = `${name}Ready`;
  return new Promise((resolve, reject) => {
    const onReady = (): void => {
      const ready = globals[name];
      if (ready) {
        stop();
        resolve(ready);
      }
    };
    const timer = setTimeout(() => {
      stop();
      reject(new PayError("bridge_unavailable", `no ${readyEvent} in ${readyTimeoutMs} ms`));
    }, readyTimeoutMs);
    const stop = (): void => {
      clearTimeout(timer);
      globals.document?.removeEventListener(readyEvent, onReady);
    };
    globals.document?.addEventListener(readyEvent, onReady);
    onReady(); // the bridge may exist already
  });
}
