import { savePendingOrder } from "../pending-order.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";

/** A payment page elsewhere: remember the order for `resume()` on the page the payer returns to, then go. */
export async function launchRedirect(url: string, context: LaunchContext): Promise<LaunchOutcome> {
  savePendingOrder(context.order);
  context.navigate(url);
  return "handed-off";
}
