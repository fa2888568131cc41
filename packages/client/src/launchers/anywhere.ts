import type { Environment } from "../environment.js";
import { launchInMiniProgram } from "./in-mini-program.js";
import { launchInWebPage } from "./in-web-page.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";

/** Where the page may be either: the mini-program launchers where they apply, the web-page ones otherwise. */
export function launchAnywhere(context: LaunchContext, environment: Environment): Promise<LaunchOutcome> {
  return launchInMiniProgram(context, environment) || launchInWebPage(context, environment);
}
