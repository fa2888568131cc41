/**
 * A bill's amounts as signed integer fen, exactly: the digits go through @paybridge/shared's
 * yuanStringToFen / fenStringToFen, never through a float. Anything else is refused with a reason
 * in our words (the cell's text is not repeated).
 */
import { MAX_FEN, fenStringToFen, fenToYuanString, yuanStringToFen } from "@paybridge/shared";

export interface AmountRules {
  unit: "fen" | "yuan";
  /** Accept `1,234.00` (comma groups of three; yuan only). */
  thousandsSeparators: boolean;
}

const YUAN = /^(-?)(\d+(?:\.\d{1,2})?)$/;
const YUAN_GROUPED = /^(-?)(\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?)$/;
const FEN = /^(-?)(\d+)$/;

/** Signed fen, or why the text is not an amount (a phrase: "has more than 2 decimals"). */
export function signedFen(text: string, rules: AmountRules): number | string {
  if (text === "") return "is empty";
  const m = rules.unit === "fen" ? FEN.exec(text) : (YUAN.exec(text) ?? (rules.thousandsSeparators ? YUAN_GROUPED.exec(text) : null));
  if (!m) return rules.unit === "fen" ? fenReason(text) : yuanReason(text, rules.thousandsSeparators);
  const digits = m[2] ?? "";
  let fen: number;
  try {
    fen = rules.unit === "fen" ? fenStringToFen(digits) : yuanStringToFen(digits.replaceAll(",", ""));
  } catch {
    return `is over the largest amount (${MAX_FEN} fen, ${fenToYuanString(MAX_FEN)} yuan)`;
  }
  return m[1] === "-" && fen !== 0 ? -fen : fen;
}

function yuanReason(text: string, grouped: boolean): string {
  if (/^-?[\d,]+\.\d{3,}$/.test(text)) return "has more than 2 decimals";
  if (/^-?[\d,]+(?:\.\d+)?$/.test(text)) {
    return grouped ? "has misplaced thousands separators" : "has thousands separators (the `thousandsSeparators` option reads `1,234.00`)";
  }
  return "is not an amount of yuan (digits, at most 2 decimals)";
}

function fenReason(text: string): string {
  if (/^-?\d+\.\d*$/.test(text)) return "is not a whole number of fen (the amount unit is fen)";
  return "is not an amount of fen (digits only)";
}
