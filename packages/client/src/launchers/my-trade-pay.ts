import { miniCall } from "../mini-call.js";
import type { MyApi, TaroApi } from "../globals.js";
import { alipayOutcome } from "./alipay-result.js";
import type { LaunchOutcome } from "./types.js";

/** An Alipay mini-program page: my.tradePay (Taro.tradePay alike). Its success callback carries every result code, cancel included. */
export function launchMyTradePay(tradeNO: string, my: MyApi | TaroApi | undefined, name = "my.tradePay"): Promise<LaunchOutcome> {
  return miniCall(my && my.tradePay && my.tradePay.bind(my), name, { tradeNO }).then((result) => alipayOutcome(result, name));
}
