import type { Environment } from "../environment.js";
import { launchAlipayJsBridge } from "./alipay-jsbridge.js";
import { launchMiniProgramHandoff } from "./mini-program-handoff.js";
import { launchMyTradePay } from "./my-trade-pay.js";
import { launchRedirect } from "./redirect.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";
import { launchWeixinJsBridge } from "./weixin-jsbridge.js";
import { launchWxRequestPayment } from "./wx-request-payment.js";

/** Picks the launcher for the server's action in this environment, and runs it. */
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
