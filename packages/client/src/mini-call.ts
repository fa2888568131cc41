import { PayError } from "./errors.js";
import type { MiniCallbacks } from "./platform.js";

/**
 * Calls a callback-style bridge or mini-program API (already bound to its object) as a promise:
 * missing → `bridge_unavailable`, `fail` → `bridge_failed` carrying the raw error.
 */
export function miniCall<Options extends object, Result>(
  api: ((options: Options & MiniCallbacks<Result>) => void) | undefined,
  name: string,
  options: Options,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    if (!api) throw new PayError("bridge_unavailable", `${name} is missing`);
    api({
      ...options,
      success: resolve,
      fail: (error) => reject(new PayError("bridge_failed", `${name}: ${error.errMsg ?? error.errorMessage}`, { bridgeResult: error })),
    });
  });
}
