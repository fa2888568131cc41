import type { PayAction } from "@paybridge/shared";
import type { PayError } from "../errors.js";
import { miniCall } from "../mini-call.js";
import type { AlipayTradePayResult, MiniProgramError, UniApi } from "../globals.js";
import { alipayOutcome } from "./alipay-result.js";
import type { LaunchOutcome } from "./types.js";
import { launchWxRequestPayment } from "./wx-request-payment.js";

type MiniAction = Extract<PayAction, { type: "wechat" | "alipay" }>;

/**
 * uni-app in a mini-program: uni.requestPayment with `provider`. WeChat answers as
 * wx.requestPayment does; Alipay's answer carries my.tradePay's `resultCode` (in success, or in
 * fail on some versions); a fail without one ends in "cancel" or is a failure.
 */
export function launchUniPayment(action: MiniAction, uni: UniApi): Promise<LaunchOutcome> {
  if (action.type === "wechat") return launchWxRequestPayment(action.params, uni, "uni.requestPayment", { provider: "wxpay" });
  const name = "uni.requestPayment";
  return miniCall(uni.requestPayment && uni.requestPayment.bind(uni), name, { provider: "alipay" as const, orderInfo: action.tradeNO }).then(
    (result) => alipayOutcome({ resultCode: "9000", ...(result as object) } as AlipayTradePayResult, name),
    (error: PayError) => {
      const raw = (error.bridgeResult || {}) as MiniProgramError & Partial<AlipayTradePayResult>;
      if (raw.resultCode !== undefined) return alipayOutcome(raw as AlipayTradePayResult, name);
      if (/cancel$/.test(raw.errMsg || "")) return "cancelled";
      throw error;
    },
  );
}
