/**
 * upaas's bills (issue 20): nothing public about a bill API (EVIDENCE.md, Additions: searched
 * again), so only the file a merchant downloads from the console, whose layout is not public
 * either. This preset (*assumed*) names document 000's own fields — `merchant_order_no`,
 * `order_number`, `amount` (yuan, 2 decimals) — and the adapter's assumed `pay_time` and
 * `status` (SUCCESS / FAIL). No refund API is known, so every row is a payment: a file with
 * refund rows needs the merchant's own mapping (docs/reconciliation.md).
 */
import type { BillColumns } from "../../bills/contract.js";

export const UPAAS_BILL_COLUMNS: BillColumns = Object.freeze({
  orderNo: "merchant_order_no",
  gatewayOrderNo: "order_number",
  amount: "amount",
  amountUnit: "yuan",
  time: "pay_time",
  status: Object.freeze({ column: "status", success: Object.freeze(["SUCCESS"]), failed: Object.freeze(["FAIL", "CLOSED"]) }),
});
