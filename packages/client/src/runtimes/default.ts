import { PayError } from "../errors.js";
import { defaultGlobals } from "../globals.js";
import { launchAnywhere } from "../launchers/anywhere.js";
import type { PayClientRuntime } from "./types.js";

/**
 * What `new PayClient(options)` gets without a runtime: the page's window (a mini-program's
 * `wx` / `my` / `uni` where there is none), every launcher, and HTTP only by `options.transport`.
 */
export const defaultRuntime: PayClientRuntime = {
  globals: (given) => given || defaultGlobals(),
  transport: () => () => Promise.reject(new PayError("bridge_unavailable", "no HTTP here: pass a transport")),
  launch: launchAnywhere,
};
