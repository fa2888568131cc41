/**
 * Reports of a reconciliation, for a file (`paybridge reconcile --report out.csv|out.json`):
 * CSV of every mismatch, streamed as `reconcile` hands them over (`onMismatch`), or JSON of the
 * result (its totals, counts and first `maxListed` mismatches). Written to a Node writable
 * stream, waiting for it to drain, so a report of a million mismatches never sits in memory.
 */
import { fenToYuanString } from "@paybridge/shared";
import type { Mismatch, ReconcileResult } from "../../types.js";

/** What a report is written to: a Node Writable (fs.createWriteStream, process.stdout). */
export interface ReportOutput {
  write(chunk: string): boolean;
  once(event: "drain", listener: () => void): unknown;
  end(callback?: () => void): unknown;
}

export interface ReconcileReport {
  /** Pass as the request's `onMismatch`. */
  onMismatch(mismatch: Mismatch): Promise<void>;
  /** Writes what is left (JSON: the result) and ends the output. */
  finish(result: ReconcileResult): Promise<void>;
}

export const MISMATCH_CSV_COLUMNS = [
  "kind",
  "order_no",
  "refund_no",
  "bill_line",
  "bill_amount",
  "bill_status",
  "bill_time",
  "our_amount",
  "our_status",
  "our_time",
  "notify_id",
] as const;

/** A field as RFC 4180 wants it; one a spreadsheet would run as a formula is prefixed with `'`. */
function csvField(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One CSV line (CRLF-terminated) of a mismatch; amounts in yuan with two decimals, exact. */
export function mismatchCsvLine(mismatch: Mismatch): string {
  const { bill, ours } = mismatch;
  const fields = [
    mismatch.kind,
    mismatch.orderNo,
    mismatch.refundNo ?? "",
    bill === undefined ? "" : String(bill.line),
    bill === undefined ? "" : fenToYuanString(bill.amountFen),
    bill?.status ?? "",
    bill?.at ?? "",
    ours === undefined ? "" : fenToYuanString(ours.amountFen),
    ours?.status ?? "",
    ours?.at ?? "",
    mismatch.notifyId ?? "",
  ];
  return `${fields.map(csvField).join(",")}\r\n`;
}

/** A report in `format` on `out`: CSV of every mismatch (header first), or JSON of the result. */
export function reconcileReport(out: ReportOutput, format: "csv" | "json"): ReconcileReport {
  const write = async (chunk: string): Promise<void> => {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once("drain", resolve));
  };
  let headed = false;
  const head = async (): Promise<void> => {
    if (headed || format !== "csv") return;
    headed = true;
    await write(`${MISMATCH_CSV_COLUMNS.join(",")}\r\n`);
  };
  return {
    async onMismatch(mismatch) {
      if (format !== "csv") return;
      await head();
      await write(mismatchCsvLine(mismatch));
    },
    async finish(result) {
      await head();
      if (format === "json") await write(`${JSON.stringify(result, null, 2)}\n`);
      await new Promise<void>((resolve) => out.end(resolve));
    },
  };
}
