/**
 * fubei's bills (issue 20). The API: 1.0 `openapi.payment.order.reconciliation` (EVIDENCE.md,
 * Additions: doc page orderReconciliation.html, java-sdk ParamPaymentOrderReconciliation /
 * PaymentReconciliationOrderModel): request `year, month, day` (the orders' creation day),
 * `store_id`, `page` (from 1), `limit` (at most 100), `type` "1" (all trades); answer
 * `data{total, list}`, rows `order_sn, merchant_order_sn, create_time` (unix s), `total_fee`
 * (实收), `fee`, `income` (yuan, 2 dp; the doc's example writes numbers as strings), `store_id`,
 * `pay_time` (s; 0 unpaid), `pay_status` 0/1. Paged until a page comes back empty (as
 * leo424y/hippospay does: a short page is not taken as the last, fubei may cap `limit` lower),
 * with a hard page cap; any page that fails or does not read throws, never ends the rows early.
 *
 * Payments only: the API has no refund rows (`openapi.payment.order.bill` gives refunds only as
 * totals), so fubei refunds cannot be reconciled through its API — use the console's file.
 * Service-provider (2.0, `vendor_sn` + `merchant_id`) bills are not here: another method and
 * envelope, to add beside this one.
 */
import { yuanStringToFen } from "@paybridge/shared";
import type { BillColumns, BillFetchInput, BillRow } from "../../bills/contract.js";
import { GatewayError, InvalidRequestError } from "../../errors.js";
import type { GatewayAdapter, GatewayHttp } from "../contract.js";
import { isJsonObject, type JsonObject } from "../kit/json.js";
import { requiredResponseText } from "../kit/response.js";
import { optionalField } from "../kit/results.js";
import { textOf } from "../kit/text.js";

/** The evidence's maximum `limit`. */
const PAGE_LIMIT = 100;
/** 2,000 pages of 100: a day past that is refused rather than read without end. */
const MAX_PAGES = 2000;
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
/** `pay_status` 1 = paid, 0 = not paid (PaymentReconciliationOrderModel); anything else is unknown. */
const PAY_STATUS: Readonly<Record<string, BillRow["status"]>> = { "1": "success", "0": "failed" };

/**
 * A file from fubei's merchant console: its layout is in no public source, so this preset
 * (*assumed*) names the API's own fields for the same facts; `trade_state` (the query's word)
 * tells payments from refunds (REFUND_SUCCESS, the refund query's word). A merchant whose file
 * differs passes their own columns (docs/reconciliation.md).
 */
export const FUBEI_BILL_COLUMNS: BillColumns = Object.freeze({
  orderNo: "merchant_order_sn",
  gatewayOrderNo: "order_sn",
  refundNo: "merchant_refund_sn",
  gatewayRefundNo: "refund_sn",
  amount: "total_fee",
  amountUnit: "yuan",
  fee: "fee",
  time: "pay_time",
  kind: Object.freeze({ column: "trade_state", refund: Object.freeze(["REFUND_SUCCESS"]) }),
  status: Object.freeze({
    column: "trade_state",
    success: Object.freeze(["SUCCESS", "REFUND_SUCCESS"]),
    failed: Object.freeze(["REVOKED", "CLOSED", "REFUND_FAIL", "REFUND_FAILER"]),
  }),
});

export interface FubeiBillContext {
  id: string;
  method: string;
  storeId: number;
  call(http: GatewayHttp, method: string, biz: JsonObject): Promise<JsonObject>;
}

/** The adapter's bill capabilities: the API's rows and the console file's preset. */
export function fubeiBill(ctx: FubeiBillContext): Pick<GatewayAdapter, "fetchBill" | "billColumns"> {
  const { id } = ctx;
  const fail = (message: string): GatewayError => new GatewayError(id, `${id} reconciliation ${message}`);

  /** One row of the answer as a BillRow; a row that does not read throws (never skipped). */
  function billRow(row: unknown, line: number): BillRow | undefined {
    if (!isJsonObject(row)) throw fail(`row ${line} is not an object`);
    // Another store of the same merchant (the request names ours; a row of another is not ours).
    const store = textOf(row.store_id);
    if (store !== undefined && store !== String(ctx.storeId)) return undefined;
    const orderNo = requiredResponseText(id, row, "merchant_order_sn");
    const status = PAY_STATUS[textOf(row.pay_status) ?? ""] ?? "unknown";
    const paidAt = unixSeconds(row.pay_time);
    const at = paidAt !== undefined && paidAt > 0 ? paidAt : unixSeconds(row.create_time);
    if (at === undefined || at === 0) throw fail(`row ${line} has no readable pay_time or create_time`);
    const fee = row.fee === undefined || row.fee === null || row.fee === "" ? undefined : yuan(row.fee, "fee", line);
    return {
      line,
      kind: "payment",
      orderNo,
      ...optionalField("gatewayOrderNo", textOf(row.order_sn)),
      amountFen: yuan(row.total_fee, "total_fee", line),
      ...optionalField("feeFen", fee),
      at: at * 1000,
      status,
    };
  }

  /** A yuan amount as fubei writes it (a number or its text, 2 dp at most), exactly in fen. */
  function yuan(value: unknown, field: string, line: number): number {
    const text = typeof value === "number" ? String(value) : typeof value === "string" ? value.trim() : undefined;
    try {
      if (text !== undefined) return yuanStringToFen(text);
    } catch {
      // Falls through to the one error below.
    }
    throw fail(`row ${line} has an unreadable ${field}`);
  }

  return {
    billColumns: FUBEI_BILL_COLUMNS,

    async *fetchBill(input: BillFetchInput, http: GatewayHttp): AsyncIterable<BillRow> {
      const day = DAY.exec(input.date);
      if (!day) throw new InvalidRequestError("date must be yyyy-MM-dd", "date");
      let line = 0;
      for (let page = 1; page <= MAX_PAGES; page += 1) {
        input.signal?.throwIfAborted();
        const biz: JsonObject = {
          year: Number(day[1]),
          month: Number(day[2]),
          day: Number(day[3]),
          store_id: ctx.storeId,
          page,
          limit: PAGE_LIMIT,
          type: "1",
        };
        const data = await ctx.call(http, ctx.method, biz);
        const list = data.list;
        if (!Array.isArray(list)) throw fail(`page ${page} has no list`);
        if (list.length === 0) return;
        if (list.length > PAGE_LIMIT) throw fail(`page ${page} has more rows than the limit asked for`);
        for (const row of list) {
          line += 1;
          const read = billRow(row, line);
          if (read) yield read;
        }
      }
      throw fail(`has more than ${MAX_PAGES} pages for ${input.date}`);
    },
  };
}

/** Unix seconds as fubei writes them (a number or its text); undefined when not. */
function unixSeconds(value: unknown): number | undefined {
  const text = textOf(value);
  return text !== undefined && /^\d{1,10}$/.test(text) ? Number(text) : undefined;
}
