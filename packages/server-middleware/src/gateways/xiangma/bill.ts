/**
 * xiangma's bills (issue 20): no bill or statement API in any of the openpay v3 projects
 * (EVIDENCE.md, Additions: searched), so only the file a merchant downloads from the console.
 * Its layout is in no public source: this preset (*assumed*) names the protocol's own fields for
 * the same facts — `pay_trace_no` (our order number, document 002), `trade_no`, `total_amount`
 * (fen), `end_time` (the notify's finish time; `pay_time` is when payment was requested),
 * `refund_trace_no`, and `result_code`, whose words PAY_SUCCESS / PAY_FAIL / TRADE_REFUND
 * (退款成功, the 收呗 notify) tell a paid, failed or refunded row. On a refund row the amount
 * column holds the refunded amount (*assumed*). A file that differs takes the merchant's own mapping.
 */
import type { BillColumns } from "../../bills/contract.js";

export const XIANGMA_BILL_COLUMNS: BillColumns = Object.freeze({
  orderNo: "pay_trace_no",
  gatewayOrderNo: "trade_no",
  refundNo: "refund_trace_no",
  amount: "total_amount",
  amountUnit: "fen",
  time: "end_time",
  kind: Object.freeze({ column: "result_code", refund: Object.freeze(["TRADE_REFUND"]) }),
  status: Object.freeze({ column: "result_code", success: Object.freeze(["PAY_SUCCESS", "TRADE_REFUND"]), failed: Object.freeze(["PAY_FAIL"]) }),
});
