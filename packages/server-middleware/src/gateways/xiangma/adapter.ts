/**
 * xiangma — xiangma365 openpay v3 `h5pay`, gateway document 002, with the official guide's
 * signing rule and query (gateways README, EVIDENCE.md): sort, skip `sign` and null values
 * (empty strings ARE signed), `&key=`, MD5, lower-case hex; answers are signed the same way.
 * Amount: fen as a string.
 *
 * Two readings are kept apart. The create answer's `result_code` says whether the *call* was
 * accepted (the document's example says PAY_SUCCESS for a prepared, unpaid payment), so it
 * never marks an order paid. The query's and the notify's `result_code` (PAY_SUCCESS,
 * PAY_IN_PROCESS, PAY_FAIL) — or an older answer's `trade_state` (SUCCESS) — is the trade state.
 * `pay_time` is the time the payment was *requested* (document 002); the notify's `end_time`
 * is when it was paid.
 *
 * Scenes: h5pay serves a plain browser (its `code_url` page) and the wallets' own browsers
 * (`jsapi`: with the payer's openId the answer carries WeChat / Alipay launch parameters, else
 * its `code_url`). It has no mini-program form.
 */
import { fenStringToFen, type PayAction } from "@paybridge/shared";
import { ConfigError, GatewayError, NotifyRejectedError } from "../../errors.js";
import type { GatewayAdapter, GatewayHttp, QueryResult, RefundAnswer, VerifiedNotify } from "../contract.js";
import { checkMerchant, convertAmount, queryAmountFen } from "../kit/checks.js";
import { isJsonObject, type JsonObject } from "../kit/json.js";
import { requiredNotifyText, signedNotifyFields } from "../kit/notify-body.js";
import { jsonReply } from "../kit/replies.js";
import { requestNonce, signedJsonRequest } from "../kit/request.js";
import { gatewayRefusal, requiredResponseText, responseObject, verifyResponseSignature } from "../kit/response.js";
import { notifyOutcome, optionalField, statusOf, type GatewayStatusTable } from "../kit/results.js";
import { XIANGMA_PRESETS, type XiangmaPath } from "./profiles.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "../kit/settings.js";
import { createSigner, type SignRule, type Signer } from "../kit/signing.js";
import { textOf } from "../kit/text.js";
import { shanghaiCompactTime, shanghaiTimeToIso } from "../kit/times.js";
import { joinUrl, redirectUrl } from "../kit/urls.js";
import { configText, configUrl, optionalText, requiredFen, requiredText } from "../kit/validate.js";
import { secondsTimestamp, wechatParams } from "../kit/wechat.js";
import { XIANGMA_BILL_COLUMNS } from "./bill.js";

export { XIANGMA_PRESETS, type XiangmaProfile } from "./profiles.js";

export interface XiangmaConfig extends GatewayConfigBase {
  /**
   * Which environment or white-label platform's host and paths are the defaults: `production`
   * (default), `test`, `shoubei` (收呗), `leshouying` (乐收赢), `leshouying-test`. The profile also
   * gives the default id (`shoubei`, `leshouying`). See src/gateways/xiangma-profiles.ts.
   */
  preset?: keyof typeof XIANGMA_PRESETS | undefined;
  /** Overrides the preset's host. */
  baseUrl?: string | undefined;
  /** `inst_no`, the institution number. */
  instNo: string;
  /** `mch_no`, the merchant number. */
  mchNo: string;
  key: string;
  /** Overrides of the preset's path per endpoint. */
  paths?: Partial<Record<XiangmaPath, string>> | undefined;
  /** Overrides of how an older answer's `trade_state` reads (default `{ SUCCESS: "paid" }`). */
  tradeStates?: GatewayStatusTable | undefined;
}

const GATEWAY = "xiangma";
const DEFAULT_SIGN_RULE: SignRule = { skip: "null", secretJoiner: "&key=", hexCase: "lower", algorithm: "md5", signField: "sign" };
const PAY_TYPES = { alipay: "300", wechat: "400", unionpay: "600" } as const;
const SUCCESS_CODE = "SUCCESS";
/** `result_code` of the query and the notify (never of the create answer). */
const STATUSES = { PAY_SUCCESS: "paid", PAY_IN_PROCESS: "pending", PAY_FAIL: "failed" } as const;
/** An older answer's `trade_state` (a sibling PHP client checks `trade_state === 'SUCCESS'`). */
const TRADE_STATES = { SUCCESS: "paid" } as const;
/** *Assumed*: `pay_trace_no` has no documented length; 32 as the sibling fields. */
const ORDER_NO_MAX = 32;

/** `end_time` comes as `2019-07-20 12:36:27.0`: the fraction is dropped before reading. */
function paidAtOf(record: JsonObject): string | undefined {
  const text = textOf(record.end_time);
  return text === undefined ? undefined : shanghaiTimeToIso(text.replace(/\.\d+$/, ""));
}

export function xiangma(config: XiangmaConfig): GatewayAdapter {
  const presetName = config.preset ?? "production";
  if (!Object.hasOwn(XIANGMA_PRESETS, presetName)) throw new ConfigError(`gateways.${GATEWAY}.preset`, `must be one of ${Object.keys(XIANGMA_PRESETS).join(", ")}`);
  const preset = XIANGMA_PRESETS[presetName];
  // A white-label platform's id by default, so two platforms can be configured side by side.
  const settings = baseSettings({ ...config, id: config.id ?? preset.id }, GATEWAY, STATUSES);
  const { id, option } = settings;
  const baseUrl = configUrl(config.baseUrl ?? preset.baseUrl, option("baseUrl"));
  const instNo = configText(config.instNo, option("instNo"));
  const mchNo = configText(config.mchNo, option("mchNo"));
  const signer = createSigner(configText(config.key, option("key")), { ...DEFAULT_SIGN_RULE, ...config.signRule }, settings.previousKeys);
  const paths = pathSettings(config.paths, preset.paths, option("paths"));
  if (config.tradeStates !== undefined && !isJsonObject(config.tradeStates as unknown)) throw new ConfigError(option("tradeStates"), "must be an object");
  const tradeStates: GatewayStatusTable = Object.freeze({ ...TRADE_STATES, ...config.tradeStates });

  async function post(http: GatewayHttp, path: string, fields: JsonObject): Promise<JsonObject> {
    const response = await http(signedJsonRequest(joinUrl(baseUrl, path), fields, signer));
    const body = responseObject(id, response);
    const code = textOf(body.return_code);
    if (code !== SUCCESS_CODE) throw gatewayRefusal(id, response, body.return_msg, code);
    if (settings.verifyResponseSign) verifyResponseSignature(id, signer, body);
    checkMerchant(id, "mch_no", body.mch_no, mchNo, (message) => new GatewayError(id, message));
    return body;
  }

  /** The trade state of a query answer or a notify: `trade_state` when sent (older API), else `result_code`. */
  function tradeStatus(record: JsonObject): QueryResult["status"] | undefined {
    if (record.trade_state !== undefined && record.trade_state !== null) return statusOf(tradeStates, record.trade_state);
    return statusOf(settings.statuses, record.result_code);
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
    // The console file's columns, *assumed* (bill.ts).
    billColumns: XIANGMA_BILL_COLUMNS,
    supports: { wechat: ["h5", "jsapi"], alipay: ["h5", "jsapi"], unionpay: ["h5", "jsapi"] },
    // Refund, refund query and close: the block at the end of this file.
    ...xiangmaLifecycle({ id, instNo, mchNo, verifyResponseSign: settings.verifyResponseSign, signer, url: (path) => joinUrl(baseUrl, paths[path]) }),

    async createOrder(input, http) {
      const fields: JsonObject = {
        inst_no: instNo,
        mch_no: mchNo,
        pay_type: PAY_TYPES[input.channel],
        pay_trace_no: requiredText(input.orderNo, "orderNo", { max: ORDER_NO_MAX }),
        pay_time: shanghaiCompactTime(new Date()),
        total_amount: String(requiredFen(input.amountFen, "amountFen")),
        // Inside the wallet's own browser the payer's id asks for launch parameters; a plain
        // browser cannot use them, so there it is left out and the answer is a page.
        open_id: input.scene === "jsapi" ? optionalText(input.openId, "openId") : undefined,
        notify_url: input.notifyUrl,
      };
      const body = await post(http, paths.create, fields);
      // The create answer's result_code is the call's result, not the trade's: PAY_FAIL is a
      // refusal, anything else an accepted (unpaid) payment.
      if (body.result_code === "PAY_FAIL") {
        throw new GatewayError(id, textOf(body.return_msg) ?? `${id} refused the payment`, { gatewayCode: "PAY_FAIL" });
      }
      return { gatewayOrderNo: requiredResponseText(id, body, "trade_no"), action: actionOf(body) };
    },

    verifyNotify(input): VerifiedNotify {
      const record = signedNotifyFields(id, input, signer);
      const reject = (message: string): NotifyRejectedError => new NotifyRejectedError(message);
      checkMerchant(id, "inst_no", record.inst_no, instNo, reject);
      checkMerchant(id, "mch_no", record.mch_no, mchNo, reject);
      const status = tradeStatus(record);
      if (status === undefined) throw reject(`${id} notify has an unknown result_code`);
      const amount = requiredNotifyText(record, "total_amount");
      return {
        orderNo: requiredNotifyText(record, "pay_trace_no"),
        gatewayOrderNo: textOf(record.trade_no),
        amountFen: convertAmount(() => fenStringToFen(amount), reject),
        outcome: notifyOutcome(status),
        paidAt: paidAtOf(record),
      };
    },

    notifyReply: {
      success: jsonReply(200, { return_code: "SUCCESS", return_msg: "成功" }),
      failure: jsonReply(400, { return_code: "FAIL", return_msg: "失败" }),
    },

    async queryOrder(input, http): Promise<QueryResult> {
      if (input.gatewayOrderNo === undefined) throw new GatewayError(id, `${id} query needs the trade_no of the create answer`);
      // "查询流水号,自定义,每次请求唯一": the query's own id, fresh each time, never the order number.
      const queryTraceNo = requestNonce();
      const body = await post(http, paths.query, { inst_no: instNo, mch_no: mchNo, query_trace_no: queryTraceNo, trade_no: input.gatewayOrderNo });
      const echoed = textOf(body.query_trace_no);
      if (echoed !== undefined && echoed !== queryTraceNo) throw new GatewayError(id, `${id} query answered another query_trace_no`);
      const status = tradeStatus(body);
      if (status === undefined) throw new GatewayError(id, `${id} query answered an unknown result_code`);
      return {
        status,
        ...optionalField("amountFen", queryAmountFen(id, "total_amount", body.total_amount, fenStringToFen)),
        ...optionalField("orderNo", textOf(body.pay_trace_no)),
        ...optionalField("gatewayOrderNo", textOf(body.trade_no)),
        ...optionalField("paidAt", paidAtOf(body)),
      };
    },
  };
}

// ─── Refund, refund query and close (issue 12; refunds branch) ──────────────────────────────
// EVIDENCE.md: `/xypay/v3/refundorder` takes inst_no, mch_no, refund_trace_no (the refund's own
// id), refund_fee (fen, a string) and trade_no; success `result_code == "PAY_SUCCESS"`.
// `queryrefund` exists (hosts seen); its fields are *assumed*: a fresh query_trace_no (as the
// order query) and the refund_trace_no. `closeorder`: inst_no, mch_no, close_trace_no,
// close_time (yyyyMMddHHmmss), trade_no; the answer echoes them.

/** `result_code` of a refund answer or refund query: PAY_SUCCESS seen; the others *assumed* as the trade's. */
const REFUND_RESULTS = { PAY_SUCCESS: "succeeded", PAY_IN_PROCESS: "processing", PAY_FAIL: "failed" } as const;

interface XiangmaLifecycle {
  id: string;
  instNo: string;
  mchNo: string;
  verifyResponseSign: boolean;
  signer: Signer;
  url(path: "refund" | "refundQuery" | "close"): string;
}

/**
 * The refund and close calls. A signed answer whose return_code is not SUCCESS is the gateway's
 * refusal of this request (nothing was refunded): `failed`. Anything unreadable or unsigned
 * throws, and the core keeps the refund's amount reserved.
 */
function xiangmaLifecycle(ctx: XiangmaLifecycle): Pick<GatewayAdapter, "refundOrder" | "queryRefund" | "closeOrder" | "refundRules"> {
  const { id } = ctx;
  const fail = (message: string): GatewayError => new GatewayError(id, message);

  async function send(http: GatewayHttp, path: "refund" | "refundQuery" | "close", fields: JsonObject): Promise<JsonObject> {
    const response = await http(signedJsonRequest(ctx.url(path), fields, ctx.signer));
    const body = responseObject(id, response);
    if (response.status >= 300) throw gatewayRefusal(id, response, body.return_msg, textOf(body.return_code));
    // Errors are signed too (the official guide): a refusal must verify before it frees an amount.
    if (ctx.verifyResponseSign) verifyResponseSignature(id, ctx.signer, body);
    checkMerchant(id, "mch_no", body.mch_no, ctx.mchNo, fail);
    return body;
  }

  function refundAnswer(body: JsonObject): RefundAnswer {
    if (textOf(body.return_code) !== SUCCESS_CODE) {
      return { status: "failed", failure: textOf(body.return_msg) ?? textOf(body.return_code) ?? "FAIL" };
    }
    const status = (REFUND_RESULTS as Record<string, RefundAnswer["status"]>)[textOf(body.result_code) ?? ""];
    if (status === undefined) throw fail(`${id} refund answered an unknown result_code`);
    const fee = textOf(body.refund_fee);
    return {
      status,
      ...optionalField("refundNo", textOf(body.refund_trace_no)),
      ...optionalField("gatewayRefundNo", textOf(body.refund_no)),
      ...(fee === undefined ? {} : { amountFen: convertAmount(() => fenStringToFen(fee), fail) }),
      ...(status === "failed" ? { failure: textOf(body.return_msg) ?? "PAY_FAIL" } : {}),
    };
  }

  const tradeNo = (input: { gatewayOrderNo?: string }, what: string): string => {
    if (input.gatewayOrderNo === undefined) throw fail(`${id} ${what} needs the trade_no of the create answer`);
    return input.gatewayOrderNo;
  };

  return {
    refundRules: { maxRefundNoLength: ORDER_NO_MAX },
    async refundOrder(input, http) {
      const fields: JsonObject = {
        inst_no: ctx.instNo,
        mch_no: ctx.mchNo,
        refund_trace_no: requiredText(input.refundNo, "refundNo", { max: ORDER_NO_MAX }),
        refund_fee: String(requiredFen(input.amountFen, "amountFen")),
        trade_no: tradeNo(input, "refund"),
      };
      return refundAnswer(await send(http, "refund", fields));
    },

    async queryRefund(input, http) {
      const queryTraceNo = requestNonce();
      const body = await send(http, "refundQuery", { inst_no: ctx.instNo, mch_no: ctx.mchNo, query_trace_no: queryTraceNo, refund_trace_no: input.refundNo });
      // A refusal of the query says nothing about the refund: the core resends under the same number.
      if (textOf(body.return_code) !== SUCCESS_CODE) {
        throw new GatewayError(id, textOf(body.return_msg) ?? `${id} refused the refund query`, { gatewayCode: textOf(body.return_code) });
      }
      return refundAnswer(body);
    },

    async closeOrder(input, http) {
      const closeTraceNo = requestNonce();
      const fields: JsonObject = {
        inst_no: ctx.instNo,
        mch_no: ctx.mchNo,
        close_trace_no: closeTraceNo,
        close_time: shanghaiCompactTime(new Date()),
        trade_no: tradeNo(input, "close"),
      };
      const body = await send(http, "close", fields);
      if (textOf(body.return_code) !== SUCCESS_CODE || (body.result_code !== undefined && textOf(body.result_code) !== "PAY_SUCCESS")) {
        throw new GatewayError(id, textOf(body.return_msg) ?? `${id} refused to close the order`, { gatewayCode: textOf(body.result_code) ?? textOf(body.return_code) });
      }
      const echoed = textOf(body.close_trace_no);
      if (echoed !== undefined && echoed !== closeTraceNo) throw fail(`${id} close answered another close_trace_no`);
    },
  };
}
