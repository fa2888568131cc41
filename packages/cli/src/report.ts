/**
 * A reconciliation's report file, by its extension: `.csv` every mismatch and `.json` the result,
 * both written by server-middleware's reconcileReport (CSV streamed as reconcile hands the
 * mismatches over); `.html` one self-contained page of the result (html-report.ts).
 */
import { createWriteStream } from "node:fs";
import { writeFile } from "node:fs/promises";
import { extname } from "node:path";
import { reconcileReport, type Mismatch, type ReconcileResult } from "@paybridge/server-middleware/web";
import { usageError } from "./exit-codes.js";
import { htmlReport } from "./html-report.js";

export type ReportFormat = "csv" | "json" | "html";

export function reportFormat(path: string): ReportFormat {
  const extension = extname(path).toLowerCase().slice(1);
  if (extension === "csv" || extension === "json" || extension === "html") return extension;
  throw usageError("--report must end in .csv, .json or .html");
}

/** The report's writer: handed every mismatch during the run, then the result. */
export interface ReportWriter {
  onMismatch?: (mismatch: Mismatch) => Promise<void>;
  finish(result: ReconcileResult): Promise<void>;
}

export function reportWriter(path: string, format: ReportFormat): ReportWriter {
  if (format === "html") return { finish: (result) => writeFile(path, htmlReport(result)) };
  const report = reconcileReport(createWriteStream(path), format);
  return { ...(format === "csv" ? { onMismatch: (mismatch: Mismatch) => report.onMismatch(mismatch) } : {}), finish: (result) => report.finish(result) };
}
