/**
 * A gateway's daily bill, as rows the reconciliation reads: one shape whatever the source (a
 * gateway's bill API through its adapter, or a CSV file a merchant downloaded from the
 * gateway's console). Types only; the readers are in this folder, the matching in
 * src/engine/reconcile/.
 */

/** One row of a bill, read and checked: amounts in integer fen, times in epoch ms. */
export interface BillRow {
  /** Where the row came from, for errors and reports: the file's line (1 = its first line), or the API page's row number. */
  line: number;
  kind: "payment" | "refund";
  /** The merchant's order number (what paybridge sent as the order number). */
  orderNo: string;
  gatewayOrderNo?: string;
  /** A refund row: the merchant's refund number, where the bill carries it. */
  refundNo?: string;
  gatewayRefundNo?: string;
  /** What was paid (payment) or refunded (refund), integer fen, > 0. */
  amountFen: number;
  /** The gateway's fee for this row, integer fen (negative where a refund returns a fee); absent when the bill has none. */
  feeFen?: number;
  /** When it was paid or refunded (the bill's trade time, read in Asia/Shanghai), epoch ms. */
  at: number;
  /** The row's own status: `success` for a completed payment or refund; others as the bill says. */
  status: "success" | "failed" | "unknown";
  /** The merchant the bill names on this row (mch_no, merchant_id…), when it names one: rows of another merchant are refused. */
  merchant?: string;
}

/** A bill file's columns: which header holds which field (a preset per gateway, or the merchant's own mapping). */
export interface BillColumns {
  orderNo: string;
  amount: string;
  /** The unit of `amount` and `fee` in the file. */
  amountUnit: "fen" | "yuan";
  /** The trade time; read in Asia/Shanghai. Formats: `yyyy-MM-dd HH:mm:ss`, `yyyy/MM/dd HH:mm:ss`, `yyyyMMddHHmmss`, unix seconds or ms. */
  time: string;
  gatewayOrderNo?: string;
  refundNo?: string;
  gatewayRefundNo?: string;
  fee?: string;
  /** Without it every row is a payment: the column, and the values that mean a refund. */
  kind?: { column: string; refund: readonly string[] };
  /** Without it every row is a success: the column, and the values that mean success. */
  status?: { column: string; success: readonly string[]; failed?: readonly string[] };
  merchant?: string;
}

/** Asking a gateway for a day's bill (adapter capability `fetchBill`). */
export interface BillFetchInput {
  /** The day, `yyyy-MM-dd`, in Asia/Shanghai. */
  date: string;
  signal?: AbortSignal | undefined;
}

/**
 * A gateway's bill as a file (adapter capability `fetchBillFile`, where the gateway's bill API
 * hands out a file rather than rows: vbao): the engine reads it with this folder's reader.
 */
export interface BillFile {
  format: "csv";
  /** Which column holds which field: the adapter's setting (its preset, or the merchant's mapping). */
  columns: BillColumns;
  /** The file as downloaded, bounded in size by the adapter. */
  body: Uint8Array;
}
