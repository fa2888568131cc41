import type { WechatPayParams } from "@paybridge/shared";
import { PayError } from "../errors.js";
import type { WechatBridgeResult } from "../platform.js";
import { whenBridgeReady } from "./ready.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";

/** WeChat's in-app browser: WeixinJSBridge.invoke("getBrandWCPayRequest"). */
export async function launchWeixinJsBridge(params: WechatPayParams, context: LaunchContext): Promise<LaunchOutcome> {
  const bridge = await whenBridgeReady("WeixinJSBridge", context);
  const result = await new Promise<WechatBridgeResult>((resolve) => bridge.invoke("getBrandWCPayRequest", params, resolve));
  if (result.err_msg === "get_brand_wcpay_request:ok") return "confirm";
  if (result.err_msg === "get_brand_wcpay_request:cancel") return "cancelled";
  throw new PayError("bridge_failed", `WeixinJSBridge: ${result.err_msg}`, { bridgeResult: result });
}
