import type { WechatPayParams } from "@paybridge/shared";
import { PayError } from "../errors.js";
import { miniCall } from "../mini-call.js";
import type { MiniProgramError, WxApi } from "../platform.js";
import type { LaunchOutcome } from "./types.js";

/** A WeChat mini-program page: wx.requestPayment. */
export function launchWxRequestPayment(params: WechatPayParams, wx: WxApi | undefined): Promise<LaunchOutcome> {
  return miniCall(wx?.requestPayment?.bind(wx), "wx.requestPayment", params).then(
    () => "confirm",
    (error: PayError) => {
      // "requestPayment:fail cancel" (older clients: "requestPayment:cancel")
      if (/cancel$/.test((error.bridgeResult as MiniProgramError | undefined)?.errMsg ?? "")) return "cancelled";
      throw error;
    },
  );
}
