/**
 * fubei's reconciliation method (issue 20), served from the bill book: EVIDENCE.md, Additions —
 * `openapi.payment.order.reconciliation` {year, month, day, store_id, cashier_id, page (from 1),
 * limit (at most 100), type "1" all trades} → `data{total, list}`, rows `order_sn,
 * merchant_order_sn, create_time` (unix s), `total_fee, fee, income` (yuan, 2 dp), `store_id,
 * cashier_id, pay_time` (s; 0 unpaid), `pay_status` 0/1, `pay_type` 1/2/5, `device_no` — numbers
 * written as strings, as the doc's example does. Orders are listed by the day they were created;
 * payments only (the method has no refund rows). A page past the last is an empty list.
 */
import type { Response } from "express";
import { fenToYuanString } from "@paybridge/shared";
import type { BillBook, SandboxBillRow } from "../bill-book.js";
import { compactDay } from "../bill-book.js";
import { checkFields, type FieldTable, type JsonObject } from "../fields.js";
import { epochSeconds } from "../ids.js";

export const RECONCILIATION_METHOD = "openapi.payment.order.reconciliation";

const RECONCILIATION_FIELDS: FieldTable = {
  year: { type: "integer", required: true, min: 2000, max: 2999 },
  month: { type: "integer", required: true, min: 1, max: 12 },
  // The doc's example sends only {month, year}; the sandbox lists by day only.
  day: { type: "integer", required: true, min: 1, max: 31 },
  store_id: { type: "integer", min: 0, max: 9_999_999_999 },
  cashier_id: { type: "integer", min: 0, max: 9_999_999_999 },
  page: { type: "integer", min: 1 },
  limit: { type: "integer", min: 1, max: 100 },
  type: { type: "string", oneOf: ["1"] },
};

export interface FubeiBillContext {
  bills: BillBook;
  storeId: number;
  fail(res: Response, subCode: string, message: string): null;
  succeed(res: Response, data: JsonObject): null;
}

const PAY_TYPE = { wechat: "1", alipay: "2", unionpay: "5" } as const;

function reconciliationRow(row: SandboxBillRow, storeId: number): JsonObject {
  const paid = row.status === "success";
  const totalFee = fenToYuanString(row.amountFen);
  return {
    order_sn: row.gatewayOrderNo,
    merchant_order_sn: row.orderNo,
    create_time: epochSeconds(row.createdAt),
    total_fee: totalFee,
    fee: "0.00",
    income: totalFee,
    store_id: String(storeId),
    cashier_id: "0",
    pay_time: paid ? epochSeconds(row.at) : "0",
    pay_status: paid ? "1" : "0",
    pay_type: PAY_TYPE[row.channel ?? "wechat"],
    device_no: "",
  };
}

/** Answers one page of the reconciliation. */
export function fubeiReconciliation(biz: JsonObject, res: Response, ctx: FubeiBillContext): null {
  const problem = checkFields(biz, RECONCILIATION_FIELDS);
  if (problem) return ctx.fail(res, "INVALID_PARAMETER", `参数错误: ${problem.message}`);
  if (biz.store_id !== undefined && biz.store_id !== ctx.storeId) return ctx.fail(res, "INVALID_STORE", "门店不存在: store_id");
  const pad = (value: unknown): string => String(value).padStart(2, "0");
  const day = compactDay(`${String(biz.year)}-${pad(biz.month)}-${pad(biz.day)}`);
  if (day === null) return ctx.fail(res, "INVALID_PARAMETER", "参数错误: year, month, day must be a date");
  const rows = ctx.bills.rows("fubei", day, { byCreation: true }).filter((row) => row.kind === "payment");
  const page = (biz.page as number | undefined) ?? 1;
  const limit = (biz.limit as number | undefined) ?? 10;
  const list = rows.slice((page - 1) * limit, page * limit).map((row) => reconciliationRow(row, ctx.storeId));
  return ctx.succeed(res, { total: String(rows.length), list });
}
