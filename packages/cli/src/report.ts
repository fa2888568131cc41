/**
 * A reconciliation's report file, by its extension: `.json` the result as it is, `.csv` one line
 * per listed mismatch, `.html` one self-contained page (html-report.ts).
 */
import { extname } from "node:path";
import type { Mismatch, ReconcileResult } from "@paybridge/server-middleware/web";
import { usageError } from "./exit-codes.js";
import { htmlReport } from "./html-report.js";

export type ReportFormat = "csv" | "json" | "html";

export function reportFormat(path: string): ReportFormat {
  const extension = extname(path).toLowerCase().slice(1);
  if (extension === "csv" || extension === "json" || extension === "html") return extension;
  throw usageError("--report must end in .csv, .json or .html");
}

export function renderReport(format: ReportFormat, result: ReconcileResult): string {
  if (format === "json") return `${JSON.stringify(result, null, 2)}\n`;
  if (format === "html") return htmlReport(result);
  return csvReport(result.mismatches);
}

const CSV_HEADER = ["kind", "orderNo", "refundNo", "gateway", "merchantId", "billAmountFen", "billAt", "billLine", "billStatus", "ourAmountFen", "ourStatus", "ourAt", "notifyId"];

export function csvReport(mismatches: readonly Mismatch[]): string {
  const lines = mismatches.map((mismatch) =>
    [
      mismatch.kind,
      mismatch.orderNo,
      mismatch.refundNo,
      mismatch.gateway,
      mismatch.merchantId,
      mismatch.bill?.amountFen,
      mismatch.bill?.at,
      mismatch.bill?.line,
      mismatch.bill?.status,
      mismatch.ours?.amountFen,
      mismatch.ours?.status,
      mismatch.ours?.at,
      mismatch.notifyId,
    ]
      .map(csvCell)
      .join(","),
  );
  return `${[CSV_HEADER.join(","), ...lines].join("\r\n")}\r\n`;
}

/**
 * RFC 4180 quoting; a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR at its
 * start) is prefixed with `'`: order numbers in a bill are the gateway's text.
 */
function csvCell(value: string | number | undefined): string {
  if (value === undefined) return "";
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
