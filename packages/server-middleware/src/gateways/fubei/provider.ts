/**
 * fubei as a service provider (服务商) for its merchants: the 2.0 `fbpay.*` methods on
 * `/gateway/agent` (EVIDENCE.md, "Additions (2026-12-04)" / fubei). The caller is the provider:
 * the envelope carries `vendor_sn` (signed with the vendor secret, as the merchant level's
 * `app_secret`) and no `app_id`; each request names the merchant in `biz_content` by
 * `merchant_id` (付呗商户号, required at this level) and optionally `store_id`. One provider key
 * serves every merchant: each merchant's adapter is this factory over the shared
 * `vendorSn`/`vendorSecret` and its own `merchantId` (+ `storeId`), from the `merchants` resolver.
 *
 * `version`: "1.0" in the Java/.NET SDKs and epay even on /gateway/agent, "2.0" in the Go SDK:
 * a setting (default "1.0", *assumed*). Notifies: a form `result_code, result_message, data`
 * (JSON text) + `sign` over the three, verified with the vendor secret; `data.uid` is the
 * merchant. Refund notifies go to the URL set per merchant by `fbpay.pay.callback.config`
 * (`refund_callback_url`), never the order's `notify_url`: set it to this merchant's notify URL.
 */
import { fenToYuanNumber, yuanStringToFen } from "@paybridge/shared";
import { ConfigError, GatewayError, NotifyRejectedError } from "../../errors.js";
import type { GatewayAdapter, GatewayHttp, NotifyInput, RefundAnswer, VerifiedRefundNotify } from "../contract.js";
import { checkMerchant } from "../kit/checks.js";
import { nestedObject, type JsonObject } from "../kit/json.js";
import { requiredNotifyText, signedNotifyFields } from "../kit/notify-body.js";
import { plainTextReply } from "../kit/replies.js";
import { requestNonce, signedJsonRequest } from "../kit/request.js";
import { gatewayRefusal, requiredResponseObject, requiredResponseText, responseObject, verifyResponseSignature } from "../kit/response.js";
import { optionalField } from "../kit/results.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "../kit/settings.js";
import { createSigner, type SignRule } from "../kit/signing.js";
import { statusRecordReader, type StatusRecordLayout } from "../kit/status-record.js";
import { displayText, textOf } from "../kit/text.js";
import { shanghaiCompactTime } from "../kit/times.js";
import { configInteger, configText, configUrl, optionalText, requiredFen, requiredText } from "../kit/validate.js";
import { wechatParams } from "../kit/wechat.js";
import { FUBEI_REFUND_RULES, REFUND_STATES, SUCCESS_CODE, SYSTEM_FAULT, yuanTextToFen } from "./adapter.js";

/** The provider endpoint (EVIDENCE.md: java-sdk FubeiOpenApiProxy hosts + `/gateway/agent`). */
export const FUBEI_AGENT_PRESETS = Object.freeze({
  production: "https://shq-api.51fubei.com/gateway/agent",
  test: "https://shq-api-test.51fubei.com/gateway/agent",
});

export interface FubeiProviderConfig extends GatewayConfigBase {
  preset?: keyof typeof FUBEI_AGENT_PRESETS | undefined;
  /** The full endpoint; overrides the preset. */
  baseUrl?: string | undefined;
  /** `vendor_sn`: the provider's number, the same for every merchant. */
  vendorSn: string;
  /** The vendor secret that signs every call and verifies every notify. */
  vendorSecret: string;
  /** `merchant_id`, 付呗商户号: the merchant this adapter acts for (an integer, *assumed* ≤ 10 digits). */
  merchantId: number;
  /** `store_id`, optional at this level. */
  storeId?: number | undefined;
  /** The envelope's `version` (default "1.0"; the Go SDK sends "2.0"). */
  version?: "1.0" | "2.0" | undefined;
  methods?: Partial<Record<"create" | "query" | "close" | "refund" | "refundQuery", string>> | undefined;
}

const GATEWAY = "fubei";
const DEFAULT_METHODS = {
  create: "fbpay.order.create",
  query: "fbpay.order.query",
  close: "fbpay.order.close",
  refund: "fbpay.order.refund",
  refundQuery: "fbpay.order.refund.query",
};
const VERSIONS = ["1.0", "2.0"];
const ENVELOPE_FIELDS = ["vendor_sn", "method", "format", "sign_method", "nonce", "version", "biz_content"] as const;
const REQUEST_RULE: SignRule = { skip: "empty", secretJoiner: "", hexCase: "upper", algorithm: "md5", signField: "sign", fields: ENVELOPE_FIELDS };
/** callback.go: the sign covers the three fields of the notify form. */
const NOTIFY_FIELDS = ["result_code", "result_message", "data"] as const;
/** 2.0 `order_status` (order.go). */
const STATUSES = { SUCCESS: "paid", USERPAYING: "pending", REVOKING: "pending", REVOKED: "closed", CLOSED: "closed" } as const;
const STATUS_RECORD: StatusRecordLayout = {
  status: "order_status",
  orderNo: "merchant_order_sn",
  gatewayOrderNo: "order_sn",
  amount: "total_amount",
  amountToFen: yuanStringToFen,
  paidAt: "finish_time",
};
/** 1.0's spelling of a failed refund (refundQuery.html), accepted here too. */
const PROVIDER_REFUND_STATES: Readonly<Record<string, RefundAnswer["status"]>> = { ...REFUND_STATES, REFUND_FAILER: "failed" };

export function fubeiProvider(config: FubeiProviderConfig): GatewayAdapter {
  const settings = baseSettings(config, GATEWAY, STATUSES);
  const { id, option } = settings;
  const presetName = config.preset ?? "production";
  if (!Object.hasOwn(FUBEI_AGENT_PRESETS, presetName)) throw new ConfigError(option("preset"), `must be one of ${Object.keys(FUBEI_AGENT_PRESETS).join(", ")}`);
  const endpoint = configUrl(config.baseUrl ?? FUBEI_AGENT_PRESETS[presetName], option("baseUrl"));
  const vendorSn = configText(config.vendorSn, option("vendorSn"));
  const secret = configText(config.vendorSecret, option("vendorSecret"));
  const merchantId = configInteger(config.merchantId, option("merchantId"), 10);
  const storeId = config.storeId === undefined ? undefined : configInteger(config.storeId, option("storeId"), 10);
  const version = config.version ?? "1.0";
  if (!VERSIONS.includes(version)) throw new ConfigError(option("version"), `must be one of ${VERSIONS.join(", ")}`);
  const rule: SignRule = { ...REQUEST_RULE, ...config.signRule };
  const requestSigner = createSigner(secret, rule, settings.previousKeys);
  const notifySigner = createSigner(secret, { ...rule, fields: NOTIFY_FIELDS }, settings.previousKeys);
  const responseSigner = createSigner(secret, { ...rule, fields: undefined }, settings.previousKeys);
  const methods = pathSettings(config.methods, DEFAULT_METHODS, option("methods"));
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);
  const fail = (message: string): GatewayError => new GatewayError(id, message);
  // Every request names the merchant (and its store, when set).
  const merchant: JsonObject = { merchant_id: merchantId, ...optionalField("store_id", storeId) };
  const checkNamed = (record: JsonObject, error: (message: string) => Error): void => {
    checkMerchant(id, "uid", record.uid, String(merchantId), error);
    checkMerchant(id, "merchant_id", record.merchant_id, String(merchantId), error);
    if (storeId !== undefined) checkMerchant(id, "store_id", record.store_id, String(storeId), error);
  };

  async function call(http: GatewayHttp, method: string, biz: JsonObject): Promise<JsonObject> {
    const envelope: JsonObject = {
      vendor_sn: vendorSn,
      method,
      format: "json",
      sign_method: "md5",
      nonce: requestNonce(),
      version,
      biz_content: JSON.stringify({ ...merchant, ...biz }),
    };
    const response = await http(signedJsonRequest(endpoint, envelope, requestSigner));
    const body = responseObject(id, response);
    if (body.result_code !== SUCCESS_CODE && body.result_code !== String(SUCCESS_CODE)) {
      throw gatewayRefusal(id, response, body.result_message, textOf(body.sub_code) ?? textOf(body.result_code));
    }
    if (settings.verifyResponseSign && body.sign !== undefined) verifyResponseSignature(id, responseSigner, body);
    return requiredResponseObject(id, body, "data");
  }

  /** A verified notify's `data` and whether result_code said success. */
  function notifyData(input: NotifyInput): { data: JsonObject; ok: boolean } {
    const fields = signedNotifyFields(id, input, notifySigner);
    const data = nestedObject(fields.data);
    if (data === undefined) throw new NotifyRejectedError(`${id} notify lacks data`);
    checkNamed(data, (message) => new NotifyRejectedError(message));
    return { data, ok: String(fields.result_code) === String(SUCCESS_CODE) };
  }

  function refundAnswer(data: JsonObject, fallback: RefundAnswer["status"]): RefundAnswer {
    const word = textOf(data.refund_status);
    const status = word === undefined ? fallback : PROVIDER_REFUND_STATES[word];
    if (status === undefined) throw fail(`${id} refund answered an unknown refund_status`);
    const money = textOf(data.refund_amount);
    return {
      status,
      ...optionalField("refundNo", textOf(data.merchant_refund_sn)),
      ...optionalField("gatewayRefundNo", textOf(data.refund_sn)),
      ...(money === undefined ? {} : { amountFen: yuanTextToFen(money, fail) }),
      ...(status === "failed" ? { failure: word ?? "REFUND_FAIL" } : {}),
    };
  }

  const orderKey = (input: { orderNo: string; gatewayOrderNo?: string }): JsonObject =>
    input.gatewayOrderNo === undefined ? { merchant_order_sn: input.orderNo } : { order_sn: input.gatewayOrderNo };

  return {
    id,
    supports: { wechat: ["mini", "jsapi"], alipay: ["jsapi"] },
    refundRules: FUBEI_REFUND_RULES,

    async createOrder(input, http) {
      const wechat = input.channel === "wechat";
      const data = await call(http, methods.create, {
        merchant_order_sn: requiredText(input.orderNo, "orderNo", { max: 32, pattern: /^\S(.*\S)?$/, patternText: "without leading or trailing spaces" }),
        pay_type: wechat ? "wxpay" : "alipay",
        total_amount: fenToYuanNumber(requiredFen(input.amountFen, "amountFen")),
        user_id: requiredText(input.openId, "openId", { max: 32 }),
        sub_appid: wechat ? optionalText(input.appId, "appId", { max: 32 }) : undefined,
        body: displayText(input.description, 128),
        attach: optionalText(input.attach, "attach", { max: 127 }),
        timeout_express: input.expiresAt === undefined ? undefined : shanghaiCompactTime(new Date(input.expiresAt)),
        notify_url: requiredText(input.notifyUrl, "notify_url", { max: 256 }),
      });
      const gatewayOrderNo = requiredResponseText(id, data, "order_sn");
      // OrderCreateModel: prepay_id is Alipay's trade number; sign_package only for wxpay.
      if (!wechat) return { gatewayOrderNo, action: { type: "alipay", tradeNO: requiredResponseText(id, data, "prepay_id") } };
      return { gatewayOrderNo, action: { type: "wechat", params: wechatParams(id, requiredResponseObject(id, data, "sign_package")) } };
    },

    verifyNotify(input) {
      const { data, ok } = notifyData(input);
      const notify = statusRecord.notify(data);
      return ok ? notify : { ...notify, outcome: "failed" };
    },

    verifyRefundNotify(input): VerifiedRefundNotify | null {
      const { data } = notifyData(input);
      if (data.merchant_refund_sn === undefined && data.refund_sn === undefined) return null;
      const status = PROVIDER_REFUND_STATES[requiredNotifyText(data, "refund_status")];
      if (status === undefined) throw new NotifyRejectedError(`${id} refund notify has an unknown refund_status`);
      return {
        orderNo: requiredNotifyText(data, "merchant_order_sn"),
        refundNo: requiredNotifyText(data, "merchant_refund_sn"),
        amountFen: yuanTextToFen(requiredNotifyText(data, "refund_amount"), (message) => new NotifyRejectedError(message)),
        status,
        ...optionalField("gatewayRefundNo", textOf(data.refund_sn)),
      };
    },

    notifyReply: { success: plainTextReply(200, "success"), failure: plainTextReply(400, "fail") },

    async queryOrder(input, http) {
      const data = await call(http, methods.query, orderKey(input));
      checkNamed(data, fail);
      return statusRecord.query(data);
    },

    async closeOrder(input, http) {
      const data = await call(http, methods.close, orderKey(input));
      if (textOf(data.order_status) !== "CLOSED") throw fail(`${id} close answered an order_status other than CLOSED`);
    },

    async refundOrder(input, http) {
      const biz: JsonObject = {
        ...orderKey(input),
        merchant_refund_sn: requiredText(input.refundNo, "refundNo", { max: FUBEI_REFUND_RULES.maxRefundNoLength }),
        refund_amount: fenToYuanNumber(requiredFen(input.amountFen, "amountFen")),
      };
      try {
        return refundAnswer(await call(http, methods.refund, biz), "processing");
      } catch (error) {
        // fubei's refusal of this request (not its own trouble): nothing was refunded.
        if (error instanceof GatewayError && error.gatewayCode !== undefined && !SYSTEM_FAULT.test(error.gatewayCode)) {
          return { status: "failed", failure: error.gatewayCode };
        }
        throw error;
      }
    },

    async queryRefund(input, http) {
      return refundAnswer(await call(http, methods.refundQuery, { merchant_refund_sn: input.refundNo }), "processing");
    },
  };
}
