import { miniCall } from "../mini-call.js";
import { savePendingOrder } from "../pending-order.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";

/**
 * A web-view inside a WeChat mini-program may not pay by JSAPI: open the mini-program's own
 * pay page (which calls `pay({ orderNo })` with a wx transport) carrying the order, and
 * `resume()` here when the payer comes back. `wx.miniProgram` comes with the WeChat JS-SDK.
 */
export async function launchMiniProgramHandoff(context: LaunchContext): Promise<LaunchOutcome> {
  const miniProgram = context.globals.wx && context.globals.wx.miniProgram;
  const { orderNo, statusToken, channel } = context.order;
  const query = `orderNo=${encodeURIComponent(orderNo)}&statusToken=${encodeURIComponent(statusToken)}&channel=${channel}`;
  const page = context.miniProgramPayPage;
  // The page path may carry a query of its own ("/pages/pay/index?from=h5").
  const url = `${page}${page.includes("?") ? "&" : "?"}${query}`;
  await miniCall(miniProgram && miniProgram.navigateTo.bind(miniProgram), "wx.miniProgram.navigateTo", { url });
  // This page stays open under the native one, so saving after the navigation is in time.
  savePendingOrder(context.order);
  return "handed-off";
}
