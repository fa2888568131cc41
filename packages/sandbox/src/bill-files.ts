/**
 * The bill files the sandbox serves (issue 20): a day's rows (bill-book.ts) as a CSV in each
 * gateway's columns, as a merchant would download it from the gateway's console — and, for
 * vbao, as its billDownload API answers. No gateway's console layout is public, so each header
 * is written out here from the gateway's own protocol field names for the same facts (the
 * adapters' presets say the same, *assumed*, in their own folders; this file does not import
 * them, so a preset that drifts from the documents fails the tests), amounts in the unit of that
 * field: fen for lianke, xiangma and vbao; yuan for fubei and upaas.
 */
import { fenToYuanString } from "@paybridge/shared";
import type { SandboxBillRow } from "./bill-book.js";
import type { SandboxGatewayId } from "./credentials.js";
import { dashedTime, epochSeconds } from "./ids.js";

interface BillFileLayout {
  header: readonly string[];
  /** The row's values, one per header column. */
  cells(row: SandboxBillRow): readonly string[];
  /** False where the gateway has no refunds (upaas): its file lists payments only. */
  refunds: boolean;
}

const yuan = (row: SandboxBillRow): string => fenToYuanString(row.amountFen);
const fen = (row: SandboxBillRow): string => String(row.amountFen);
const isRefund = (row: SandboxBillRow): boolean => row.kind === "refund";

export const BILL_FILE_LAYOUTS: Readonly<Record<SandboxGatewayId, BillFileLayout>> = {
  // 1.0 fields (document 003, reconciliation and refund methods); trade_state as the query writes it.
  fubei: {
    header: ["merchant_order_sn", "order_sn", "merchant_refund_sn", "refund_sn", "trade_state", "total_fee", "fee", "pay_time"],
    cells: (row) => [
      row.orderNo,
      row.gatewayOrderNo,
      row.refundNo ?? "",
      row.gatewayRefundNo ?? "",
      isRefund(row) ? "REFUND_SUCCESS" : row.status === "success" ? "SUCCESS" : "REVOKED",
      yuan(row),
      "0.00",
      epochSeconds(row.at),
    ],
    refunds: true,
  },
  // Document 002 and the openpay v3 notify: result_code PAY_SUCCESS / PAY_FAIL / TRADE_REFUND.
  xiangma: {
    header: ["pay_trace_no", "trade_no", "refund_trace_no", "result_code", "total_amount", "end_time"],
    cells: (row) => [row.orderNo, row.gatewayOrderNo, row.refundNo ?? "", isRefund(row) ? "TRADE_REFUND" : row.status === "success" ? "PAY_SUCCESS" : "PAY_FAIL", fen(row), dashedTime(row.at)],
    refunds: true,
  },
  // Document 001's PayResultInfo and the refund pages: transaction_status SUCCESSED / FAILED / REFUNDED.
  lianke: {
    header: ["order_no", "transaction_no", "refund_no", "refund_transaction_no", "transaction_status", "total_amount", "transaction_time"],
    cells: (row) => [
      row.orderNo,
      row.gatewayOrderNo,
      row.refundNo ?? "",
      row.gatewayRefundNo ?? "",
      isRefund(row) ? "REFUNDED" : row.status === "success" ? "SUCCESSED" : "FAILED",
      fen(row),
      dashedTime(row.at),
    ],
    refunds: true,
  },
  // Document 000 (amount: 2-decimal yuan) and the query's status and pay_time.
  upaas: {
    header: ["merchant_order_no", "order_number", "status", "amount", "pay_time"],
    cells: (row) => [row.orderNo, row.gatewayOrderNo, row.status === "success" ? "SUCCESS" : "FAIL", yuan(row), dashedTime(row.at)],
    refunds: false,
  },
  // vbao's message fields; `type` PAY / REFUND as billDownload names them.
  vbao: {
    header: ["type", "orderNo", "vbOrderNo", "refundNo", "payStatus", "orderAmount", "payTime"],
    cells: (row) => [isRefund(row) ? "REFUND" : "PAY", row.orderNo, row.gatewayOrderNo, row.refundNo ?? "", row.status === "success" ? "SUCCESS" : "FAIL", fen(row), dashedTime(row.at)],
    refunds: true,
  },
};

/** A CSV field: quoted when it holds a comma, quote or line break (RFC 4180). */
function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** The gateway's bill file for these rows: a header, then one line per row, CRLF line ends. */
export function billCsv(gateway: SandboxGatewayId, rows: readonly SandboxBillRow[]): string {
  const layout = BILL_FILE_LAYOUTS[gateway];
  const lines = [layout.header, ...rows.filter((row) => layout.refunds || !isRefund(row)).map((row) => layout.cells(row))];
  return lines.map((cells) => cells.map(csvField).join(",")).join("\r\n") + "\r\n";
}
