import type { PayGlobals } from "./globals.js";

/** A wallet whose own view just closed usually answers within this; only then is it silent. */
export const RETURN_GRACE_MS = 1500;

/**
 * Resolves when a wallet that may never call back should be given up on: the page is visible
 * again after having been hidden (`visibilitychange`), or restored (`pageshow`), or the
 * mini-program is shown again (`wx.onAppShow` / `my.onAppShow`), and the
 * wallet still said nothing RETURN_GRACE_MS later; or `deadlineMs` passed. `stop()` removes
 * the listeners and the timer.
 */
export function whenWalletSilent(globals: PayGlobals, deadlineMs: number): { silent: Promise<void>; stop(): void } {
  const { document } = globals;
  const app = globals.wx || globals.my;
  let stop = (): void => undefined;
  const silent = new Promise<void>((resolve) => {
    let hidden = false;
    let timer = setTimeout(done, deadlineMs);
    const onPageShow = (): void => {
      clearTimeout(timer);
      timer = setTimeout(done, RETURN_GRACE_MS);
    };
    const onVisibility = (): void => {
      if (document && document.visibilityState === "hidden") hidden = true;
      else if (hidden) onPageShow();
    };
    function done(): void {
      stop();
      resolve();
    }
    stop = () => {
      clearTimeout(timer);
      document?.removeEventListener("visibilitychange", onVisibility);
      globals.removeEventListener?.("pageshow", onPageShow);
      app && app.offAppShow && app.offAppShow(onPageShow);
    };
    document?.addEventListener("visibilitychange", onVisibility);
    globals.addEventListener?.("pageshow", onPageShow);
    app && app.onAppShow && app.onAppShow(onPageShow);
  });
  return { silent, stop: () => stop() };
}
