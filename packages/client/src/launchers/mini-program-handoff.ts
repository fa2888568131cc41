import { miniCall } from "../mini-call.js";
import { savePendingOrder } from "../pending-order.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";

/**
 * A web-view inside a WeChat mini-program may not pay by JSAPI: open the mini-program's own
 * pay page (which calls `pay({ orderNo })` with a wx transport) carrying the order, and
 * `resume()` here when the payer comes back. `wx.miniProgram` comes with the WeChat JS-SDK.
 */
export async function launchMiniProgramHandoff(context: LaunchContext): Promise<LaunchOutcome> {
  const miniProgram = context.globals.wx?.miniProgram;
  // orderNo=…&statusToken=…&channel=…: the server allows only characters that form encoding
  // and encodeURIComponent encode alike (orderNo letters, digits, _-.|*@; a base64url token).
  const query = new URLSearchParams(context.order);
  await miniCall(miniProgram?.navigateTo.bind(miniProgram), "wx.miniProgram.navigateTo", {
    url: `${context.miniProgramPayPage}?${query}`,
  });
  // This page stays open under the native one, so saving after the navigation is in time.
  savePendingOrder(context.order);
  return "handed-off";
}
