/**
 * fubei's service-provider endpoint `/gateway/agent` (EVIDENCE.md "Additions (2026-12-04)" /
 * fubei), enough to pay and refund through it: `fbpay.order.create`, `.query`, `.close`,
 * `.refund` (`merchant_refund_sn, refund_amount` yuan, an order number → `refund_status`
 * REFUND_PROCESSING | REFUND_SUCCESS | REFUND_FAIL, `refund_sn`) and `.refund.query` (by
 * `merchant_refund_sn` or `refund_sn`, adding `buyer_refund_amount, finish_time`); refunds are
 * the shared refund desk's, so `/control/refund-outcome` applies. No refund notify: fubei sends
 * those to a `refund_callback_url` set per merchant, which the sandbox does not keep. The envelope
 * carries `vendor_sn` (signed with the vendor secret, as /gateway's with the app secret) and no
 * `app_id`; every request names the merchant by `merchant_id` in biz_content, and an order is
 * that merchant's only. Any merchant id is one of this provider's merchants here. The notify is
 * the 2.0 form `result_code, result_message, data` + `sign` over the three, `data.uid` the merchant.
 */
import type { Request, Response } from "express";
import { fenToYuanNumber, yuanNumberToFen } from "@paybridge/shared";
import { createSigner, type SignRule } from "@paybridge/server-middleware";
import { checkFields, parseJsonObject, type FieldTable, type JsonObject } from "../fields.js";
import { compactTime, gatewayOrderNumber, randomDigits, randomHex } from "../ids.js";
import type { OrderBook, SandboxOrder } from "../order-book.js";
import type { RefundDesk, SandboxRefund } from "../refund-desk.js";
import { REFUND_STATUS } from "./fubei-refunds.js";
import type { NotifyMessage } from "../simulator.js";

export interface FubeiAgentCredentials {
  vendorSn: string;
  vendorSecret: string;
}

const RULE: SignRule = { skip: "empty", secretJoiner: "", hexCase: "upper", algorithm: "md5", signField: "sign" };
const METHODS = {
  create: "fbpay.order.create",
  query: "fbpay.order.query",
  close: "fbpay.order.close",
  refund: "fbpay.order.refund",
  refundQuery: "fbpay.order.refund.query",
} as const;
const ENVELOPE_FIELDS: FieldTable = {
  vendor_sn: { type: "string", required: true, maxLength: 32 },
  method: { type: "string", required: true, oneOf: Object.values(METHODS) },
  format: { type: "string", required: true, oneOf: ["json"] },
  sign_method: { type: "string", required: true, oneOf: ["md5"] },
  nonce: { type: "string", required: true, maxLength: 64 },
  version: { type: "string", required: true, oneOf: ["1.0", "2.0"] },
  biz_content: { type: "string", required: true },
  sign: { type: "string", required: true },
};
const MERCHANT = { type: "integer", required: true, min: 1, max: 9_999_999_999 } as const;
const CREATE_FIELDS: FieldTable = {
  merchant_id: MERCHANT,
  store_id: { type: "integer", min: 0, max: 9_999_999_999 },
  merchant_order_sn: { type: "string", required: true, maxLength: 32 },
  pay_type: { type: "string", required: true, oneOf: ["wxpay", "alipay"] },
  total_amount: { type: "number", required: true, min: 0.01 },
  user_id: { type: "string", maxLength: 64 },
  sub_appid: { type: "string", maxLength: 32 },
  body: { type: "string", maxLength: 128 },
  attach: { type: "string", maxLength: 127 },
  timeout_express: { type: "string", pattern: /^\d{14}$/, patternHint: "yyyyMMddHHmmss" },
  notify_url: { type: "string", maxLength: 256 },
};
const ORDER_FIELDS: FieldTable = {
  merchant_id: MERCHANT,
  store_id: CREATE_FIELDS.store_id!,
  merchant_order_sn: { type: "string", maxLength: 32 },
  order_sn: { type: "string", maxLength: 32 },
};
const ORDER_STATUS = { pending: "USERPAYING", paid: "SUCCESS", failed: "CLOSED" } as const;
const REFUND_FIELDS: FieldTable = {
  ...ORDER_FIELDS,
  merchant_refund_sn: { type: "string", required: true, maxLength: 32 },
  refund_amount: { type: "number", required: true, min: 0.01 },
  handler: { type: "string", maxLength: 32 },
  device_no: { type: "string", maxLength: 32 },
};
const REFUND_QUERY_FIELDS: FieldTable = {
  merchant_id: MERCHANT,
  merchant_refund_sn: { type: "string", maxLength: 32 },
  refund_sn: { type: "string", maxLength: 40 },
};

export interface AgentAnswers {
  fail(res: Response, subCode: string, message: string): null;
  succeed(res: Response, data: JsonObject): null;
}

/** The handler of POST /gateway/agent; without a refund desk, refunds are unknown methods. */
export function fubeiAgentHandler(credentials: FubeiAgentCredentials, orders: OrderBook, { fail, succeed }: AgentAnswers, desk?: RefundDesk) {
  const signer = createSigner(credentials.vendorSecret, { ...RULE, fields: Object.keys(ENVELOPE_FIELDS).filter((key) => key !== "sign") });

  return (req: Request, res: Response): null => {
    const envelope = parseJsonObject(req.body);
    if (!envelope) return fail(res, "INVALID_REQUEST", "请求不是 JSON 对象");
    if (envelope.app_id !== undefined) return fail(res, "INVALID_PARAMETER", "参数错误: 服务商级接入不传 app_id");
    const problem = checkFields(envelope, ENVELOPE_FIELDS);
    if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
    if (!signer.verify(envelope, envelope.sign)) return fail(res, "INVALID_SIGN", "签名错误");
    if (envelope.vendor_sn !== credentials.vendorSn) return fail(res, "INVALID_VENDOR", "vendor_sn 不存在");
    const biz = parseJsonObject(envelope.biz_content);
    if (!biz) return fail(res, "INVALID_PARAMETER", "参数错误: biz_content must be a JSON object text");
    if (envelope.method === METHODS.create) return create(biz, res);
    if (envelope.method === METHODS.refund || envelope.method === METHODS.refundQuery) {
      if (!desk) return fail(res, "INVALID_METHOD", "method 不存在");
      return envelope.method === METHODS.refund ? refund(biz, res, desk) : refundQuery(biz, res, desk);
    }
    const bad = checkFields(biz, ORDER_FIELDS);
    if (bad) return fail(res, "INVALID_PARAMETER", `参数错误: ${bad.message}`);
    const order = merchantsOrder(biz);
    if (!order) return fail(res, "ORDER_NOT_EXIST", "订单不存在");
    if (envelope.method === METHODS.query) return succeed(res, orderData(order));
    if (order.status !== "pending") return fail(res, "ORDER_STATUS_ERROR", "订单状态不允许关闭");
    order.status = "failed";
    order.completedAt = new Date();
    return succeed(res, { order_status: "CLOSED", merchant_order_sn: order.orderNo, order_sn: order.gatewayOrderNo });
  };

  /** The order an order-level call names, when it is this merchant's: another merchant's order is not there for this one. */
  function merchantsOrder(biz: JsonObject): SandboxOrder | undefined {
    const found = typeof biz.order_sn === "string" ? orders.byGatewayOrderNo(biz.order_sn) : orders.byOrderNo(String(biz.merchant_order_sn ?? ""));
    return found?.extra.merchant_id === String(biz.merchant_id) ? found : undefined;
  }

  function refund(biz: JsonObject, res: Response, refunds: RefundDesk): null {
    const problem = checkFields(biz, REFUND_FIELDS);
    if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
    const order = merchantsOrder(biz);
    if (!order) return fail(res, "ORDER_NOT_EXIST", "订单不存在");
    let amountFen: number;
    try {
      amountFen = yuanNumberToFen(biz.refund_amount as number);
    } catch {
      return fail(res, "INVALID_PARAMETER", "参数错误: refund_amount must be yuan with at most 2 decimals");
    }
    const decision = refunds.refund("fubei", order, biz.merchant_refund_sn as string, amountFen);
    if ("refused" in decision) return fail(res, "REFUND_FAIL", `退款失败: ${decision.refused}`);
    return succeed(res, refundData(order, decision.refund));
  }

  function refundQuery(biz: JsonObject, res: Response, refunds: RefundDesk): null {
    const problem = checkFields(biz, REFUND_QUERY_FIELDS);
    if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
    const found =
      typeof biz.merchant_refund_sn === "string"
        ? refunds.lookup("fubei", biz.merchant_refund_sn)
        : refunds.lookupByGatewayNo("fubei", String(biz.refund_sn ?? ""));
    // Another merchant's refund is not there for this one.
    if (!found || found.order.extra.merchant_id !== String(biz.merchant_id)) return fail(res, "REFUND_NOT_EXIST", "退款单不存在");
    const { order, refund: entry } = found;
    const finished = entry.status === "succeeded";
    return succeed(res, {
      ...refundData(order, entry),
      buyer_refund_amount: finished ? fenToYuanNumber(entry.amountFen) : 0,
      finish_time: finished ? compactTime(entry.createdAt) : "",
    });
  }

  function create(biz: JsonObject, res: Response): null {
    const problem = checkFields(biz, CREATE_FIELDS);
    if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
    let amountFen: number;
    try {
      amountFen = yuanNumberToFen(biz.total_amount as number);
    } catch {
      return fail(res, "INVALID_PARAMETER", "参数错误: total_amount must be yuan with at most 2 decimals");
    }
    const wechat = biz.pay_type === "wxpay";
    const order = orders.admit({
      orderNo: biz.merchant_order_sn as string,
      gatewayOrderNo: gatewayOrderNumber("", 20),
      amountFen,
      channel: wechat ? "wechat" : "alipay",
      notifyUrl: (biz.notify_url as string | undefined) || undefined,
      attach: (biz.attach as string | undefined) || undefined,
      openId: String(biz.user_id ?? ""),
      status: "pending",
      createdAt: new Date(),
      extra: {
        agent: "1",
        merchant_id: String(biz.merchant_id),
        store_id: biz.store_id === undefined ? "" : String(biz.store_id),
        trade_no: wechat ? `4200000${randomDigits(21)}` : `2023${randomDigits(24)}`,
      },
    });
    if (!order) return fail(res, "ORDER_EXISTS", "订单号重复: merchant_order_sn");
    const prepayId = wechat ? `wx${randomDigits(32)}` : order.extra.trade_no!;
    if (!wechat) return succeed(res, { order_sn: order.gatewayOrderNo, prepay_id: prepayId });
    const pay = { appId: String(biz.sub_appid ?? "wx0sandbox0fubei"), timeStamp: String(Math.floor(Date.now() / 1000)), nonceStr: randomHex(7), package: `prepay_id=${prepayId}`, signType: "RSA" };
    return succeed(res, { order_sn: order.gatewayOrderNo, prepay_id: prepayId, sign_package: { ...pay, paySign: randomHex(16).toUpperCase() } });
  }
}

/** The query's data and the notify's: callback.go's and order.go's fields. */
function orderData(order: SandboxOrder): JsonObject {
  const amount = fenToYuanNumber(order.amountFen);
  return {
    order_status: ORDER_STATUS[order.status],
    merchant_order_sn: order.orderNo,
    order_sn: order.gatewayOrderNo,
    ins_order_sn: order.gatewayOrderNo.slice(-16),
    channel_order_sn: order.extra.trade_no ?? "",
    total_amount: amount,
    net_amount: amount,
    fee: 0,
    uid: Number(order.extra.merchant_id),
    ...(order.extra.store_id ? { store_id: Number(order.extra.store_id) } : {}),
    pay_type: order.channel === "wechat" ? "wxpay" : "alipay",
    user_id: order.openId ?? "",
    finish_time: order.status === "paid" && order.completedAt ? compactTime(order.completedAt) : "",
    attach: order.attach ?? "",
  };
}

/** A refund's answer (order.go's refund fields). */
function refundData(order: SandboxOrder, refund: SandboxRefund): JsonObject {
  return {
    refund_status: REFUND_STATUS[refund.status],
    refund_sn: refund.gatewayRefundNo,
    merchant_refund_sn: refund.refundNo,
    refund_amount: fenToYuanNumber(refund.amountFen),
    order_sn: order.gatewayOrderNo,
    merchant_order_sn: order.orderNo,
  };
}

/** Whether an order came through /gateway/agent (its notify is the 2.0 one). */
export function isAgentOrder(order: SandboxOrder): boolean {
  return order.extra.agent === "1";
}

/** The 2.0 pay notify, signed with the vendor secret over the three fields. */
export function agentNotify(order: SandboxOrder, credentials: FubeiAgentCredentials): NotifyMessage {
  const fields = { result_code: "200", result_message: "成功", data: JSON.stringify(orderData(order)) };
  const sign = createSigner(credentials.vendorSecret, { ...RULE, fields: Object.keys(fields) }).sign(fields);
  return { contentType: "application/x-www-form-urlencoded", body: new URLSearchParams({ ...fields, sign }).toString() };
}
