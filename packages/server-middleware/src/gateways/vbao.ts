/**
 * vbao — "mini-program pay order (external)", gateway document 004. An app or H5 page opens
 * the merchant's own WeChat / Alipay mini-program with launch parameters (`interfaceUrl`,
 * `payInfo`); inside it, `payInfo` + the payer's openId (`identifyId`) posted to
 * `interfaceUrl` gives WeChat pay params or an Alipay `tradeNo`. The server API around that
 * step wraps bodies as `{ customerNo, reqmsg }` with `reqmsg` RSA-encrypted by a scheme that
 * is not public, so `reqmsg` goes through a pluggable codec (default: the plain JSON text).
 * Create, query and notify fields are the assumptions of docs/gateways.md.
 */
import { fenStringToFen, type Channel, type PayAction } from "@paybridge/shared";
import { ConfigError } from "../errors.js";
import { COMMON_SIGN_RULE, createSigner } from "../signing.js";
import { configText, configUrl, optionalText, requiredFen, requiredText } from "../validate.js";
import type { GatewayAdapter, GatewayHttp, QueryResult } from "./types.js";
import {
  displayText,
  JSON_HEADERS,
  gatewayRefusal,
  joinUrl,
  plainTextReply,
  redirectUrl,
  requiredResponseObject,
  requiredResponseText,
  responseObject,
  signedNotifyFields,
  textOf,
  wechatParams,
  type JsonObject,
} from "./wire.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "./settings.js";
import { statusRecordReader, type StatusRecordLayout } from "./status-record.js";

/** Turns the JSON text of a request into the `reqmsg` sent (e.g. RSA-encrypts it). */
export interface VbaoCodec {
  encode(json: string): string;
}

export interface VbaoConfig extends GatewayConfigBase {
  /** Required: the gateway has no public host. */
  baseUrl: string;
  customerNo: string;
  /** Signs notifies. */
  key: string;
  codec?: VbaoCodec;
  /** *Assumed* create `/api/vborder/order/standard/miniOrder`; query `…/qrcodeQuery`. */
  paths?: Partial<Record<"create" | "query", string>>;
}

const GATEWAY = "vbao";
const DEFAULT_PATHS = {
  create: "/api/vborder/order/standard/miniOrder",
  query: "/api/vborder/order/standard/qrcodeQuery",
};
const PAY_TYPES: Readonly<Partial<Record<Channel, string>>> = { wechat: "WECHAT", alipay: "ALIPAY" };
const SUCCESS_CODE = "200";
/** `payStatus` of the query and the notify. */
const STATUSES = { SUCCESS: "paid", PAYING: "pending", WAIT: "pending", FAIL: "failed", CLOSE: "closed" } as const;
/** *Assumed*: the notify and the query's `data`; amount in fen. */
const STATUS_RECORD: StatusRecordLayout = {
  status: "payStatus",
  orderNo: "orderNo",
  gatewayOrderNo: "vbOrderNo",
  amount: "amount",
  amountToFen: fenStringToFen,
  paidAt: "payTime",
};
/** A mini-program is opened from H5 by a web page or by the wallet's own URL scheme. */
const LAUNCH_SCHEMES = ["https:", "http:", "weixin:", "alipays:"];
const PLAIN_JSON: VbaoCodec = { encode: (json) => json };

export function vbao(config: VbaoConfig): GatewayAdapter {
  const settings = baseSettings(config, GATEWAY, STATUSES);
  const { id, option } = settings;
  const baseUrl = configUrl(config.baseUrl, option("baseUrl"));
  const customerNo = configText(config.customerNo, option("customerNo"));
  const signer = createSigner(configText(config.key, option("key")), { ...COMMON_SIGN_RULE, ...config.signRule });
  const codec = config.codec ?? PLAIN_JSON;
  if (typeof codec.encode !== "function") throw new ConfigError(option("codec"), "must have an encode function");
  const paths = pathSettings(config.paths, DEFAULT_PATHS, option("paths"));
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);

  /** One exchange answered `{ code: "200", msg, data }`; anything else is the gateway's error. */
  async function exchange(http: GatewayHttp, url: string, payload: JsonObject): Promise<JsonObject> {
    const response = await http({ url, headers: JSON_HEADERS, body: JSON.stringify(payload) });
    const body = responseObject(id, response);
    const code = textOf(body.code);
    if (code !== SUCCESS_CODE) throw gatewayRefusal(id, response, body.msg, code);
    return requiredResponseObject(id, body, "data");
  }

  function serverCall(http: GatewayHttp, path: string, request: JsonObject): Promise<JsonObject> {
    return exchange(http, joinUrl(baseUrl, path), { customerNo, reqmsg: codec.encode(JSON.stringify(request)) });
  }

  /** Document 004's step: `payInfo` + openId to the interface address → launch parameters. */
  async function miniAction(http: GatewayHttp, channel: Channel, order: JsonObject, identifyId: string): Promise<PayAction> {
    const interfaceUrl = redirectUrl(id, order.interfaceUrl, "interfaceUrl");
    const payInfo = requiredResponseText(id, order, "payInfo");
    const data = await exchange(http, interfaceUrl, { payInfo, identifyId });
    if (channel === "alipay") return { type: "alipay", tradeNO: requiredResponseText(id, data, "tradeNo") };
    return { type: "wechat", params: wechatParams(id, data) };
  }

  return {
    id,
    // h5 first: the document's flow starts outside the mini-program.
    supports: { wechat: ["h5", "mini"], alipay: ["h5", "mini"] },

    async createOrder(input, http) {
      const request: JsonObject = {
        orderNo: requiredText(input.orderNo, "orderNo"),
        amount: requiredFen(input.amountFen, "amountFen"),
        payType: PAY_TYPES[input.channel],
        subject: displayText(input.description) ?? input.orderNo,
        notifyUrl: input.notifyUrl,
      };
      // Checked before anything is sent: document 004's identifyId, String(64).
      const identifyId = input.scene === "mini" ? requiredText(input.openId, "openId", { max: 64 }) : undefined;
      const order = await serverCall(http, paths.create, request);
      const gatewayOrderNo = requiredResponseText(id, order, "vbOrderNo");
      const action: PayAction =
        identifyId === undefined
          ? { type: "redirect", url: redirectUrl(id, order.launchUrl, "launchUrl", LAUNCH_SCHEMES) }
          : await miniAction(http, input.channel, order, identifyId);
      return { gatewayOrderNo, action };
    },

    verifyNotify(input) {
      return statusRecord.notify(signedNotifyFields(id, input, signer));
    },

    notifyReply: { success: plainTextReply(200, "OK"), failure: plainTextReply(400, "FAIL") },

    async queryOrder(input, http): Promise<QueryResult> {
      return statusRecord.query(await serverCall(http, paths.query, { orderNo: input.orderNo }));
    },
  };
}
