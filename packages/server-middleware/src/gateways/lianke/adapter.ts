/**
 * lianke — `POST QuickPay/JSAPIPay`, gateway document 001: WeChat official account /
 * mini-program and Alipay service window. Amount: integer fen. There is no public host, and
 * request authentication and the notify body are not public, so `baseUrl` is required and the
 * signer is pluggable (default: the common rule, upper-case hex, field `sign`); the query API
 * and the notify reading are the assumptions of docs/gateways.md, each a setting.
 */
import { fenStringToFen, type Channel, type PayAction } from "@paybridge/shared";
import { ConfigError, GatewayError, InvalidRequestError, NotifyRejectedError } from "../../errors.js";
import type { GatewayAdapter, GatewayHttp, QueryResult } from "../contract.js";
import { checkMerchant } from "../kit/checks.js";
import { isJsonObject, nestedObject, type JsonObject } from "../kit/json.js";
import { signedNotifyFields } from "../kit/notify-body.js";
import { plainTextReply } from "../kit/replies.js";
import { JSON_HEADERS } from "../kit/request.js";
import { gatewayRefusal, requiredResponseText, responseObject, verifyResponseSignature } from "../kit/response.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "../kit/settings.js";
import { COMMON_SIGN_RULE, createSigner, type Signer } from "../kit/signing.js";
import { statusRecordReader, type StatusRecordLayout } from "../kit/status-record.js";
import { displayText, textOf } from "../kit/text.js";
import { joinUrl } from "../kit/urls.js";
import { configText, configUrl, optionalText, requiredFen, requiredText } from "../kit/validate.js";
import { wechatParams } from "../kit/wechat.js";
import { LIANKE_BILL_COLUMNS } from "./bill.js";

/**
 * lianke's request authentication is not public: a signer signs the body's fields (its
 * `rule.signField` is added unless empty) and may add headers computed over the exact body.
 */
export interface LiankeSigner extends Signer {
  /** Headers to send with this exact body text (e.g. an HMAC or a token), after the body is built. */
  requestHeaders?(body: string): Readonly<Record<string, string>>;
}

/** One ItemInfo of document 001's `itemlist`. */
export interface LiankeItem {
  item_id?: string;
  item_no?: string;
  item_name?: string;
  quantity?: number;
  /** Integer; *assumed* fen like `amount`. */
  price?: number;
  promotion_type?: number;
}

export interface LiankeConfig extends GatewayConfigBase {
  /** Required: the gateway has no public host. */
  baseUrl: string;
  /** `store_no`, 1–32 characters. */
  storeNo: string;
  /** The signing key; not needed when `signer` is given. */
  key?: string | undefined;
  /** `appid` for WeChat when the browser gives none. */
  appId?: string | undefined;
  /** `operator`, 1–16 characters; default "WEB". */
  operator?: string | undefined;
  /** Replaces the default signer (the real rule is not public). Also verifies notifies and signed answers. */
  signer?: LiankeSigner | undefined;
  /** `goods_tag` (document 001: the voucher / discount tag), sent when set. */
  goodsTag?: string | undefined;
  /** `share_pay` (document 001: profit-sharing payment), sent when set. */
  sharePay?: boolean | undefined;
  /** `itemlist` per order (document 001: Collection of ItemInfo), sent when it answers items. */
  itemList?: ((order: { orderNo: string; amountFen: number; description?: string }) => readonly LiankeItem[] | undefined) | undefined;
  /**
   * How `cloudpay_param` becomes the payer's action. *Assumed* by default (the page's example is
   * "sample string 11"): JSON text of WeChat's JSAPI parameters for WeChat, else the Alipay trade number.
   */
  readCloudpayParam?: ((param: string, channel: Channel) => PayAction) | undefined;
  /** Create `/QuickPay/JSAPIPay` (documented); *assumed* query `/QuickPay/Query`. */
  paths?: Partial<Record<"create" | "query", string>> | undefined;
}

const GATEWAY = "lianke";
const DEFAULT_PATHS = { create: "/QuickPay/JSAPIPay", query: "/QuickPay/Query" };
const PAY_TYPES: Readonly<Partial<Record<Channel, number>>> = { wechat: 11, alipay: 21 };
const SUCCESS_CODE = "SUCCESS";
/** *Assumed*: `transaction_status` of PayResultInfo, in the query and the notify. */
const STATUSES = {
  SUCCESS: "paid",
  CREATE: "pending",
  USERPAYING: "pending",
  FAIL: "failed",
  CLOSED: "closed",
  REVOKED: "closed",
} as const;
/** *Assumed*: PayResultInfo, in the query's `data` and as the notify; amount in fen. */
const STATUS_RECORD: StatusRecordLayout = {
  status: "transaction_status",
  orderNo: "order_no",
  gatewayOrderNo: "transaction_no",
  amount: "total_amount",
  amountToFen: fenStringToFen,
  paidAt: "transaction_time",
};

export function lianke(config: LiankeConfig): GatewayAdapter {
  const settings = baseSettings(config, GATEWAY, STATUSES);
  const { id, option } = settings;
  const baseUrl = configUrl(config.baseUrl, option("baseUrl"));
  const storeNo = configText(config.storeNo, option("storeNo"), 32);
  const signer: LiankeSigner = config.signer ?? createSigner(configText(config.key, option("key")), { ...COMMON_SIGN_RULE, ...config.signRule }, settings.previousKeys);
  if (typeof signer.sign !== "function" || typeof signer.verify !== "function") {
    throw new ConfigError(option("signer"), "must have sign and verify functions");
  }
  const appId = config.appId === undefined ? undefined : configText(config.appId, option("appId"));
  const operator = configText(config.operator ?? "WEB", option("operator"), 16);
  const goodsTag = config.goodsTag === undefined ? undefined : configText(config.goodsTag, option("goodsTag"));
  if (config.sharePay !== undefined && typeof config.sharePay !== "boolean") throw new ConfigError(option("sharePay"), "must be a boolean");
  for (const name of ["itemList", "readCloudpayParam"] as const) {
    if (config[name] !== undefined && typeof config[name] !== "function") throw new ConfigError(option(name), "must be a function");
  }
  if (signer.requestHeaders !== undefined && typeof signer.requestHeaders !== "function") {
    throw new ConfigError(option("signer"), "requestHeaders must be a function");
  }
  const readCloudpayParam = config.readCloudpayParam ?? defaultCloudpayReading;
  const paths = pathSettings(config.paths, DEFAULT_PATHS, option("paths"));
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);

  async function post(http: GatewayHttp, path: string, fields: JsonObject): Promise<JsonObject> {
    const signField = signer.rule.signField;
    const body = JSON.stringify(signField ? { ...fields, [signField]: signer.sign(fields) } : fields);
    const headers = { ...signer.requestHeaders?.(body), ...JSON_HEADERS };
    const response = await http({ url: joinUrl(baseUrl, path), headers, body });
    const answer = responseObject(id, response);
    const data = isJsonObject(answer.data) ? answer.data : undefined;
    const code = textOf(answer.code);
    if (code !== SUCCESS_CODE || data === undefined) throw gatewayRefusal(id, response, textOf(answer.msg) ?? data?.error, code);
    // Document 001's answer carries no signature; one that does must verify (at the top or in data).
    if (settings.verifyResponseSign && signField) {
      for (const signed of [answer, data]) if (signed[signField] !== undefined) verifyResponseSignature(id, signer, signed);
    }
    return data;
  }

  function actionOf(channel: Channel, data: JsonObject): PayAction {
    const param = textOf(data.cloudpay_param);
    // A refused order can still say SUCCESS at the top, with the reason in data.error.
    if (param === undefined) throw new GatewayError(id, textOf(data.error) ?? `${id} response lacks cloudpay_param`);
    const action = readCloudpayParam(param, channel);
    if (action.type !== channel) throw new GatewayError(id, `${id} answered ${action.type} parameters to a ${channel} order`);
    return action;
  }

  /** `cloudpay_param` as WeChat's JSAPI parameters (JSON text), else the Alipay trade number: *assumed*. */
  function defaultCloudpayReading(param: string): PayAction {
    const params = nestedObject(param);
    return params ? { type: "wechat", params: wechatParams(id, params) } : { type: "alipay", tradeNO: param };
  }

  return {
    id,
    // The console file's columns, *assumed* (bill.ts).
    billColumns: LIANKE_BILL_COLUMNS,
    supports: { wechat: ["jsapi", "mini"], alipay: ["jsapi"] },

    async createOrder(input, http) {
      const fields: JsonObject = {
        store_no: storeNo,
        paytype: PAY_TYPES[input.channel],
        operator,
        // Document 001: required for WeChat, not passed for the Alipay service window.
        appid: input.channel === "wechat" ? requiredText(input.appId || appId, "appId") : undefined,
        openid: requiredText(input.openId, "openId"),
        amount: requiredFen(input.amountFen, "amountFen"),
        order_no: requiredText(input.orderNo, "orderNo", { max: 32 }),
        iteminfo: displayText(input.description),
        notify_url: input.notifyUrl,
        goods_tag: goodsTag,
        share_pay: config.sharePay,
        attach: optionalText(input.attach, "attach", { max: 127 }),
        itemlist: itemsOf(config.itemList?.({ orderNo: input.orderNo, amountFen: input.amountFen, description: input.description })),
      };
      const data = await post(http, paths.create, fields);
      // The action first: a refusal explains itself in data.error, before any field is missed.
      const action = actionOf(input.channel, data);
      return { gatewayOrderNo: requiredResponseText(id, data, "transaction_no"), action };
    },

    verifyNotify(input) {
      const fields = signedNotifyFields(id, input, signer);
      checkMerchant(id, "store_no", fields.store_no, storeNo, (message) => new NotifyRejectedError(message));
      return statusRecord.notify(fields);
    },

    // Document 001: the gateway accepts "OK" or "SUCCESS" and retries anything else.
    notifyReply: { success: plainTextReply(200, "SUCCESS"), failure: plainTextReply(400, "FAIL") },

    async queryOrder(input, http): Promise<QueryResult> {
      const data = await post(http, paths.query, { store_no: storeNo, order_no: input.orderNo });
      checkMerchant(id, "store_no", data.store_no, storeNo, (message) => new GatewayError(id, message));
      return statusRecord.query(data);
    },
  };
}

const ITEM_TEXT = ["item_id", "item_no", "item_name"] as const;
const ITEM_INTEGER = ["quantity", "price", "promotion_type"] as const;

/** `itemlist` checked field by field (a merchant's function, so an InvalidRequestError names what is wrong). */
function itemsOf(items: readonly LiankeItem[] | undefined): JsonObject[] | undefined {
  if (items === undefined || items.length === 0) return undefined;
  if (!Array.isArray(items) || items.length > 100) throw new InvalidRequestError("itemlist must be an array of at most 100 items", "itemlist");
  return items.map((item) => {
    if (!isJsonObject(item as unknown)) throw new InvalidRequestError("itemlist entries must be objects", "itemlist");
    const out: JsonObject = {};
    for (const key of ITEM_TEXT) if (item[key] !== undefined) out[key] = optionalText(item[key], `itemlist.${key}`, { max: 64 });
    for (const key of ITEM_INTEGER) {
      const value = item[key];
      if (value === undefined) continue;
      if (!Number.isSafeInteger(value)) throw new InvalidRequestError(`itemlist.${key} must be an integer`, `itemlist.${key}`);
      out[key] = value;
    }
    return out;
  });
}
