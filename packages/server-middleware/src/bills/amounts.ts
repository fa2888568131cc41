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

const MINUS = 45;
const OVER_MAX = `is over the largest amount (${MAX_FEN} fen, ${fenToYuanString(MAX_FEN)} yuan)`;
const GROUPED = /^\d{1,3}(?:,\d{3})+(?:\.\d{1,2})?$/;

/** Signed fen, or why the text is not an amount (a phrase: "has more than 2 decimals"). */
export function signedFen(text: string, rules: AmountRules): number | string {
  if (text === "") return "is empty";
  const negative = text.charCodeAt(0) === MINUS;
  let digits = negative ? text.slice(1) : text;
  if (rules.unit === "yuan" && rules.thousandsSeparators && GROUPED.test(digits)) digits = digits.replaceAll(",", "");
  let fen: number;
  try {
    // The shared helpers check the form (digits, at most 2 decimals for yuan) and the range.
    fen = rules.unit === "fen" ? fenStringToFen(digits) : yuanStringToFen(digits);
  } catch {
    return rules.unit === "fen" ? fenReason(digits) : yuanReason(digits, rules.thousandsSeparators);
  }
  return negative && fen !== 0 ? -fen : fen;
}

/** Why unsigned text failed yuanStringToFen. */
function yuanReason(text: string, grouped: boolean): string {
  if (/^\d+(?:\.\d{1,2})?$/.test(text)) return OVER_MAX;
  if (/^[\d,]+\.\d{3,}$/.test(text)) return "has more than 2 decimals";
  if (/^[\d,]+(?:\.\d+)?$/.test(text)) {
    return grouped ? "has misplaced thousands separators" : "has thousands separators (the `thousandsSeparators` option reads `1,234.00`)";
  }
  return "is not an amount of yuan (digits, at most 2 decimals)";
}

/** Why unsigned text failed fenStringToFen. */
function fenReason(text: string): string {
  if (/^\d+$/.test(text)) return OVER_MAX;
  if (/^\d+\.\d*$/.test(text)) return "is not a whole number of fen (the amount unit is fen)";
  return "is not an amount of fen (digits only)";
}
