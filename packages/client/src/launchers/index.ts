import type { PayAction } from "@paybridge/shared";
import type { Environment } from "../environment.js";
import { PayError } from "../errors.js";
import { launchAlipayJsBridge } from "./alipay-jsbridge.js";
import { launchMiniProgramHandoff } from "./mini-program-handoff.js";
import { launchMyTradePay } from "./my-trade-pay.js";
import { launchRedirect } from "./redirect.js";
import { launchTaroPayment } from "./taro-request-payment.js";
import { launchUniPayment } from "./uni-request-payment.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";
import { launchWeixinJsBridge } from "./weixin-jsbridge.js";
import { launchWxRequestPayment } from "./wx-request-payment.js";

const WECHAT_FIELDS = ["appId", "timeStamp", "nonceStr", "package", "signType", "paySign"] as const;
const filled = (value: unknown): boolean => typeof value === "string" && value !== "";

/**
 * Rejects an action this client cannot launch (an unknown type, a missing or empty field — the
 * six WeChat parameters are non-empty strings, `timeStamp` included): that is a server/client
 * mismatch the merchant must see, not a payment left pending.
 */
export function assertLaunchable(action: PayAction): void {
  const launchable =
    action.type === "wechat"
      ? Boolean(action.params) && WECHAT_FIELDS.every((field) => filled(action.params[field]))
      : action.type === "alipay"
        ? filled(action.tradeNO)
        : action.type === "redirect" && filled(action.url);
  if (!launchable) throw new PayError("unsupported_channel", `unsupported ${action.type} action`, { body: action });
}

/** Picks the launcher for the server's action (checked by `assertLaunchable`) in this environment, and runs it. */
export function launch(context: LaunchContext, environment: Environment): Promise<LaunchOutcome> {
  const { action } = context;
  const { uni, Taro } = context.globals;
  if (action.type !== "redirect" && /-mini$/.test(environment.kind)) {
    if (uni && uni.requestPayment) return launchUniPayment(action, uni);
    if (Taro) return launchTaroPayment(action, Taro);
  }
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
