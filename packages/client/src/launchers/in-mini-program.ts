import type { Environment } from "../environment.js";
import { launchMyTradePay } from "./my-trade-pay.js";
import { launchTaroPayment } from "./taro-request-payment.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";
import { launchUniPayment } from "./uni-request-payment.js";
import { launchWxRequestPayment } from "./wx-request-payment.js";

/**
 * Launches a wallet action (checked by `assertLaunchable`) on a mini-program page: through
 * uni-app's `uni` or Taro when the page has them, else wx.requestPayment / my.tradePay. Undefined
 * when this is no mini-program page, the action is a redirect, or the page's platform is not the
 * action's wallet (then the web-page launchers are tried).
 */
export function launchInMiniProgram(context: LaunchContext, { kind }: Environment): Promise<LaunchOutcome> | undefined {
  const { action, globals } = context;
  if (action.type === "redirect" || !/-mini$/.test(kind)) return undefined;
  const { uni, Taro } = globals;
  if (uni && uni.requestPayment) return launchUniPayment(action, uni);
  if (Taro) return launchTaroPayment(action, Taro);
  if (action.type === "wechat" && kind === "wechat-mini") return launchWxRequestPayment(action.params, globals.wx);
  if (action.type === "alipay" && kind === "alipay-mini") return launchMyTradePay(action.tradeNO, globals.my);
  return undefined;
}
