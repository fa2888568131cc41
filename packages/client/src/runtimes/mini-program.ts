import { miniGlobals } from "../globals.js";
import { launchAnywhere } from "../launchers/anywhere.js";
import { PayClient, type PayClientOptions } from "../pay-client.js";
import { miniProgramTransport } from "../transports/mini-program.js";
import type { PayClientRuntime } from "./types.js";

/**
 * A mini-program's runtime (no window, no fetch): `wx` / `my` / `uni` read directly, the
 * caller's globals on top (Taro provides a `window` of its own); HTTP by the page's platform.
 */
export const miniProgramRuntime: PayClientRuntime = {
  globals: (given) => ({ ...miniGlobals(), ...given }),
  transport: miniProgramTransport,
  launch: launchAnywhere,
};

/** The mini-program client: HTTP by `uni.request` / `Taro.request` / `wx.request` / `my.request` (in that order) unless a transport is given. */
export function createPayClient(options: PayClientOptions): PayClient {
  return new PayClient(options, miniProgramRuntime);
}
