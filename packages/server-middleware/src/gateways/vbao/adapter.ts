/**
 * vbao — an aggregated-pay open API (showdoc `chinavbao`; gateway document 004 is its
 * "mini-program pay order (external)" page). Server calls are `{ customerNo, reqmsg }`: the
 * business JSON carries its own MD5 `sign` (32 upper-case hex) and is RSA-encrypted with
 * vbao's public key; answers are `{ code, msg, data }` with `data` encrypted (基本规则 page).
 * Create `/api/vborder/qrorder/standard/create` (`orderNo`, `orderAmount` in fen) answers the
 * link that opens the merchant's mini-program with `interfaceUrl` + `payInfo`; inside it,
 * `payInfo` + the payer's `code` (wx.login) or openId (`identifyId`) posted to `interfaceUrl`
 * gives WeChat pay params or an Alipay `tradeNo` (document 004). Query `…/qrcodeQuery` reads
 * `payStatus`. What no source shows is marked *assumed* here and in docs/gateways.md.
 */
import { fenStringToFen, type Channel, type PayAction } from "@paybridge/shared";
import { ConfigError, GatewayError, NotifyRejectedError } from "../../errors.js";
import type { CreateOrderInput, GatewayAdapter, GatewayHttp, GatewayResponse, QueryResult, RefundAnswer } from "../contract.js";
import { checkMerchant, convertAmount } from "../kit/checks.js";
import { isJsonObject, nestedObject, type JsonObject } from "../kit/json.js";
import { notifyFields, requiredNotifyText, signedNotifyFields } from "../kit/notify-body.js";
import { plainTextReply } from "../kit/replies.js";
import { JSON_HEADERS } from "../kit/request.js";
import { gatewayRefusal, requiredResponseText, responseObject, verifyResponseSignature } from "../kit/response.js";
import { rsaEnvelopeCodec, rsaPublicKey, type RsaEnvelopeCodec, type RsaPadding } from "../kit/rsa-envelope.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "../kit/settings.js";
import { COMMON_SIGN_RULE, createSigner, type Signer } from "../kit/signing.js";
import { statusRecordReader, type StatusRecordLayout } from "../kit/status-record.js";
import { textOf } from "../kit/text.js";
import { joinUrl, redirectUrl } from "../kit/urls.js";
import { configText, configUrl, requiredFen, requiredText } from "../kit/validate.js";
import { wechatParams } from "../kit/wechat.js";
import { vbaoBill, type VbaoBillConfig } from "./bill.js";

/**
 * vbao's `reqmsg` / `data` codec. vbao's 基本规则 page (showdoc chinavbao 9339781943678551):
 * the business JSON is encrypted with the RSA-2048 public key vbao issues; answers' `data` is
 * decrypted "with the public key vbao assigned" (an RSA envelope, kit/rsa-envelope.ts). Blocks
 * concatenated, then base64, is the Java helpers' convention, *assumed*: the helper zip was
 * not readable. An interface, not an alias, as before: a merchant's code may augment it.
 */
export interface VbaoCodec extends RsaEnvelopeCodec {}

/** How requests are padded: PKCS#1 v1.5 (the default, Java's `RSA/ECB/PKCS1Padding`) or OAEP with SHA-1. */
export type VbaoRsaPadding = RsaPadding;

/** The plain JSON text: ONLY for the paybridge sandbox or tests, never for the real gateway. */
export const VBAO_PLAIN_JSON_CODEC: VbaoCodec = Object.freeze({ encode: (json: string) => json });

export interface VbaoConfig extends GatewayConfigBase, VbaoBillConfig {
  /** Required: the gateway has no public production host. */
  baseUrl: string;
  customerNo: string;
  /** The MD5 key vbao issues: signs `reqmsg` and verifies notifies and signed answers. */
  key: string;
  /** vbao's RSA public key (PEM, or the base64 of its DER): encrypts `reqmsg`, decrypts `data`. */
  publicKey?: string | undefined;
  /** Request padding; default PKCS#1 v1.5 (*assumed*: Java's `RSA/ECB/PKCS1Padding`). */
  rsaPadding?: VbaoRsaPadding | undefined;
  /** Another codec instead of `publicKey`: VBAO_PLAIN_JSON_CODEC is for the paybridge sandbox only. */
  codec?: VbaoCodec | undefined;
  /** Create `/api/vborder/qrorder/standard/create`, query `/api/vborder/order/standard/qrcodeQuery`. */
  paths?: Partial<Record<"create" | "query" | "refund", string>> | undefined;
  /** Send our notify URL as `notifyUrl` in the create (default true; *assumed* name — or set it in vbao's console). */
  sendNotifyUrl?: boolean | undefined;
  /** The `msg` of a `400` that means the order is already paid (document 004: "订单已支付成功"). */
  alreadyPaidMessage?: string | undefined;
}

const GATEWAY = "vbao";
const DEFAULT_PATHS = {
  create: "/api/vborder/qrorder/standard/create",
  query: "/api/vborder/order/standard/qrcodeQuery",
  /** *Assumed* (the refund page's fields were unreadable): see the block at the end of this file. */
  refund: "/api/vborder/order/standard/refund",
};
/** *Assumed*: which wallet's mini-program the link opens. */
const PAY_TYPES: Readonly<Partial<Record<Channel, string>>> = { wechat: "WECHAT", alipay: "ALIPAY" };
const SUCCESS_CODE = "200";
const ALREADY_PAID_CODE = "400";
/** `payStatus` of the query (documented name) and the notify; the words are *assumed*. */
const STATUSES = { SUCCESS: "paid", PAYING: "pending", WAIT: "pending", FAIL: "failed", CLOSE: "closed" } as const;
/** `payStatus` and `orderNo` are documented; the other names are *assumed* (amount in fen, as `orderAmount`). */
const STATUS_RECORD: StatusRecordLayout = {
  status: "payStatus",
  orderNo: "orderNo",
  gatewayOrderNo: "vbOrderNo",
  amount: "orderAmount",
  amountToFen: fenStringToFen,
  paidAt: "payTime",
};
/** A mini-program is opened from H5 by a web page or by the wallet's own URL scheme. */
const LAUNCH_SCHEMES = ["https:", "http:", "weixin:", "alipays:"];

export function vbao(config: VbaoConfig): GatewayAdapter {
  const settings = baseSettings(config, GATEWAY, STATUSES);
  const { id, option } = settings;
  const baseUrl = configUrl(config.baseUrl, option("baseUrl"));
  const customerNo = configText(config.customerNo, option("customerNo"), 32);
  const signer = createSigner(configText(config.key, option("key")), { ...COMMON_SIGN_RULE, ...config.signRule }, settings.previousKeys);
  const codec = codecOf(config, option);
  const paths = pathSettings(config.paths, DEFAULT_PATHS, option("paths"));
  const alreadyPaidMessage = configText(config.alreadyPaidMessage ?? "订单已支付成功", option("alreadyPaidMessage"));
  if (config.sendNotifyUrl !== undefined && typeof config.sendNotifyUrl !== "boolean") {
    throw new ConfigError(option("sendNotifyUrl"), "must be a boolean");
  }
  const sendNotifyUrl = config.sendNotifyUrl ?? true;
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);
  const merchantError = (message: string): GatewayError => new GatewayError(id, message);

  /** `{ code, msg, data }` of one answer; a code other than 200 is the gateway's refusal. */
  async function answer(http: GatewayHttp, url: string, payload: JsonObject): Promise<{ response: GatewayResponse; body: JsonObject }> {
    const response = await http({ url, headers: JSON_HEADERS, body: JSON.stringify(payload) });
    return { response, body: responseObject(id, response) };
  }

  const envelope = (request: JsonObject): JsonObject => ({ customerNo, reqmsg: codec.encode(JSON.stringify({ ...request, [signer.rule.signField]: signer.sign(request) })) });
  /** A server call: `reqmsg` = the signed business JSON through the codec; `data` read back and checked. */
  async function serverCall(http: GatewayHttp, path: string, request: JsonObject): Promise<JsonObject> {
    const { response, body } = await answer(http, joinUrl(baseUrl, path), envelope(request));
    const code = textOf(body.code);
    if (code !== SUCCESS_CODE) throw gatewayRefusal(id, response, body.msg, code);
    const data = decodeData(body.data);
    // An answer that carries a signature must verify; vbao's encryption authenticates the rest.
    if (settings.verifyResponseSign && data[signer.rule.signField] !== undefined) verifyResponseSignature(id, signer, data);
    checkMerchant(id, "customerNo", data.customerNo, customerNo, merchantError);
    return data;
  }

  function decodeData(value: unknown): JsonObject {
    if (codec.decode === undefined) {
      if (isJsonObject(value)) return value;
      throw new GatewayError(id, `${id} response lacks data`);
    }
    if (typeof value !== "string" || value === "") throw new GatewayError(id, `${id} response lacks encrypted data`);
    let text: string;
    try {
      text = codec.decode(value);
    } catch {
      throw new GatewayError(id, `${id} response data does not decrypt with the configured public key`);
    }
    const data = nestedObject(text);
    if (data === undefined) throw new GatewayError(id, `${id} response data is not a JSON object`);
    return data;
  }

  /** Where the in-mini-program step posts and what it sends: top-level fields, else the launch link's query. */
  function launchParameters(order: JsonObject): { interfaceUrl: string; payInfo: string } {
    const link = textOf(order.launchUrl);
    const query = link !== undefined && URL.canParse(link) ? new URL(link).searchParams : new URLSearchParams();
    return {
      interfaceUrl: redirectUrl(id, order.interfaceUrl ?? query.get("interfaceUrl"), "interfaceUrl"),
      payInfo: requiredResponseText(id, { payInfo: order.payInfo ?? query.get("payInfo") }, "payInfo"),
    };
  }

  /** Document 004's step. `undefined` when vbao says the order is already paid (then the core confirms by query). */
  async function miniAction(http: GatewayHttp, channel: Channel, order: JsonObject, identity: JsonObject): Promise<PayAction | undefined> {
    const { interfaceUrl, payInfo } = launchParameters(order);
    const { response, body } = await answer(http, interfaceUrl, { payInfo, ...identity });
    const code = textOf(body.code);
    if (code === ALREADY_PAID_CODE && textOf(body.msg)?.includes(alreadyPaidMessage)) return undefined;
    if (code !== SUCCESS_CODE || !isJsonObject(body.data)) throw gatewayRefusal(id, response, body.msg, code);
    if (channel === "alipay") return { type: "alipay", tradeNO: requiredResponseText(id, body.data, "tradeNo") };
    return { type: "wechat", params: wechatParams(id, body.data) };
  }

  /** The payer in the mini-program: document 004 takes `code` (wx.login) or `identifyId` (openId), String(64). */
  function miniIdentity(input: CreateOrderInput): JsonObject {
    if (input.openId) return { identifyId: requiredText(input.openId, "openId", { max: 64 }) };
    if (input.loginCode) return { code: requiredText(input.loginCode, "loginCode", { max: 64 }) };
    return { identifyId: requiredText(input.openId, "openId", { max: 64 }) };
  }

  return {
    id,
    // Refund request (assumed) and refund notify (evidenced): the block at the end of this file.
    ...vbaoLifecycle({ id, customerNo, signer, refundPath: paths.refund, sendNotifyUrl, serverCall }),
    ...vbaoBill({ id, baseUrl, customerNo, envelope, config: config.bill, option }),
    // The launch link serves a plain page and the wallets' browsers; the mini scene runs the step in-program.
    supports: { wechat: ["h5", "jsapi", "mini"], alipay: ["h5", "jsapi", "mini"] },

    async createOrder(input, http) {
      const request: JsonObject = {
        orderNo: requiredText(input.orderNo, "orderNo", { max: 64 }),
        orderAmount: requiredFen(input.amountFen, "amountFen"),
        payType: PAY_TYPES[input.channel],
        ...(sendNotifyUrl ? { notifyUrl: input.notifyUrl } : {}),
      };
      // Checked before anything is sent.
      const identity = input.scene === "mini" ? miniIdentity(input) : undefined;
      const order = await serverCall(http, paths.create, request);
      const gatewayOrderNo = requiredResponseText(id, order, "vbOrderNo");
      const launch = (): PayAction => ({ type: "redirect", url: redirectUrl(id, order.launchUrl, "launchUrl", LAUNCH_SCHEMES) });
      if (identity === undefined) return { gatewayOrderNo, action: launch() };
      const action = await miniAction(http, input.channel, order, identity);
      return action ? { gatewayOrderNo, action } : { gatewayOrderNo, action: launch(), alreadyPaid: true };
    },

    verifyNotify(input) {
      const fields = signedNotifyFields(id, input, signer);
      checkMerchant(id, "customerNo", fields.customerNo, customerNo, (message) => new NotifyRejectedError(message));
      return statusRecord.notify(fields);
    },

    // 异步通知 page: "回写大写OK"; vbao notifies at most 10 times.
    notifyReply: { success: plainTextReply(200, "OK"), failure: plainTextReply(400, "FAIL") },

    async queryOrder(input, http): Promise<QueryResult> {
      return statusRecord.query(await serverCall(http, paths.query, { orderNo: input.orderNo }));
    },
  };
}

function codecOf(config: VbaoConfig, option: (name: string) => string): VbaoCodec {
  if (config.rsaPadding !== undefined && config.rsaPadding !== "pkcs1" && config.rsaPadding !== "oaep") {
    throw new ConfigError(option("rsaPadding"), 'must be "pkcs1" or "oaep"');
  }
  if (config.publicKey !== undefined) {
    if (config.codec !== undefined) throw new ConfigError(option("codec"), "must not be given with publicKey");
    return rsaEnvelopeCodec(rsaPublicKey(config.publicKey, option("publicKey")), config.rsaPadding);
  }
  if (config.codec === undefined) throw new ConfigError(option("publicKey"), "is required (vbao encrypts reqmsg with it)");
  if (!isJsonObject(config.codec as unknown) || typeof config.codec.encode !== "function") {
    throw new ConfigError(option("codec"), "must have an encode function");
  }
  if (config.codec.decode !== undefined && typeof config.codec.decode !== "function") {
    throw new ConfigError(option("codec"), "decode must be a function");
  }
  return config.codec;
}

// ─── Refund request and refund notify (issue 12; refunds branch) ────────────────────────────
// EVIDENCE.md, refund notify page 8084440172014053: `customerNo, refOrderNo` (the original
// order), `orderNo` (the refund number), `refundAmount` (fen), `refundTime`
// (yyyy-MM-dd HH:mm:ss), `refundStatus`; the reply `OK`. It is read like the payment notify
// (same signing: *assumed*), and told apart from it by `refOrderNo`. The refundStatus words
// are *assumed* (SUCCESS / FAIL / PROCESSING, as payStatus). The refund REQUEST page exists but
// its fields could not be read: the whole request is *assumed* — path
// `/api/vborder/order/standard/refund`, reqmsg `{ refOrderNo, orderNo (refund number),
// refundAmount (fen), notifyUrl }` — and every name is a setting (`paths.refund`). An accepted
// refund is `processing` until its notify (or an answer's refundStatus) says more. No close.

const REFUND_STATUSES: Readonly<Record<string, RefundAnswer["status"]>> = { SUCCESS: "succeeded", FAIL: "failed", PROCESSING: "processing" };

interface VbaoLifecycle {
  id: string;
  customerNo: string;
  signer: Signer;
  refundPath: string;
  sendNotifyUrl: boolean;
  serverCall(http: GatewayHttp, path: string, request: JsonObject): Promise<JsonObject>;
}

function vbaoLifecycle(ctx: VbaoLifecycle): Pick<GatewayAdapter, "refundOrder" | "verifyRefundNotify"> {
  const { id } = ctx;
  return {
    async refundOrder(input, http) {
      const request: JsonObject = {
        refOrderNo: requiredText(input.orderNo, "orderNo", { max: 64 }),
        orderNo: requiredText(input.refundNo, "refundNo", { max: 64 }),
        refundAmount: requiredFen(input.amountFen, "amountFen"),
        ...(ctx.sendNotifyUrl ? { notifyUrl: input.notifyUrl } : {}),
      };
      let data: JsonObject;
      try {
        data = await ctx.serverCall(http, ctx.refundPath, request);
      } catch (error) {
        // A readable `{ code, msg }` refusal of this request: nothing was refunded.
        if (error instanceof GatewayError && error.gatewayCode !== undefined && /^4\d\d$/.test(error.gatewayCode)) {
          return { status: "failed", failure: error.message.slice(0, 128) };
        }
        throw error;
      }
      const word = textOf(data.refundStatus);
      const status = word === undefined ? "processing" : REFUND_STATUSES[word];
      if (status === undefined) throw new GatewayError(id, `${id} refund answered an unknown refundStatus`);
      return {
        status,
        ...(textOf(data.orderNo) === undefined ? {} : { refundNo: textOf(data.orderNo) }),
        ...(status === "failed" ? { failure: word ?? "FAIL" } : {}),
      };
    },

    verifyRefundNotify(input) {
      // Told apart before verifying: a payment notify is verified once, by verifyNotify.
      if (notifyFields(input).refOrderNo === undefined) return null;
      const fields = signedNotifyFields(id, input, ctx.signer);
      const reject = (message: string): NotifyRejectedError => new NotifyRejectedError(message);
      checkMerchant(id, "customerNo", fields.customerNo, ctx.customerNo, reject);
      const status = REFUND_STATUSES[textOf(fields.refundStatus) ?? ""];
      if (status === undefined) throw reject(`${id} refund notify has an unknown refundStatus`);
      const amount = requiredNotifyText(fields, "refundAmount");
      return {
        orderNo: requiredNotifyText(fields, "refOrderNo"),
        refundNo: requiredNotifyText(fields, "orderNo"),
        amountFen: convertAmount(() => fenStringToFen(amount), reject),
        status,
      };
    },
  };
}
