import { PayError } from "./errors.js";
import type { MiniCallbacks, MiniProgramError } from "./globals.js";

const failure = (name: string, error: MiniProgramError): PayError =>
  new PayError("bridge_failed", `${name}: ${error.errMsg || error.errorMessage}`, { bridgeResult: error });

/**
 * Calls a callback-style bridge or mini-program API (already bound to its object) as a promise:
 * missing → `bridge_unavailable`, `fail` → `bridge_failed` carrying the raw error, and so does
 * a `complete` that came without `success` or `fail` (WeChat ≤ 6.5.2 cancelling a payment).
 */
export function miniCall<Options extends object, Result>(
  api: ((options: Options & MiniCallbacks<Result>) => void) | undefined,
  name: string,
  options: Options,
): Promise<Result> {
  return new Promise((resolve, reject) => {
    if (!api) throw new PayError("bridge_unavailable", `${name} is missing`);
    let answered = false;
    api({
      ...options,
      success: (result) => {
        answered = true;
        resolve(result);
      },
      fail: (error) => {
        answered = true;
        reject(failure(name, error));
      },
      complete: (result) => {
        if (!answered) reject(failure(name, result || {}));
      },
    });
  });
}
