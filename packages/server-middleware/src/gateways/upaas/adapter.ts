/**
 * upaas — the UnionPay upaas open platform (also served as mayihaike), gateway document 000:
 * `POST /v2/pay/jsapi` for WeChat JSAPI / mini-program, Alipay (incl. mini-program) and a
 * UnionPay pre-order. Amount: a 2-decimal yuan string. The signing rule, `notify_url`, the
 * query API and the notify body are not public: they are the assumptions of docs/gateways.md,
 * each a setting here.
 */
import { fenToYuanString, yuanStringToFen, type Channel, type PayAction } from "@paybridge/shared";
import { ConfigError, GatewayError, InvalidRequestError, NotifyRejectedError } from "../../errors.js";
import type { CreateOrderInput, GatewayAdapter, GatewayHttp, QueryResult } from "../contract.js";
import { checkMerchant } from "../kit/checks.js";
import type { JsonObject } from "../kit/json.js";
import { signedNotifyFields } from "../kit/notify-body.js";
import { plainTextReply } from "../kit/replies.js";
import { signedJsonRequest } from "../kit/request.js";
import { gatewayRefusal, requiredResponseObject, requiredResponseText, responseObject, verifyResponseSignature } from "../kit/response.js";
import { baseSettings, pathSettings, type GatewayConfigBase } from "../kit/settings.js";
import { COMMON_SIGN_RULE, createSigner, type SignRule } from "../kit/signing.js";
import { statusRecordReader, type StatusRecordLayout } from "../kit/status-record.js";
import { textOf } from "../kit/text.js";
import { joinUrl, redirectUrl } from "../kit/urls.js";
import { configText, configUrl, optionalConfigText, requiredFen, requiredText } from "../kit/validate.js";
import { wechatParams } from "../kit/wechat.js";
import { UPAAS_BILL_COLUMNS } from "./bill.js";

export interface UpaasConfig extends GatewayConfigBase {
  /** Default `https://cqopen.upaas.unionpay.com` (or `https://openapi.mayihaike.com`). */
  baseUrl?: string | undefined;
  /** `store_num`, 7 characters. */
  storeNum: string;
  key: string;
  /** `wx_appid` for WeChat JSAPI when the browser gives no appId. */
  wxAppId?: string | undefined;
  /** `sub_appid` for WeChat mini-program pay when the browser gives no appId. */
  subAppId?: string | undefined;
  /** `sub_app_name`, required by WeChat mini-program pay. */
  subAppName?: string | undefined;
  /** `pay_resource` (document 000: "农商行小程序传23"), sent when set. */
  payResource?: number | undefined;
  /** `staff_num`, at most 8 characters, sent when set. */
  staffNum?: string | undefined;
  /** `device_sn`, at most 32 characters, sent when set. */
  deviceSn?: string | undefined;
  /**
   * Send our notify URL as `notify_url` (default true). Document 000's table has no such field:
   * the notify address may have to be set in the gateway's console; then set this false.
   */
  sendNotifyUrl?: boolean | undefined;
  /** *Assumed*: create `/v2/pay/jsapi` (documented), query `/v2/pay/query`. */
  paths?: Partial<Record<"create" | "query", string>> | undefined;
}

const GATEWAY = "upaas";
const DEFAULT_BASE_URL = "https://cqopen.upaas.unionpay.com";
const DEFAULT_PATHS = { create: "/v2/pay/jsapi", query: "/v2/pay/query" };
/** *Assumed*: the common rule with lower-case hex (the response's sign is lower-case hex). */
const DEFAULT_SIGN_RULE: SignRule = { ...COMMON_SIGN_RULE, hexCase: "lower" };
const MODE_CODES: Readonly<Record<Channel, string>> = { wechat: "weixin", alipay: "alipay", unionpay: "unionpay" };
const SUCCESS_CODE = "000000";
/** *Assumed*: `status` of the query's `data` and of the notify. */
const STATUSES = { SUCCESS: "paid", PAYING: "pending", NOTPAY: "pending", FAIL: "failed", CLOSED: "closed" } as const;
/** *Assumed*: the notify's fields and the query's `data`; amount in yuan. */
const STATUS_RECORD: StatusRecordLayout = {
  status: "status",
  orderNo: "merchant_order_no",
  gatewayOrderNo: "order_number",
  amount: "amount",
  amountToFen: yuanStringToFen,
  paidAt: "pay_time",
};
/** Document 000: the field lengths that matter for what we send. */
const APP_ID_MAX = 36;

export function upaas(config: UpaasConfig): GatewayAdapter {
  const settings = baseSettings(config, GATEWAY, STATUSES);
  const { id, option } = settings;
  const baseUrl = configUrl(config.baseUrl ?? DEFAULT_BASE_URL, option("baseUrl"));
  const storeNum = configText(config.storeNum, option("storeNum"), 7);
  const signer = createSigner(configText(config.key, option("key")), { ...DEFAULT_SIGN_RULE, ...config.signRule }, settings.previousKeys);
  const wxAppId = optionalConfigText(config.wxAppId, option("wxAppId"), APP_ID_MAX);
  const subAppId = optionalConfigText(config.subAppId, option("subAppId"), APP_ID_MAX);
  const subAppName = optionalConfigText(config.subAppName, option("subAppName"), 36);
  const optionalFields: JsonObject = {
    pay_resource: optionalInteger(config.payResource, option("payResource")),
    staff_num: optionalConfigText(config.staffNum, option("staffNum"), 8),
    device_sn: optionalConfigText(config.deviceSn, option("deviceSn"), 32),
  };
  if (config.sendNotifyUrl !== undefined && typeof config.sendNotifyUrl !== "boolean") {
    throw new ConfigError(option("sendNotifyUrl"), "must be a boolean");
  }
  const sendNotifyUrl = config.sendNotifyUrl ?? true;
  const paths = pathSettings(config.paths, DEFAULT_PATHS, option("paths"));
  /** A notify or answer naming a store (`store_num`, or `store_no` as some answers spell it) must name ours. */
  const checkStore = (record: JsonObject, fail: (message: string) => Error): void => {
    for (const field of ["store_num", "store_no"]) checkMerchant(id, field, record[field], storeNum, fail);
  };
  const statusRecord = statusRecordReader(id, settings.statuses, STATUS_RECORD);

  /** The fields each WeChat scene adds; a browser-given appId wins over the configured one. */
  function wechatAppFields(input: CreateOrderInput): JsonObject {
    if (input.scene === "jsapi") {
      return { wx_appid: requiredText(input.appId || wxAppId, "appId", { max: APP_ID_MAX }) };
    }
    if (subAppName === undefined) throw new InvalidRequestError("sub_app_name is required for WeChat mini-program pay", "sub_app_name");
    return { sub_appid: requiredText(input.appId || subAppId, "appId", { max: APP_ID_MAX }), sub_app_name: subAppName };
  }

  async function post(http: GatewayHttp, path: string, fields: JsonObject): Promise<JsonObject> {
    const response = await http(signedJsonRequest(joinUrl(baseUrl, path), fields, signer));
    const body = responseObject(id, response);
    const code = textOf(body.code);
    if (code !== SUCCESS_CODE) throw gatewayRefusal(id, response, body.message, code);
    const data = requiredResponseObject(id, body, "data");
    if (settings.verifyResponseSign) verifyResponseSignature(id, signer, data);
    return data;
  }

  function actionOf(channel: Channel, data: JsonObject): PayAction {
    if (channel === "wechat") {
      return { type: "wechat", params: wechatParams(id, requiredResponseObject(id, data, "pre_pay_info")) };
    }
    if (channel === "alipay") return { type: "alipay", tradeNO: requiredResponseText(id, data, "pre_pay_no") };
    return { type: "redirect", url: redirectUrl(id, data.pre_pay_url, "pre_pay_url") };
  }

  return {
    id,
    // The console file's columns, *assumed* (bill.ts).
    billColumns: UPAAS_BILL_COLUMNS,
    supports: { wechat: ["jsapi", "mini"], alipay: ["jsapi", "mini"], unionpay: ["h5"] },

    async createOrder(input, http) {
      const fields: JsonObject = {
        store_num: storeNum,
        mode_code: MODE_CODES[input.channel],
        amount: fenToYuanString(requiredFen(input.amountFen, "amountFen")),
        open_id: requiredText(input.openId, "openId", { max: 36 }),
        merchant_order_no: requiredText(input.orderNo, "orderNo", { max: 64 }),
        ...optionalFields,
        ...(sendNotifyUrl ? { notify_url: input.notifyUrl } : {}),
        ...(input.channel === "wechat" ? wechatAppFields(input) : {}),
      };
      const data = await post(http, paths.create, fields);
      return { gatewayOrderNo: requiredResponseText(id, data, "order_number"), action: actionOf(input.channel, data) };
    },

    verifyNotify(input) {
      const fields = signedNotifyFields(id, input, signer);
      checkStore(fields, (message) => new NotifyRejectedError(message));
      return statusRecord.notify(fields);
    },

    notifyReply: { success: plainTextReply(200, "SUCCESS"), failure: plainTextReply(400, "FAIL") },

    async queryOrder(input, http): Promise<QueryResult> {
      const data = await post(http, paths.query, { store_num: storeNum, merchant_order_no: input.orderNo });
      checkStore(data, (message) => new GatewayError(id, message));
      return statusRecord.query(data);
    },
  };
}

/** An optional integer setting (`pay_resource` is an int in document 000). */
function optionalInteger(value: unknown, option: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) throw new ConfigError(option, "must be a non-negative integer");
  return value;
}
