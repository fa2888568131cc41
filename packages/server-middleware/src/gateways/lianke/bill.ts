/**
 * lianke's bills (issue 20). Its one bill API, `System/GetTodayBill` (EVIDENCE.md, Additions),
 * serves today only and needs an `access_token` whose issue is not public: no `fetchBill`. The
 * file a merchant downloads from the console has no public layout either: this preset
 * (*assumed*) names PayResultInfo's own fields (document 001; refund fields from the refund and
 * refund-query pages) — `order_no`, `transaction_no`, `total_amount` (fen), `transaction_time`,
 * `refund_no`, `refund_transaction_no`, and `transaction_status`, whose finals SUCCESSED / FAILED
 * and REFUNDED / REFUNDFAILED tell payments from refunds. On a refund row the amount column holds
 * the refunded amount (*assumed*). A file that differs takes the merchant's own mapping.
 */
import type { BillColumns } from "../../bills/contract.js";

export const LIANKE_BILL_COLUMNS: BillColumns = Object.freeze({
  orderNo: "order_no",
  gatewayOrderNo: "transaction_no",
  refundNo: "refund_no",
  gatewayRefundNo: "refund_transaction_no",
  amount: "total_amount",
  amountUnit: "fen",
  time: "transaction_time",
  kind: Object.freeze({ column: "transaction_status", refund: Object.freeze(["REFUNDED", "REFUNDFAILED"]) }),
  status: Object.freeze({
    column: "transaction_status",
    success: Object.freeze(["SUCCESSED", "REFUNDED"]),
    failed: Object.freeze(["FAILED", "REFUNDFAILED"]),
  }),
});
