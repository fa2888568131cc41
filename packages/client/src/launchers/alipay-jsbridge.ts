import type { AlipayTradePayResult } from "../globals.js";
import { alipayOutcome } from "./alipay-result.js";
import { whenBridgeReady } from "./ready.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";

/** Alipay's in-app browser: AlipayJSBridge.call("tradePay"). */
export async function launchAlipayJsBridge(tradeNO: string, context: LaunchContext): Promise<LaunchOutcome> {
  const bridge = await whenBridgeReady("AlipayJSBridge", context);
  const result = await new Promise<AlipayTradePayResult>((resolve) => bridge.call("tradePay", { tradeNO }, resolve));
  return alipayOutcome(result, "AlipayJSBridge");
}
