import type { PayAction } from "@paybridge/shared";
import type { Environment } from "../environment.js";
import type { PendingOrder } from "../pending-order.js";
import type { PayGlobals } from "../globals.js";

/**
 * What a launcher reports: `confirm` — the wallet says it went through, ask the server;
 * `cancelled` — the payer backed out; `handed-off` — the page went elsewhere to pay
 * (redirect, native mini-program page), `resume()` finishes later.
 */
export type LaunchOutcome = "confirm" | "cancelled" | "handed-off";

/** The client's settings every launcher may use. */
export interface LaunchSettings {
  globals: PayGlobals;
  readyTimeoutMs: number;
  miniProgramPayPage: string;
  navigate(url: string): void;
}

export interface LaunchContext extends LaunchSettings {
  action: PayAction;
  /** What a launcher that leaves the page saves for `resume()`. */
  order: PendingOrder;
}

/** Launches the server's action (checked by `assertLaunchable`) in the detected environment. */
export type Launch = (context: LaunchContext, environment: Environment) => Promise<LaunchOutcome>;
