import type { WechatPayParams } from "@paybridge/shared";
import { PayError } from "../errors.js";
import type { WechatBridgeResult } from "../globals.js";
import { whenBridgeReady } from "./ready.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";

/**
 * WeChat's in-app browser: WeixinJSBridge.invoke("getBrandWCPayRequest"). ":cancel" →
 * cancelled and ":fail" → `bridge_failed` (the client asks the server once before believing
 * either); ":ok" and anything unexpected → ask the server.
 */
export async function launchWeixinJsBridge(params: WechatPayParams, context: LaunchContext): Promise<LaunchOutcome> {
  const bridge = await whenBridgeReady("WeixinJSBridge", context);
  const result = await new Promise<WechatBridgeResult>((resolve) => bridge.invoke("getBrandWCPayRequest", params, resolve));
  const message = String((result || {}).err_msg);
  if (message === "get_brand_wcpay_request:cancel") return "cancelled";
  if (message === "get_brand_wcpay_request:fail") throw new PayError("bridge_failed", `WeixinJSBridge: ${message}`, { bridgeResult: result });
  return "confirm";
}
