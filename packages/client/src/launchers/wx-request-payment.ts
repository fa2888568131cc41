import type { WechatPayParams } from "@paybridge/shared";
import { PayError } from "../errors.js";
import { miniCall } from "../mini-call.js";
import type { MiniProgramError, WxApi, WxPaymentOptions } from "../globals.js";
import type { LaunchOutcome } from "./types.js";

type PaymentApi = { requestPayment?(options: WxPaymentOptions): void };

/**
 * A WeChat mini-program page: wx.requestPayment (uni-app's uni and Taro's Taro take the same
 * options and answer the same way there). success → ask the server; "…:fail cancel" (WeChat
 * ≤ 6.5.2: "…:cancel", through `complete` only) → cancelled; any other fail rejects `bridge_failed`.
 */
export function launchWxRequestPayment(
  params: WechatPayParams,
  wx: WxApi | PaymentApi | undefined,
  name = "wx.requestPayment",
  extra: object = {},
): Promise<LaunchOutcome> {
  return miniCall(wx && wx.requestPayment && wx.requestPayment.bind(wx), name, {
    ...extra,
    ...(params as WechatPayParams & Pick<WxPaymentOptions, "signType">),
  }).then(
    () => "confirm",
    (error: PayError) => {
      if (/cancel$/.test(((error.bridgeResult || {}) as MiniProgramError).errMsg || "")) return "cancelled";
      throw error;
    },
  );
}
