import { miniCall } from "../mini-call.js";
import type { MyApi } from "../platform.js";
import { alipayOutcome } from "./alipay-result.js";
import type { LaunchOutcome } from "./types.js";

/** An Alipay mini-program page: my.tradePay. Its success callback carries every result code, cancel included. */
export function launchMyTradePay(tradeNO: string, my: MyApi | undefined): Promise<LaunchOutcome> {
  return miniCall(my?.tradePay?.bind(my), "my.tradePay", { tradeNO }).then((result) => alipayOutcome(result, "my.tradePay"));
}
