/**
 * fubei (付呗) — open API `openapi.payment.order.mina`, gateway document 003, with the
 * official SDKs' envelope, signing, query and notify (gateways README). Every call is the
 * envelope `app_id, method, format, sign_method, nonce, version, biz_content` (a JSON string)
 * + `sign`, signed over exactly those fields, `app_secret` appended with no separator, MD5,
 * upper-case hex. Amount: yuan as a JSON number (document 003: at most 10 characters).
 * WeChat mini-program (`openapi.payment.order.mina`) and Alipay's own browser
 * (`openapi.payment.Alipay.H5`, from the Java SDK).
 *
 * Query and notify (EVIDENCE.md): `trade_state` as the Java SDK's PaymentQueryOrderModel lists
 * it, `pay_time` an integer of unix seconds, `store_id` our store. Notifies come as a form
 * (`result_code, result_message, data, sign`, `data` the JSON text that was signed), and are
 * verified over the fields as sent; the sign's hex case is not significant.
 */
import { fenToYuanNumber, yuanStringToFen } from "@paybridge/shared";
import { ConfigError, GatewayError, InvalidRequestError, NotifyRejectedError } from "../../errors.js";
import type { GatewayAdapter, GatewayHttp, QueryResult, RefundAnswer } from "../contract.js";
import { checkMerchant } from "../kit/checks.js";
import { nestedObject, type JsonObject } from "../kit/json.js";
import { signedNotifyFields } from "../kit/notify-body.js";
import { plainTextReply } from "../kit/replies.js";
import { requestNonce, signedJsonRequest } from "../kit/request.js";
import { gatewayRefusal, requiredResponseObject, requiredResponseText, responseObject, verifyResponseSignature } from "../kit/response.js";
import { optionalField } from "../kit/results.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "../kit/settings.js";
import { createSigner, type SignRule } from "../kit/signing.js";
import { statusRecordReader, type StatusRecordLayout } from "../kit/status-record.js";
import { displayText, textOf } from "../kit/text.js";
import { unixSecondsToIso } from "../kit/times.js";
import { configInteger, configText, configUrl, optionalText, requiredFen, requiredText } from "../kit/validate.js";
import { wechatParams } from "../kit/wechat.js";
import { fubeiBill } from "./bill.js";

/** fubei's gateways (EVIDENCE.md: the official SDKs; the test one from the Java SDK's OpenApiUnitTest). */
export const FUBEI_PRESETS = Object.freeze({
  production: "https://shq-api.51fubei.com/gateway",
  test: "https://shq-api-test.51fubei.com/gateway",
});

export interface FubeiConfig extends GatewayConfigBase {
  /** Which gateway is the default endpoint: `production` (default) or `test`. */
  preset?: keyof typeof FUBEI_PRESETS | undefined;
  /** The full gateway endpoint; overrides the preset. */
  baseUrl?: string | undefined;
  /** `app_id`. */
  appId: string;
  appSecret: string;
  /** `store_id`, an integer of at most 10 digits. */
  storeId: number;
  /** `cashier_id`, an integer of at most 10 digits. */
  cashierId?: number | undefined;
  /** The `method` of each call: `openapi.payment.order.mina`, `openapi.payment.Alipay.H5`, `openapi.payment.order.query`, … `.reconciliation`. */
  methods?: Partial<Record<"create" | "alipayH5" | "query" | "refund" | "refundQuery" | "reconciliation", string>> | undefined;
}

const GATEWAY = "fubei";
const DEFAULT_METHODS = {
  create: "openapi.payment.order.mina",
  alipayH5: "openapi.payment.Alipay.H5",
  query: "openapi.payment.order.query",
  refund: "openapi.payment.order.refund",
  refundQuery: "openapi.payment.order.refund.query",
  reconciliation: "openapi.payment.order.reconciliation",
};
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
/**
 * `data.trade_state` of the query and the notify: the Java SDK's list (PaymentQueryOrderModel).
 * REVOKING (撤销中) is not over yet; REVOKED_ERROR (撤销失败) says a cancel failed, not whether
 * the payer paid, so it stays pending (*assumed*) until a notify or a later query says more.
 */
const STATUSES = {
  SUCCESS: "paid",
  USERPAYING: "pending",
  REVOKED: "closed",
  REVOKING: "pending",
  REVOKED_ERROR: "pending",
} as const;
/** `data` of the query and of the notify; `total_fee` in yuan, a JSON number or its text. */
const STATUS_RECORD: StatusRecordLayout = {
  status: "trade_state",
  orderNo: "merchant_order_sn",
  gatewayOrderNo: "order_sn",
  amount: "total_fee",
  amountToFen: yuanStringToFen,
  // A 200 notify without trade_state is a payment (the SDKs' reading).
  notifyStatusWhenAbsent: "paid",
};
/** Document 003: total_fee, float, at most 10 characters. */
const TOTAL_FEE_MAX_LENGTH = 10;

export function fubei(config: FubeiConfig): GatewayAdapter {
  const settings = baseSettings(config, GATEWAY, STATUSES);
  const { id, option } = settings;
  const presetName = config.preset ?? "production";
  if (!Object.hasOwn(FUBEI_PRESETS, presetName)) throw new ConfigError(option("preset"), `must be one of ${Object.keys(FUBEI_PRESETS).join(", ")}`);
  const endpoint = configUrl(config.baseUrl ?? FUBEI_PRESETS[presetName], option("baseUrl"));
  const appId = configText(config.appId, option("appId"));
  const secret = configText(config.appSecret, option("appSecret"));
  const requestRule: SignRule = { ...DEFAULT_SIGN_RULE, ...config.signRule };
  const requestSigner = createSigner(secret, requestRule, settings.previousKeys);
  // Notifies (and any signed response) are signed over every field but `sign`.
  const notifySigner = createSigner(secret, { ...requestRule, fields: undefined }, settings.previousKeys);
  const storeId = configInteger(config.storeId, option("storeId"), 10);
  const cashierId = config.cashierId === undefined ? undefined : configInteger(config.cashierId, option("cashierId"), 10);
  const methods = pathSettings(config.methods, DEFAULT_METHODS, option("methods"));
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);
  const checkStore = (record: JsonObject, fail: (message: string) => Error): void =>
    checkMerchant(id, "store_id", record.store_id, String(storeId), fail);

  async function call(http: GatewayHttp, method: string, biz: JsonObject): Promise<JsonObject> {
    const envelope: JsonObject = {
      app_id: appId,
      method,
      format: "json",
      sign_method: "md5",
      nonce: requestNonce(),
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
    // Refund and refund query: the block at the end of this file.
    ...fubeiLifecycle({ id, methods, call }),
    // A day's payments from the reconciliation method, and the console file's preset: bill.ts.
    ...fubeiBill({ id, method: methods.reconciliation, storeId, call }),
    // WeChat's own browser (openapi.payment.order.h5pay) needs open_id + sub_open_id from fubei's
    // own authorisation redirect, which paybridge does not run: refused, naming who can serve it.
    supports: { wechat: ["mini"], alipay: ["jsapi"] },

    async createOrder(input, http) {
      const common: JsonObject = {
        // Document 003: no spaces before or after.
        merchant_order_sn: requiredText(input.orderNo, "orderNo", { max: 32, pattern: /^\S(.*\S)?$/, patternText: "without leading or trailing spaces" }),
        total_fee: totalFee(input.amountFen),
        store_id: storeId,
        cashier_id: cashierId,
        call_back_url: requiredText(input.notifyUrl, "call_back_url", { max: 256 }),
        // Display text: cut to the document's 128, never inside a character, rather than refused.
        body: displayText(input.description, 128),
        attach: optionalText(input.attach, "attach", { max: 127 }),
      };
      if (input.channel === "alipay") {
        // Java SDK ParamPaymentAlipayH5: the payer's Alipay user id (2088…) as buyer_id; the
        // answer's prepay_id is Alipay's trade number (PaymentH5AlipayModel).
        const data = await call(http, methods.alipayH5, { ...common, buyer_id: requiredText(input.openId, "openId", { max: 32 }) });
        return { gatewayOrderNo: requiredResponseText(id, data, "order_sn"), action: { type: "alipay", tradeNO: requiredResponseText(id, data, "prepay_id") } };
      }
      const data = await call(http, methods.create, { ...common, sub_openid: requiredText(input.openId, "openId", { max: 32 }) });
      const signParams = requiredResponseObject(id, data, "sign_params");
      // Document 003: launch with fubei's own sign package, unchanged.
      return { gatewayOrderNo: requiredResponseText(id, data, "order_sn"), action: { type: "wechat", params: wechatParams(id, signParams) } };
    },

    verifyNotify(input) {
      const fields = signedNotifyFields(id, input, notifySigner);
      const data = nestedObject(fields.data);
      if (data === undefined) throw new NotifyRejectedError(`${id} notify lacks data`);
      checkStore(data, (message) => new NotifyRejectedError(message));
      const notify = { ...statusRecord.notify(data), ...optionalField("paidAt", unixSecondsToIso(data.pay_time)) };
      // Whatever `data` says, a notify whose result_code is not 200 is a failed payment.
      return String(fields.result_code) === String(SUCCESS_CODE) ? notify : { ...notify, outcome: "failed" };
    },

    notifyReply: { success: plainTextReply(200, "success"), failure: plainTextReply(400, "fail") },

    async queryOrder(input, http): Promise<QueryResult> {
      // One of merchant_order_sn / order_sn / trade_no ("三选一"): fubei's own number when known.
      const biz = input.gatewayOrderNo === undefined ? { merchant_order_sn: input.orderNo } : { order_sn: input.gatewayOrderNo };
      const data = await call(http, methods.query, biz);
      checkStore(data, (message) => new GatewayError(id, message));
      const orderNo = textOf(data.merchant_order_sn);
      return { ...statusRecord.query(data), ...optionalField("orderNo", orderNo), ...optionalField("paidAt", unixSecondsToIso(data.pay_time)) };
    },
  };
}

/** The amount as document 003's total_fee: yuan, a JSON number of at most 10 characters. */
function totalFee(amountFen: number): number {
  const yuan = fenToYuanNumber(requiredFen(amountFen, "amountFen"));
  if (String(yuan).length > TOTAL_FEE_MAX_LENGTH) {
    throw new InvalidRequestError(`amountFen is more than fubei's total_fee can carry (${TOTAL_FEE_MAX_LENGTH} characters of yuan)`, "amountFen");
  }
  return yuan;
}

// ─── Refund, refund query and close (issue 12; refunds branch) ──────────────────────────────
// EVIDENCE.md (fubei-open/java-sdk MerchantOrderApi, ParamPaymentOrderRefund):
// `openapi.payment.order.refund` takes one of merchant_order_sn / order_sn / trade_no,
// `merchant_refund_sn` and `refund_money` (yuan; empty = full), answers refund_sn,
// merchant_refund_sn, trade_no, order_sn, merchant_order_sn — no state, so an accepted refund
// is `processing` (*assumed*) until `openapi.payment.order.refund.query`
// {merchant_order_sn, merchant_refund_sn} says `refund_status` REFUND_SUCCESS (REFUND_PROCESSING
// while not; REFUND_FAIL *assumed*). "只支持90日内成功支付的退款，支持部分退款，单笔订单退款次数
// 不可超过10次": the refund rules below. No close: `openapi.payment.order.close` lists scan-code and
// official-account orders, not the mini-program orders this adapter makes, so paybridge closes
// fubei orders locally (a payment that still arrives wins).

const REFUND_STATES: Readonly<Record<string, RefundAnswer["status"]>> = {
  REFUND_SUCCESS: "succeeded",
  REFUND_PROCESSING: "processing",
  REFUND_FAIL: "failed",
};
/** *Assumed*: merchant_refund_sn has the merchant_order_sn's length. */
const REFUND_NO_MAX = 32;
const FUBEI_REFUND_RULES = Object.freeze({ maxRefunds: 10, windowDays: 90, maxRefundNoLength: REFUND_NO_MAX });
/** A refusal whose code reads as the gateway's own trouble says nothing about the refund. */
const SYSTEM_FAULT = /SYSTEM|BUSY|TIMEOUT|UNKNOWN|INTERNAL|^5\d\d$/i;

interface FubeiLifecycle {
  id: string;
  methods: { refund: string; refundQuery: string };
  call(http: GatewayHttp, method: string, biz: JsonObject): Promise<JsonObject>;
}

function fubeiLifecycle(ctx: FubeiLifecycle): Pick<GatewayAdapter, "refundOrder" | "queryRefund" | "refundRules"> {
  const { id } = ctx;
  const fail = (message: string): GatewayError => new GatewayError(id, message);

  function refundAnswer(data: JsonObject, fallback: RefundAnswer["status"]): RefundAnswer {
    const word = textOf(data.refund_status);
    const status = word === undefined ? fallback : REFUND_STATES[word];
    if (status === undefined) throw fail(`${id} refund answered an unknown refund_status`);
    const money = textOf(data.refund_money);
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
    refundRules: FUBEI_REFUND_RULES,

    async refundOrder(input, http) {
      const biz: JsonObject = {
        ...orderKey(input),
        merchant_refund_sn: requiredText(input.refundNo, "refundNo", { max: REFUND_NO_MAX }),
        // Always the amount, even for a full refund: never "empty = everything left".
        refund_money: fenToYuanNumber(requiredFen(input.amountFen, "amountFen")),
      };
      try {
        return refundAnswer(await ctx.call(http, ctx.methods.refund, biz), "processing");
      } catch (error) {
        // fubei's refusal of this request (not its own trouble): nothing was refunded.
        if (error instanceof GatewayError && error.gatewayCode !== undefined && !SYSTEM_FAULT.test(error.gatewayCode)) {
          return { status: "failed", failure: error.gatewayCode };
        }
        throw error;
      }
    },

    async queryRefund(input, http) {
      const data = await ctx.call(http, ctx.methods.refundQuery, { merchant_order_sn: input.orderNo, merchant_refund_sn: input.refundNo });
      return refundAnswer(data, "processing");
    },

  };
}

/** A yuan amount as fubei writes it (a JSON number or its text) in fen, exactly. */
function yuanTextToFen(text: string, fail: (message: string) => Error): number {
  try {
    return yuanStringToFen(text);
  } catch {
    throw fail(`fubei answered an unreadable refund_money`);
  }
}
