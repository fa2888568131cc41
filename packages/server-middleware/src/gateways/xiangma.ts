/**
 * xiangma — xiangma365 openpay v3 `h5pay`, gateway document 002, with the official guide's
 * signing rule and query (gateways README): sort, skip `sign` and null values (empty strings
 * ARE signed), `&key=`, MD5, lower-case hex; responses are signed the same way. Amount: fen as
 * a string. The create response's `result_code` is not a payment result (the document's
 * example says PAY_SUCCESS for a prepared payment), so it never marks an order paid.
 * `pay_time` is the time the payment was *requested* (document 002), so it is not read as
 * the time it was paid.
 */
import { fenStringToFen, type PayAction } from "@paybridge/shared";
import { GatewayError } from "../errors.js";
import { createSigner, type SignRule } from "../signing.js";
import { configText, configUrl, optionalText, requiredFen, requiredText } from "../validate.js";
import type { GatewayAdapter, GatewayHttp, NotifyReply, QueryResult } from "./types.js";
import {
  gatewayRefusal,
  joinUrl,
  redirectUrl,
  requiredResponseText,
  responseObject,
  secondsTimestamp,
  shanghaiCompactTime,
  signedJsonRequest,
  signedNotifyFields,
  textOf,
  verifyResponseSignature,
  wechatParams,
  type JsonObject,
} from "./wire.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "./settings.js";
import { statusRecordReader, type StatusRecordLayout } from "./status-record.js";

export interface XiangmaConfig extends GatewayConfigBase {
  /** Default `http://xipay.xiangma365.com`. */
  baseUrl?: string | undefined;
  /** `inst_no`, the institution number. */
  instNo: string;
  /** `mch_no`, the merchant number. */
  mchNo: string;
  key: string;
  /** Create `/api/openpay/v3/h5pay`, query `/xypay/v3/queryorder`. */
  paths?: Partial<Record<"create" | "query", string>> | undefined;
}

const GATEWAY = "xiangma";
const DEFAULT_BASE_URL = "http://xipay.xiangma365.com";
const DEFAULT_PATHS = { create: "/api/openpay/v3/h5pay", query: "/xypay/v3/queryorder" };
const DEFAULT_SIGN_RULE: SignRule = { skip: "null", secretJoiner: "&key=", hexCase: "lower", algorithm: "md5", signField: "sign" };
const PAY_TYPES = { alipay: "300", wechat: "400", unionpay: "600" } as const;
const SUCCESS_CODE = "SUCCESS";
/** `result_code` of the query and the notify (never of the create response). */
const STATUSES = { PAY_SUCCESS: "paid", PAY_IN_PROCESS: "pending", PAY_FAIL: "failed" } as const;
/** The notify and the query answer; amount in fen. No paid time: `pay_time` is the request's. */
const STATUS_RECORD: StatusRecordLayout = {
  status: "result_code",
  orderNo: "pay_trace_no",
  gatewayOrderNo: "trade_no",
  amount: "total_amount",
  amountToFen: fenStringToFen,
};
/** *Assumed*: `pay_trace_no` has no documented length; 32 as the sibling fields. */
const ORDER_NO_MAX = 32;

function jsonReply(status: number, returnCode: string, returnMsg: string): NotifyReply {
  return Object.freeze({
    status,
    contentType: "application/json; charset=utf-8",
    body: JSON.stringify({ return_code: returnCode, return_msg: returnMsg }),
  });
}

export function xiangma(config: XiangmaConfig): GatewayAdapter {
  const settings = baseSettings(config, GATEWAY, STATUSES);
  const { id, option } = settings;
  const baseUrl = configUrl(config.baseUrl ?? DEFAULT_BASE_URL, option("baseUrl"));
  const instNo = configText(config.instNo, option("instNo"));
  const mchNo = configText(config.mchNo, option("mchNo"));
  const signer = createSigner(configText(config.key, option("key")), { ...DEFAULT_SIGN_RULE, ...config.signRule });
  const paths = pathSettings(config.paths, DEFAULT_PATHS, option("paths"));
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);

  async function post(http: GatewayHttp, path: string, fields: JsonObject): Promise<JsonObject> {
    const response = await http(signedJsonRequest(joinUrl(baseUrl, path), fields, signer));
    const body = responseObject(id, response);
    const code = textOf(body.return_code);
    if (code !== SUCCESS_CODE) throw gatewayRefusal(id, response, body.return_msg, code);
    if (settings.verifyResponseSign) verifyResponseSignature(id, signer, body);
    return body;
  }

  /** WeChat fields at the top level (`packages`, not `package`), else Alipay, else a page. */
  function actionOf(body: JsonObject): PayAction {
    const packageValue = body.packages ?? body.package;
    if (textOf(packageValue) !== undefined) {
      const { appId, timeStamp, nonceStr, signType, paySign } = body;
      const params = wechatParams(id, { appId, timeStamp, nonceStr, package: packageValue, signType, paySign });
      return { type: "wechat", params: { ...params, timeStamp: secondsTimestamp(id, params.timeStamp) } };
    }
    const aliTradeNo = textOf(body.ali_trade_no);
    if (aliTradeNo !== undefined) return { type: "alipay", tradeNO: aliTradeNo };
    return { type: "redirect", url: redirectUrl(id, body.code_url, "code_url") };
  }

  return {
    id,
    supports: { wechat: ["h5"], alipay: ["h5"], unionpay: ["h5"] },

    async createOrder(input, http) {
      const fields: JsonObject = {
        inst_no: instNo,
        mch_no: mchNo,
        pay_type: PAY_TYPES[input.channel],
        pay_trace_no: requiredText(input.orderNo, "orderNo", { max: ORDER_NO_MAX }),
        pay_time: shanghaiCompactTime(new Date()),
        total_amount: String(requiredFen(input.amountFen, "amountFen")),
        open_id: optionalText(input.openId, "openId"),
        notify_url: input.notifyUrl,
      };
      const body = await post(http, paths.create, fields);
      // A create that is refused for the payment itself says so here, not in return_code.
      if (body.result_code === "PAY_FAIL") {
        throw new GatewayError(id, textOf(body.return_msg) ?? `${id} refused the payment`, { gatewayCode: "PAY_FAIL" });
      }
      return { gatewayOrderNo: requiredResponseText(id, body, "trade_no"), action: actionOf(body) };
    },

    verifyNotify(input) {
      return statusRecord.notify(signedNotifyFields(id, input, signer));
    },

    notifyReply: { success: jsonReply(200, "SUCCESS", "成功"), failure: jsonReply(400, "FAIL", "失败") },

    async queryOrder(input, http): Promise<QueryResult> {
      const body = await post(http, paths.query, {
        inst_no: instNo,
        mch_no: mchNo,
        query_trace_no: input.orderNo,
        trade_no: input.gatewayOrderNo,
      });
      return statusRecord.query(body);
    },
  };
}
