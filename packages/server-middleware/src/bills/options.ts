/**
 * readBillCsv's options: the public type, its defaults, and the check that refuses a bad one
 * before a line is read (a ConfigError names the option). docs/reconciliation.md lists them.
 */
import { ConfigError } from "../errors.js";
import type { BillColumns } from "./contract.js";
import type { BillEncoding } from "./decode.js";
import { DAY_MS, shanghaiDayStart } from "./times.js";

export interface BillCsvOptions {
  /** Which header holds which field: a gateway's preset (`billColumns`) or the merchant's own mapping. */
  columns: BillColumns;
  /** The bill's day, `yyyy-MM-dd` in Asia/Shanghai: a row traded on another day is refused. */
  date: string;
  /** The merchant this bill belongs to: with a `columns.merchant` column, a row naming another is refused. */
  merchant?: string;
  /** The file's encoding for byte input (strings are already text). Default `utf-8`. */
  encoding?: BillEncoding;
  /** Lines before the header (a title, the account, the period), dropped unread. Default 0. */
  skipLines?: number;
  /**
   * After the header, a line whose first cell starts with one of these ends the rows: it and
   * everything after it (a summary) are not read. E.g. `["#", "总交易单数"]`. Default none.
   */
  endMarkers?: readonly string[];
  /** A refund row whose amount is negative (`-12.30`) is read as 1230. Default false: refused. */
  negativeRefundAmounts?: boolean;
  /** Yuan amounts may group thousands with commas (`1,234.00`). Default false: refused. */
  thousandsSeparators?: boolean;
  /** The longest line (a quoted field's line breaks included), in characters. Default 65,536. */
  maxLineChars?: number;
  /** The most rows after the header. Default 10,000,000. */
  maxRows?: number;
}

/** The options checked, with their defaults and the day as epoch ms. */
export interface BillCsvSettings {
  columns: BillColumns;
  date: string;
  dayStart: number;
  dayEnd: number;
  merchant: string | undefined;
  encoding: BillEncoding;
  skipLines: number;
  endMarkers: readonly string[];
  negativeRefundAmounts: boolean;
  thousandsSeparators: boolean;
  maxLineChars: number;
  maxRows: number;
}

const ENCODINGS: readonly BillEncoding[] = ["utf-8", "gbk", "gb18030"];
const MAX_LINE_CHARS_LIMIT = 16 * 1024 * 1024;

function isText(value: unknown): value is string {
  return typeof value === "string" && value.trim() !== "";
}

function isTextList(value: unknown): value is readonly string[] {
  return Array.isArray(value) && value.every(isText);
}

function count(option: string, value: number | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new ConfigError(option, `must be a whole number from ${min} to ${max}`);
  return value;
}

function checkColumns(columns: BillColumns | undefined): BillColumns {
  if (typeof columns !== "object" || columns === null) throw new ConfigError("columns", "is required: the bill's column mapping");
  for (const key of ["orderNo", "amount", "time"] as const) {
    if (!isText(columns[key])) throw new ConfigError(`columns.${key}`, "must name a header");
  }
  for (const key of ["gatewayOrderNo", "refundNo", "gatewayRefundNo", "fee", "merchant"] as const) {
    if (columns[key] !== undefined && !isText(columns[key])) throw new ConfigError(`columns.${key}`, "must name a header when given");
  }
  if (columns.amountUnit !== "fen" && columns.amountUnit !== "yuan") throw new ConfigError("columns.amountUnit", 'must be "fen" or "yuan"');
  if (columns.kind !== undefined && !(isText(columns.kind.column) && isTextList(columns.kind.refund))) {
    throw new ConfigError("columns.kind", "must be { column, refund: [values] }");
  }
  const status = columns.status;
  if (status !== undefined && !(isText(status.column) && isTextList(status.success) && (status.failed === undefined || isTextList(status.failed)))) {
    throw new ConfigError("columns.status", "must be { column, success: [values], failed?: [values] }");
  }
  return columns;
}

export function billCsvSettings(options: BillCsvOptions): BillCsvSettings {
  const columns = checkColumns(options.columns);
  const dayStart = typeof options.date === "string" ? shanghaiDayStart(options.date) : undefined;
  if (dayStart === undefined) throw new ConfigError("date", "must be a day, yyyy-MM-dd");
  if (options.merchant !== undefined && !isText(options.merchant)) throw new ConfigError("merchant", "must be the merchant's id when given");
  const encoding = options.encoding ?? "utf-8";
  if (!ENCODINGS.includes(encoding)) throw new ConfigError("encoding", `must be one of ${ENCODINGS.join(", ")}`);
  const endMarkers = options.endMarkers ?? [];
  if (!Array.isArray(endMarkers) || !endMarkers.every((marker) => typeof marker === "string" && marker !== "")) {
    throw new ConfigError("endMarkers", "must be a list of non-empty strings");
  }
  return {
    columns,
    date: options.date,
    dayStart,
    dayEnd: dayStart + DAY_MS,
    merchant: options.merchant,
    encoding,
    skipLines: count("skipLines", options.skipLines, 0, 0, 1000),
    endMarkers,
    negativeRefundAmounts: options.negativeRefundAmounts === true,
    thousandsSeparators: options.thousandsSeparators === true,
    maxLineChars: count("maxLineChars", options.maxLineChars, 65_536, 64, MAX_LINE_CHARS_LIMIT),
    maxRows: count("maxRows", options.maxRows, 10_000_000, 1, Number.MAX_SAFE_INTEGER),
  };
}
