/**
 * lianke — `POST QuickPay/JSAPIPay`, gateway document 001: WeChat official account /
 * mini-program and Alipay service window. Amount: integer fen. There is no public host, and
 * request authentication and the notify body are not public, so `baseUrl` is required and the
 * signer is pluggable (default: the common rule, upper-case hex, field `sign`); the query API
 * and the notify reading are the assumptions of docs/gateways.md, each a setting.
 */
import { fenStringToFen, type Channel, type PayAction } from "@paybridge/shared";
import { ConfigError, GatewayError } from "../errors.js";
import { COMMON_SIGN_RULE, createSigner, type Signer } from "../signing.js";
import { configText, configUrl, optionalText, requiredFen, requiredText } from "../validate.js";
import type { GatewayAdapter, GatewayHttp, QueryResult } from "./types.js";
import {
  displayText,
  gatewayRefusal,
  isJsonObject,
  joinUrl,
  nestedObject,
  plainTextReply,
  requiredResponseText,
  responseObject,
  signedJsonRequest,
  signedNotifyFields,
  textOf,
  wechatParams,
  type JsonObject,
} from "./wire.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "./settings.js";
import { statusRecordReader, type StatusRecordLayout } from "./status-record.js";

export interface LiankeConfig extends GatewayConfigBase {
  /** Required: the gateway has no public host. */
  baseUrl: string;
  /** `store_no`, 1–32 characters. */
  storeNo: string;
  /** The signing key; not needed when `signer` is given. */
  key?: string;
  /** `appid` for WeChat when the browser gives none. */
  appId?: string;
  /** `operator`, 1–16 characters; default "WEB". */
  operator?: string;
  /** Replaces the default signer (the real rule is not public). Also verifies notifies. */
  signer?: Signer;
  /** Create `/QuickPay/JSAPIPay` (documented); *assumed* query `/QuickPay/Query`. */
  paths?: Partial<Record<"create" | "query", string>>;
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
  const signer = config.signer ?? createSigner(configText(config.key, option("key")), { ...COMMON_SIGN_RULE, ...config.signRule });
  if (typeof signer.sign !== "function" || typeof signer.verify !== "function") {
    throw new ConfigError(option("signer"), "must have sign and verify functions");
  }
  const appId = config.appId === undefined ? undefined : configText(config.appId, option("appId"));
  const operator = configText(config.operator ?? "WEB", option("operator"), 16);
  const paths = pathSettings(config.paths, DEFAULT_PATHS, option("paths"));
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);

  async function post(http: GatewayHttp, path: string, fields: JsonObject): Promise<JsonObject> {
    const response = await http(signedJsonRequest(joinUrl(baseUrl, path), fields, signer));
    const body = responseObject(id, response);
    const data = isJsonObject(body.data) ? body.data : undefined;
    const code = textOf(body.code);
    if (code !== SUCCESS_CODE || data === undefined) throw gatewayRefusal(id, response, textOf(body.msg) ?? data?.error, code);
    return data;
  }

  /** `cloudpay_param`: WeChat's JSAPI parameters as JSON text, else the Alipay trade number. */
  function actionOf(channel: Channel, data: JsonObject): PayAction {
    const param = textOf(data.cloudpay_param);
    // A refused order can still say SUCCESS at the top, with the reason in data.error.
    if (param === undefined) throw new GatewayError(id, textOf(data.error) ?? `${id} response lacks cloudpay_param`);
    const params = nestedObject(param);
    const action: PayAction = params ? { type: "wechat", params: wechatParams(id, params) } : { type: "alipay", tradeNO: param };
    if (action.type !== channel) throw new GatewayError(id, `${id} answered ${action.type} parameters to a ${channel} order`);
    return action;
  }

  return {
    id,
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
        attach: optionalText(input.attach, "attach", { max: 127 }),
      };
      const data = await post(http, paths.create, fields);
      // The action first: a refusal explains itself in data.error, before any field is missed.
      const action = actionOf(input.channel, data);
      return { gatewayOrderNo: requiredResponseText(id, data, "transaction_no"), action };
    },

    verifyNotify(input) {
      return statusRecord.notify(signedNotifyFields(id, input, signer));
    },

    // Document 001: the gateway accepts "OK" or "SUCCESS" and retries anything else.
    notifyReply: { success: plainTextReply(200, "SUCCESS"), failure: plainTextReply(400, "FAIL") },

    async queryOrder(input, http): Promise<QueryResult> {
      return statusRecord.query(await post(http, paths.query, { store_no: storeNo, order_no: input.orderNo }));
    },
  };
}
