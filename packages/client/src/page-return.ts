import type { PayGlobals } from "./platform.js";

/**
 * Resolves when a wallet that may never call back should be given up on: the page is visible
 * again after having been hidden (`visibilitychange`), or restored (`pageshow`), or
 * `deadlineMs` passed. `stop()` removes the listeners and the timer.
 */
export function whenWalletSilent(globals: PayGlobals, deadlineMs: number): { silent: Promise<void>; stop(): void } {
  const { document } = globals;
  let stop = (): void => undefined;
  const silent = new Promise<void>((resolve) => {
    let hidden = false;
    const onVisibility = (): void => {
      if (document?.visibilityState === "hidden") hidden = true;
      else if (hidden) done();
    };
    const onPageShow = done;
    const timer = setTimeout(done, deadlineMs);
    function done(): void {
      stop();
      resolve();
    }
    stop = () => {
      clearTimeout(timer);
      document?.removeEventListener("visibilitychange", onVisibility);
      globals.removeEventListener?.("pageshow", onPageShow);
    };
    document?.addEventListener("visibilitychange", onVisibility);
    globals.addEventListener?.("pageshow", onPageShow);
  });
  return { silent, stop: () => stop() };
}
