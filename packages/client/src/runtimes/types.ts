import type { PayGlobals } from "../globals.js";
import type { Launch } from "../launchers/types.js";
import type { Transport } from "../transports/types.js";

/**
 * The parts of a PayClient that depend on where it runs. `createPayClient` of the module and
 * script-tag builds passes the browser's (`browser.ts`: ky), that of the mini-program build the
 * mini-program's (`mini-program.ts`: wx / my / uni / Taro).
 */
export interface PayClientRuntime {
  /** The globals the client reads, from those the options give (`options.globals`, maybe undefined). */
  globals(given: PayGlobals | undefined): PayGlobals;
  /** The HTTP transport when the options give none. */
  transport(globals: PayGlobals): Transport;
  /** Launches the server's action in the detected environment. */
  launch: Launch;
}
