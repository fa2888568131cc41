/** Plain-text output: aligned tables, `key  value` lines and yuan amounts from integer fen. */
import { fenToYuanString } from "@paybridge/shared";

/** 1234 → "12.34", -50 → "-0.50" (a refund's fee may be negative). */
export function yuan(fen: number): string {
  return fen < 0 ? `-${fenToYuanString(-fen)}` : fenToYuanString(fen);
}

/** Text fit for one terminal cell: control characters (a bill's or a notify's) never reach the terminal. */
export function cell(value: unknown): string {
  if (value === undefined || value === null) return "";
  return String(value).replace(/[\u0000-\u001f\u007f-\u009f]+/g, " ");
}

/** Columns padded to their widest cell, a header line first; "(none)" when there are no rows. */
export function table(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  if (rows.length === 0) return "(none)\n";
  const texts = rows.map((row) => header.map((_, column) => cell(row[column])));
  const widths = header.map((title, column) => Math.max(title.length, ...texts.map((row) => (row[column] ?? "").length)));
  const line = (row: readonly string[]): string => row.map((text, column) => text.padEnd(widths[column] ?? 0)).join("  ").trimEnd();
  return `${[line(header), ...texts.map(line)].join("\n")}\n`;
}

/** `key  value` lines, keys aligned; absent values left out. */
export function fields(pairs: readonly (readonly [string, unknown])[]): string {
  const present = pairs.filter(([, value]) => value !== undefined && value !== null);
  const width = Math.max(0, ...present.map(([key]) => key.length));
  return present.map(([key, value]) => `${key.padEnd(width)}  ${cell(value)}\n`).join("");
}
