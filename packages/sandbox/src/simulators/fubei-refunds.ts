/**
 * fubei refund and refund query (issue 12): two more methods of the signed-envelope endpoint
 * that fubei.ts serves. EVIDENCE.md: refund answers refund_sn, merchant_refund_sn, trade_no,
 * order_sn, merchant_order_sn (no state); the refund query answers refund_status REFUND_SUCCESS /
 * REFUND_PROCESSING (REFUND_FAIL *assumed*). At most 10 refunds per order, within 90 days.
 * Outcomes from the shared refund desk: `failed` is a refusal (result_code 400).
 */
import type { Response } from "express";
import { fenToYuanNumber, yuanNumberToFen } from "@paybridge/shared";
import { checkFields, type FieldTable, type JsonObject } from "../fields.js";
import type { OrderBook, SandboxOrder } from "../order-book.js";
import type { RefundDesk, SandboxRefund } from "../refund-desk.js";

export const REFUND_METHOD = "openapi.payment.order.refund";
export const REFUND_QUERY_METHOD = "openapi.payment.order.refund.query";
export const LIFECYCLE_METHODS: readonly string[] = [REFUND_METHOD, REFUND_QUERY_METHOD];
const MAX_REFUNDS = 10;

const REFUND_FIELDS: FieldTable = {
  merchant_order_sn: { type: "string", maxLength: 32 },
  order_sn: { type: "string", maxLength: 32 },
  trade_no: { type: "string", maxLength: 64 },
  merchant_refund_sn: { type: "string", required: true, maxLength: 32 },
  refund_money: { type: "number", min: 0.01 },
};

const REFUND_QUERY_FIELDS: FieldTable = {
  merchant_order_sn: { type: "string", required: true, maxLength: 32 },
  merchant_refund_sn: { type: "string", required: true, maxLength: 32 },
};

/** A refund's state in fubei's words, for both levels: REFUND_FAIL is *assumed* at /gateway (1.0's pages spell REFUND_FAILER), evidenced for fbpay.* (order.go). */
export const REFUND_STATUS = { succeeded: "REFUND_SUCCESS", processing: "REFUND_PROCESSING", failed: "REFUND_FAIL" } as const;

export interface FubeiLifecycleContext {
  orders: OrderBook;
  desk: RefundDesk;
  fail(res: Response, subCode: string, message: string): null;
  succeed(res: Response, data: JsonObject): null;
}

function refundData(order: SandboxOrder, refund: SandboxRefund): JsonObject {
  return {
    refund_sn: refund.gatewayRefundNo,
    merchant_refund_sn: refund.refundNo,
    trade_no: order.extra.trade_no,
    order_sn: order.gatewayOrderNo,
    merchant_order_sn: order.orderNo,
  };
}

/** Answers a refund or refund-query call. */
export function fubeiLifecycleMethod(method: string, biz: JsonObject, res: Response, ctx: FubeiLifecycleContext): null {
  const { orders, desk, fail, succeed } = ctx;
  if (method === REFUND_QUERY_METHOD) {
    const problem = checkFields(biz, REFUND_QUERY_FIELDS);
    if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
    const found = desk.lookup("fubei", biz.merchant_refund_sn as string);
    if (!found || found.order.orderNo !== biz.merchant_order_sn) return fail(res, "REFUND_NOT_EXIST", "退款单不存在");
    return succeed(res, { ...refundData(found.order, found.refund), refund_status: REFUND_STATUS[found.refund.status], refund_money: fenToYuanNumber(found.refund.amountFen) });
  }
  const problem = checkFields(biz, REFUND_FIELDS);
  if (problem) return fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
  const order = namedOrder(orders, biz);
  if (!order) return fail(res, "ORDER_NOT_EXIST", "订单不存在");
  const refundNo = biz.merchant_refund_sn as string;
  if (!desk.find(order, refundNo) && desk.refundsOf(order).filter((refund) => refund.status !== "failed").length >= MAX_REFUNDS) {
    return fail(res, "REFUND_TIMES_EXCEEDED", "单笔订单退款次数不可超过10次");
  }
  // Empty refund_money = everything left.
  const left = order.amountFen - desk.refundsOf(order).reduce((sum, refund) => sum + (refund.status === "failed" ? 0 : refund.amountFen), 0);
  const amountFen = biz.refund_money === undefined ? left : yuanNumberToFen(biz.refund_money as number);
  const decision = desk.refund("fubei", order, refundNo, amountFen);
  if ("refused" in decision) return fail(res, "REFUND_FAIL", `退款失败: ${decision.refused}`);
  if (decision.refund.status === "failed") return fail(res, "REFUND_FAIL", "退款失败");
  return succeed(res, refundData(order, decision.refund));
}

/** The order a query or refund names by one of fubei's three ids (三选一): order_sn, merchant_order_sn, trade_no. */
export function namedOrder(orders: OrderBook, biz: JsonObject): SandboxOrder | undefined {
  if (biz.order_sn) return orders.byGatewayOrderNo(biz.order_sn as string);
  if (biz.merchant_order_sn) return orders.byOrderNo(biz.merchant_order_sn as string);
  return orders.find((candidate) => candidate.extra.trade_no === biz.trade_no);
}
