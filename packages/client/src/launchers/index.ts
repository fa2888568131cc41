import type { PayAction } from "@paybridge/shared";
import type { Environment } from "../environment.js";
import { PayError } from "../errors.js";
import { launchAlipayJsBridge } from "./alipay-jsbridge.js";
import { launchMiniProgramHandoff } from "./mini-program-handoff.js";
import { launchMyTradePay } from "./my-trade-pay.js";
import { launchRedirect } from "./redirect.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";
import { launchWeixinJsBridge } from "./weixin-jsbridge.js";
import { launchWxRequestPayment } from "./wx-request-payment.js";

/**
 * Rejects an action this client cannot launch (an unknown type, a missing or empty field): that
 * is a server/client mismatch the merchant must see, not a payment left pending.
 */
export function assertLaunchable(action: PayAction): void {
  const field =
    action.type === "wechat" ? action.params : action.type === "alipay" ? action.tradeNO : action.type === "redirect" && action.url;
  if (!field) throw new PayError("unsupported_channel", `unsupported ${action.type} action`, { body: action });
}

/** Picks the launcher for the server's action (checked by `assertLaunchable`) in this environment, and runs it. */
export function launch(context: LaunchContext, environment: Environment): Promise<LaunchOutcome> {
  const { action } = context;
  switch (action.type) {
    case "redirect":
      return launchRedirect(action.url, context);
    case "wechat":
      if (environment.kind === "wechat-webview") return launchMiniProgramHandoff(context);
      if (environment.kind === "wechat-mini") return launchWxRequestPayment(action.params, context.globals.wx);
      return launchWeixinJsBridge(action.params, context);
    case "alipay":
      if (environment.kind === "alipay-mini") return launchMyTradePay(action.tradeNO, context.globals.my);
      return launchAlipayJsBridge(action.tradeNO, context);
  }
}
