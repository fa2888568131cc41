// @ts-check
/**
 * The demo's stand-in for a merchant's order database: the amount is read from the order
 * number itself ("A-250" → 250 fen), so any order number can be paid. A real resolveOrder
 * looks the order up; the browser never says how much.
 */
import { MAX_FEN } from "@paybridge/shared";

/** The digits after the last "-" as fen when they are a payable amount, else 1 fen. */
export function amountFenOf(/** @type {string} */ orderNo) {
  const digits = /-(\d{1,10})$/.exec(orderNo)?.[1];
  const fen = digits === undefined ? 0 : Number(digits);
  return fen >= 1 && fen <= MAX_FEN ? fen : 1;
}
