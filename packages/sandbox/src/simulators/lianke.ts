/**
 * lianke (doc 001): POST QuickPay/JSAPIPay and the assumed QuickPay/Query, JSON. Requests and
 * notifies are signed with the common rule, uppercase (assumed; the real rule is not public).
 * Responses are unsigned, as documented. Errors: `{ code ≠ "SUCCESS", msg, data }`.
 */
import { Router, type Request, type Response } from "express";
import type { Channel } from "@paybridge/shared";
import { createSigner, COMMON_SIGN_RULE } from "@paybridge/server-middleware";
import type { SandboxCredentials } from "../credentials.js";
import { checkFields, parseJsonObject, type FieldTable, type JsonObject } from "../fields.js";
import { dashedTime, epochSeconds, gatewayOrderNumber, randomDigits, randomHex } from "../ids.js";
import { OrderBook, type SandboxOrder } from "../order-book.js";
import type { GatewaySimulator } from "../simulator.js";

const PAYTYPE_CHANNEL: Record<number, Channel> = { 11: "wechat", 21: "alipay" };
const PAYTYPE_NAME: Record<number, string> = { 11: "WECHATPAY_JSAPI", 21: "ALIPAY_JSAPI" };

const CREATE_FIELDS: FieldTable = {
  store_no: { type: "string", required: true, minLength: 1, maxLength: 32 },
  paytype: { type: "integer", oneOf: [11, 21] },
  operator: { type: "string", minLength: 1, maxLength: 16 },
  appid: { type: "string" },
  openid: { type: "string", required: true },
  amount: { type: "integer", required: true, min: 1, max: 9_999_999_999 },
  order_no: { type: "string", required: true, minLength: 1, maxLength: 32 },
  iteminfo: { type: "string" },
  notify_url: { type: "string" },
  goods_tag: { type: "string" },
  share_pay: { type: "boolean" },
  attach: { type: "string", maxLength: 127 },
  sign: { type: "string", required: true },
};

const QUERY_FIELDS: FieldTable = {
  store_no: { type: "string", required: true, minLength: 1, maxLength: 32 },
  order_no: { type: "string", required: true, minLength: 1, maxLength: 32 },
  sign: { type: "string", required: true },
};

/** The doc: every 20 s, 10 times, then every 30 min for 24 h. */
const RETRY_DELAYS_MS: readonly number[] = [
  ...Array.from({ length: 10 }, () => 20_000),
  ...Array.from({ length: 48 }, () => 30 * 60_000),
];

const STATUS = { pending: "CREATE", paid: "SUCCESS", failed: "FAIL" } as const;

export function liankeSimulator(credentials: SandboxCredentials["lianke"]): GatewaySimulator {
  const signer = createSigner(credentials.key, COMMON_SIGN_RULE);
  const orders = new OrderBook();
  const router = Router();

  /** Answers the gateway's error shape; null so a reader can `return fail(...)`. */
  const fail = (res: Response, msg: string): null => {
    res.json({ code: "FAIL", msg, data: { error: msg } });
    return null;
  };

  function readRequest(req: Request, res: Response, table: FieldTable): JsonObject | null {
    const body = parseJsonObject(req.body);
    if (!body) return fail(res, "请求数据不是 JSON 对象");
    const problem = checkFields(body, table) ?? itemListProblem(body.itemlist);
    if (problem) return fail(res, `参数错误: ${problem.message}`);
    if (!signer.verify(body, body.sign)) return fail(res, "签名错误");
    if (body.store_no !== credentials.storeNo) return fail(res, "门店不存在: store_no");
    return body;
  }

  router.post("/QuickPay/JSAPIPay", (req, res) => {
    const body = readRequest(req, res, CREATE_FIELDS);
    if (!body) return;
    const paytype = (body.paytype as number | undefined) ?? 11;
    const channel = PAYTYPE_CHANNEL[paytype] as Channel;
    if (channel === "wechat" && !body.appid) return fail(res, "参数错误: appid is required for WeChat");
    const submitted: SandboxOrder = {
      orderNo: body.order_no as string,
      gatewayOrderNo: gatewayOrderNumber("LK", 30),
      amountFen: body.amount as number,
      channel,
      notifyUrl: (body.notify_url as string | undefined) || undefined,
      attach: (body.attach as string | undefined) || undefined,
      openId: body.openid as string,
      status: "pending",
      createdAt: new Date(),
      extra: { paytype: String(paytype), operator: (body.operator as string | undefined) ?? "WEB" },
    };
    const order = orders.admit(submitted);
    if (!order) return fail(res, "商户单据号重复: order_no");

    let cloudpayParam: string;
    if (channel === "wechat") {
      const pay = {
        appId: body.appid as string,
        timeStamp: epochSeconds(order.createdAt),
        nonceStr: randomHex(16),
        package: `prepay_id=wx${randomDigits(28)}`,
        signType: "MD5",
      };
      cloudpayParam = JSON.stringify({ ...pay, paySign: signer.sign(pay) });
    } else {
      cloudpayParam = `2021${randomDigits(24)}`;
    }
    res.json({
      code: "SUCCESS",
      msg: "下单成功",
      data: { ...resultInfo(order, credentials.storeNo), cloudpay_param: cloudpayParam, iteminfo: body.iteminfo ?? null },
    });
  });

  router.post("/QuickPay/Query", (req, res) => {
    const body = readRequest(req, res, QUERY_FIELDS);
    if (!body) return;
    const order = orders.byOrderNo(body.order_no as string);
    if (!order) return fail(res, "订单不存在");
    res.json({ code: "SUCCESS", msg: "查询成功", data: resultInfo(order, credentials.storeNo) });
  });

  return {
    id: "lianke",
    router,
    orders,
    retryDelaysMs: RETRY_DELAYS_MS,
    notify(order) {
      const fields = resultInfo(order, credentials.storeNo);
      return { contentType: "application/json", body: JSON.stringify({ ...fields, sign: signer.sign(fields) }) };
    },
    // The doc: the merchant answers "OK" or "SUCCESS".
    isAcknowledged: (answer) => answer.status < 300 && ["OK", "SUCCESS"].includes(answer.body.trim()),
  };
}

/** PayResultInfo as in the doc's example response. */
function resultInfo(order: SandboxOrder, storeNo: string): JsonObject {
  const paytype = Number(order.extra.paytype);
  return {
    transaction_status: STATUS[order.status],
    store_no: storeNo,
    paytype: PAYTYPE_NAME[paytype],
    operator: order.extra.operator,
    // PayResultInfo as document 001 lists it (values the sandbox's: no coupons, no bank).
    error: "",
    bank_type: "OTHERS",
    total_amount: order.amountFen,
    cash_amount: order.amountFen,
    settlement_amount: order.amountFen,
    coupon_amount: 0,
    message: order.status === "paid" ? "支付成功" : "",
    coupon_detail_list: [],
    order_no: order.orderNo,
    transaction_no: order.gatewayOrderNo,
    transaction_time: dashedTime(order.completedAt ?? order.createdAt),
    buyer: order.openId ?? null,
    attach: order.attach ?? null,
  };
}

/** Document 001's ItemInfo: item_id, item_no, item_name (strings), quantity, price, promotion_type (integers). */
const ITEM_FIELDS: FieldTable = {
  item_id: { type: "string" },
  item_no: { type: "string" },
  item_name: { type: "string" },
  quantity: { type: "integer" },
  price: { type: "integer" },
  promotion_type: { type: "integer" },
};

function itemListProblem(value: unknown): { message: string } | null {
  if (value === undefined || value === null) return null;
  if (!Array.isArray(value) || value.length > 100) return { message: "itemlist must be a list of ItemInfo" };
  for (const item of value) {
    const entry = typeof item === "object" && item !== null && !Array.isArray(item) ? (item as JsonObject) : null;
    if (!entry) return { message: "itemlist entries must be ItemInfo objects" };
    const unknown = Object.keys(entry).find((key) => !Object.hasOwn(ITEM_FIELDS, key));
    if (unknown !== undefined) return { message: `itemlist.${unknown} is not an ItemInfo field` };
    const problem = checkFields(entry, ITEM_FIELDS);
    if (problem) return { message: `itemlist.${problem.message}` };
  }
  return null;
}
