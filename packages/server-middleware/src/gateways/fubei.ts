/**
 * fubei (付呗) — open API `openapi.payment.order.mina`, gateway document 003, with the
 * official SDKs' envelope, signing, query and notify (gateways README). Every call is the
 * envelope `app_id, method, format, sign_method, nonce, version, biz_content` (a JSON string)
 * + `sign`, signed over exactly those fields, `app_secret` appended with no separator, MD5,
 * upper-case hex. Amount: yuan as a JSON number. WeChat mini-program only.
 */
import { randomBytes } from "node:crypto";
import { fenToYuanNumber, yuanStringToFen } from "@paybridge/shared";
import { NotifyRejectedError } from "../errors.js";
import { createSigner, type SignRule } from "../signing.js";
import { configInteger, configText, configUrl, optionalText, requiredFen, requiredText } from "../validate.js";
import type { GatewayAdapter, GatewayHttp, QueryResult } from "./types.js";
import {
  displayText,
  gatewayRefusal,
  nestedObject,
  plainTextReply,
  requiredResponseObject,
  requiredResponseText,
  responseObject,
  signedJsonRequest,
  signedNotifyFields,
  textOf,
  verifyResponseSignature,
  wechatParams,
  type JsonObject,
} from "./wire.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "./settings.js";
import { statusRecordReader, type StatusRecordLayout } from "./status-record.js";

export interface FubeiConfig extends GatewayConfigBase {
  /** The full gateway endpoint; default `https://shq-api.51fubei.com/gateway`. */
  baseUrl?: string;
  /** `app_id`. */
  appId: string;
  appSecret: string;
  /** `store_id`, an integer of at most 10 digits. */
  storeId: number;
  /** `cashier_id`, an integer of at most 10 digits. */
  cashierId?: number;
  /** The `method` of each call: `openapi.payment.order.mina`, `openapi.payment.order.query`. */
  methods?: Partial<Record<"create" | "query", string>>;
}

const GATEWAY = "fubei";
const DEFAULT_BASE_URL = "https://shq-api.51fubei.com/gateway";
const DEFAULT_METHODS = { create: "openapi.payment.order.mina", query: "openapi.payment.order.query" };
const ENVELOPE_FIELDS = ["app_id", "method", "format", "sign_method", "nonce", "version", "biz_content"] as const;
const DEFAULT_SIGN_RULE: SignRule = {
  skip: "empty",
  secretJoiner: "",
  hexCase: "upper",
  algorithm: "md5",
  signField: "sign",
  fields: ENVELOPE_FIELDS,
};
const SUCCESS_CODE = 200;
/** `data.trade_state` of the query and the notify. */
const STATUSES = {
  SUCCESS: "paid",
  USERPAYING: "pending",
  NOTPAY: "pending",
  PAYERROR: "failed",
  CLOSED: "closed",
  REVOKED: "closed",
} as const;
/** `data` of the query and of the notify; `total_fee` in yuan, a JSON number or its text. */
const STATUS_RECORD: StatusRecordLayout = {
  status: "trade_state",
  orderNo: "merchant_order_sn",
  gatewayOrderNo: "order_sn",
  amount: "total_fee",
  amountToFen: yuanStringToFen,
  paidAt: "finish_time",
  // A 200 notify without trade_state is a payment (the SDKs' reading).
  notifyStatusWhenAbsent: "paid",
};

export function fubei(config: FubeiConfig): GatewayAdapter {
  const settings = baseSettings(config, GATEWAY, STATUSES);
  const { id, option } = settings;
  const endpoint = configUrl(config.baseUrl ?? DEFAULT_BASE_URL, option("baseUrl"));
  const appId = configText(config.appId, option("appId"));
  const secret = configText(config.appSecret, option("appSecret"));
  const requestRule: SignRule = { ...DEFAULT_SIGN_RULE, ...config.signRule };
  const requestSigner = createSigner(secret, requestRule);
  // Notifies (and any signed response) are signed over every field but `sign`.
  const notifySigner = createSigner(secret, { ...requestRule, fields: undefined });
  const storeId = configInteger(config.storeId, option("storeId"), 10);
  const cashierId = config.cashierId === undefined ? undefined : configInteger(config.cashierId, option("cashierId"), 10);
  const methods = pathSettings(config.methods, DEFAULT_METHODS, option("methods"));
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);

  async function call(http: GatewayHttp, method: string, biz: JsonObject): Promise<JsonObject> {
    const envelope: JsonObject = {
      app_id: appId,
      method,
      format: "json",
      sign_method: "md5",
      nonce: randomBytes(16).toString("hex"),
      version: "1.0",
      // Signed as the exact string sent.
      biz_content: JSON.stringify(biz),
    };
    const response = await http(signedJsonRequest(endpoint, envelope, requestSigner));
    const body = responseObject(id, response);
    if (body.result_code !== SUCCESS_CODE && body.result_code !== String(SUCCESS_CODE)) {
      throw gatewayRefusal(id, response, body.result_message, textOf(body.sub_code) ?? textOf(body.result_code));
    }
    // No response signature is documented; one that comes is checked like a notify's.
    if (settings.verifyResponseSign && body[notifySigner.rule.signField] !== undefined) verifyResponseSignature(id, notifySigner, body);
    return requiredResponseObject(id, body, "data");
  }

  return {
    id,
    supports: { wechat: ["mini"] },

    async createOrder(input, http) {
      const biz: JsonObject = {
        // Document 003: no spaces before or after.
        merchant_order_sn: requiredText(input.orderNo, "orderNo", { max: 32, pattern: /^\S(.*\S)?$/, patternText: "without leading or trailing spaces" }),
        sub_openid: requiredText(input.openId, "openId", { max: 32 }),
        total_fee: fenToYuanNumber(requiredFen(input.amountFen, "amountFen")),
        store_id: storeId,
        cashier_id: cashierId,
        call_back_url: requiredText(input.notifyUrl, "call_back_url", { max: 256 }),
        // Display text: cut to the document's 128, never inside a character, rather than refused.
        body: displayText(input.description, 128),
        attach: optionalText(input.attach, "attach", { max: 127 }),
      };
      const data = await call(http, methods.create, biz);
      const signParams = requiredResponseObject(id, data, "sign_params");
      // Document 003: launch with fubei's own sign package, unchanged.
      return { gatewayOrderNo: requiredResponseText(id, data, "order_sn"), action: { type: "wechat", params: wechatParams(id, signParams) } };
    },

    verifyNotify(input) {
      const fields = signedNotifyFields(id, input, notifySigner);
      const data = nestedObject(fields.data);
      if (data === undefined) throw new NotifyRejectedError(`${id} notify lacks data`);
      const notify = statusRecord.notify(data);
      // Whatever `data` says, a notify whose result_code is not 200 is a failed payment.
      return String(fields.result_code) === String(SUCCESS_CODE) ? notify : { ...notify, outcome: "failed" };
    },

    notifyReply: { success: plainTextReply(200, "success"), failure: plainTextReply(400, "fail") },

    async queryOrder(input, http): Promise<QueryResult> {
      return statusRecord.query(await call(http, methods.query, { merchant_order_sn: input.orderNo }));
    },
  };
}
