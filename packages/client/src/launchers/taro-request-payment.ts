import type { PayAction } from "@paybridge/shared";
import type { TaroApi } from "../globals.js";
import { launchMyTradePay } from "./my-trade-pay.js";
import type { LaunchOutcome } from "./types.js";
import { launchWxRequestPayment } from "./wx-request-payment.js";

type MiniAction = Extract<PayAction, { type: "wechat" | "alipay" }>;

/** Taro in a mini-program: Taro.requestPayment (as wx.requestPayment) or, for Alipay, Taro.tradePay (as my.tradePay). */
export function launchTaroPayment(action: MiniAction, taro: TaroApi): Promise<LaunchOutcome> {
  return action.type === "wechat"
    ? launchWxRequestPayment(action.params, taro, "Taro.requestPayment")
    : launchMyTradePay(action.tradeNO, taro, "Taro.tradePay");
}
