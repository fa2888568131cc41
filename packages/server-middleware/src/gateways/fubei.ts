/**
 * fubei (付呗) — open API `openapi.payment.order.mina`, gateway document 003, with the
 * official SDKs' envelope, signing, query and notify (gateways README). Every call is the
 * envelope `app_id, method, format, sign_method, nonce, version, biz_content` (a JSON string)
 * + `sign`, signed over exactly those fields, `app_secret` appended with no separator, MD5,
 * upper-case hex. Amount: yuan as a JSON number. WeChat mini-program only.
 */
import { randomBytes } from "node:crypto";
import { fenToYuanNumber, yuanNumberToFen, yuanStringToFen } from "@paybridge/shared";
import { GatewayError, NotifyRejectedError } from "../errors.js";
import { createSigner, type SignRule } from "../signing.js";
import { configInteger, configText, configUrl, optionalText, requiredFen, requiredText } from "../validate.js";
import type { GatewayAdapter, GatewayHttp, QueryResult } from "./types.js";
import {
  JSON_HEADERS,
  convertAmount,
  nestedObject,
  notifyFields,
  notifyOutcome,
  plainTextReply,
  requiredNotifyText,
  requiredResponseText,
  responseObject,
  shanghaiTimeToIso,
  statusOf,
  textOf,
  wechatParams,
  type JsonObject,
} from "./wire.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "./settings.js";

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
    const response = await http({
      url: endpoint,
      headers: JSON_HEADERS,
      body: JSON.stringify({ ...envelope, sign: requestSigner.sign(envelope) }),
    });
    const body = responseObject(id, response);
    if (body.result_code !== SUCCESS_CODE && body.result_code !== String(SUCCESS_CODE)) {
      const message = textOf(body.result_message) ?? `${id} answered HTTP ${response.status} without a message`;
      throw new GatewayError(id, message, { gatewayCode: textOf(body.sub_code) ?? textOf(body.result_code) });
    }
    // No response signature is documented; one that comes is checked like a notify's.
    const signature = body[notifySigner.rule.signField];
    if (settings.verifyResponseSign && signature !== undefined && !notifySigner.verify(body, signature)) {
      throw new GatewayError(id, `${id} response signature does not verify`);
    }
    const data = nestedObject(body.data);
    if (data === undefined) throw new GatewayError(id, `${id} response lacks data`);
    return data;
  }

  /** `total_fee` in yuan: a JSON number, or its text. */
  function fenOf(value: unknown, fail: (message: string) => Error): number {
    if (typeof value === "number") return convertAmount(() => yuanNumberToFen(value), fail);
    const text = textOf(value);
    if (text === undefined) throw fail("total_fee is missing");
    return convertAmount(() => yuanStringToFen(text), fail);
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
        body: optionalText(input.description, "description", { max: 128 }),
        attach: optionalText(input.attach, "attach", { max: 127 }),
      };
      const data = await call(http, methods.create, biz);
      const signParams = nestedObject(data.sign_params);
      if (signParams === undefined) throw new GatewayError(id, `${id} response lacks data.sign_params`);
      // Document 003: launch with fubei's own sign package, unchanged.
      return { gatewayOrderNo: requiredResponseText(id, data, "order_sn"), action: { type: "wechat", params: wechatParams(id, signParams) } };
    },

    verifyNotify(input) {
      const fields = notifyFields(input);
      if (!notifySigner.verify(fields, fields[notifySigner.rule.signField])) {
        throw new NotifyRejectedError(`${id} notify signature does not verify`);
      }
      const data = nestedObject(fields.data);
      if (data === undefined) throw new NotifyRejectedError(`${id} notify lacks data`);
      const succeeded = String(fields.result_code) === String(SUCCESS_CODE);
      // A 200 without trade_state is a payment (the SDKs' reading).
      const status = data.trade_state === undefined ? "paid" : statusOf(settings.statuses, data.trade_state);
      if (status === undefined) throw new NotifyRejectedError(`${id} notify has an unknown trade_state`);
      return {
        orderNo: requiredNotifyText(data, "merchant_order_sn"),
        gatewayOrderNo: textOf(data.order_sn),
        amountFen: fenOf(data.total_fee, (message) => new NotifyRejectedError(message)),
        outcome: succeeded ? notifyOutcome(status) : "failed",
        paidAt: shanghaiTimeToIso(data.finish_time),
      };
    },

    notifyReply: { success: plainTextReply(200, "success"), failure: plainTextReply(400, "fail") },

    async queryOrder(input, http): Promise<QueryResult> {
      const data = await call(http, methods.query, { merchant_order_sn: input.orderNo });
      const status = statusOf(settings.statuses, data.trade_state);
      if (status === undefined) throw new GatewayError(id, `${id} query answered an unknown trade_state`);
      return {
        status,
        amountFen: data.total_fee == null ? undefined : fenOf(data.total_fee, (message) => new GatewayError(id, message)),
        gatewayOrderNo: textOf(data.order_sn),
        paidAt: shanghaiTimeToIso(data.finish_time),
      };
    },
  };
}
