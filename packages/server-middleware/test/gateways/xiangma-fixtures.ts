/** What the xiangma tests share: the test key, its signing rule, a configuration and a create input. */
import type { CreateOrderInput } from "../../src/gateways/contract.js";
import { computeSign, type SignRule } from "../../src/gateways/kit/signing.js";
import type { XiangmaConfig } from "../../src/gateways/xiangma/adapter.js";
import { NOTIFY_URL } from "./helpers.js";
export const KEY = "xiangma-test-key";
export const RULE: SignRule = { skip: "null", secretJoiner: "&key=", hexCase: "lower", algorithm: "md5", signField: "sign" };
export const CONFIG: XiangmaConfig = { baseUrl: "http://xiangma.test", instNo: "60000001", mchNo: "Y52212190001", key: KEY };
export const WECHAT: CreateOrderInput = {
  orderNo: "998877665544332018",
  amountFen: 1,
  channel: "wechat",
  scene: "h5",
  notifyUrl: `${NOTIFY_URL}xiangma`,
};
export const unsigned = { ...CONFIG, verifyResponseSign: false };

/** A response as the gateway signs it: every field but `sign`, nulls skipped, "" signed. */
export function signed(fields: Record<string, unknown>, key = KEY): Record<string, unknown> {
  return { ...fields, sign: computeSign(fields, RULE, key) };
}

export const baseResponse = {
  return_code: "SUCCESS",
  return_msg: "预支付成功",
  result_code: "PAY_SUCCESS",
  pay_trace_no: "A1",
  total_amount: "1",
  trade_no: "X1",
  shop_name: "",
  appId: null,
  ali_trade_no: null,
  code_url: null,
};
