/** Checks on what a notify or an answer states: the merchant it names, its amount. */
import { GatewayError } from "../../errors.js";
import { textOf } from "./text.js";

/**
 * A notify or query answer that names a merchant (mch_no, store_id, customerNo, ...) must name
 * the configured one: a genuine signature from another merchant of the same platform is not ours.
 * Absent is accepted (the gateway did not say); present and different is rejected.
 */
export function checkMerchant(gateway: string, field: string, value: unknown, configured: string, fail: (message: string) => Error): void {
  if (value === undefined || value === null || value === "") return;
  if (String(value) !== configured) throw fail(`${gateway} ${field} does not name the configured merchant`);
}

/** Runs a money conversion, turning its RangeError into the caller's error. */
export function convertAmount<T>(convert: () => T, fail: (message: string) => Error): T {
  try {
    return convert();
  } catch (error) {
    throw fail(error instanceof Error ? error.message : "unreadable amount");
  }
}

/**
 * A query answer's amount in integer fen. The answer may leave it out (absent or null); one it
 * sends must read exactly, else a GatewayError naming `field`.
 */
export function queryAmountFen(gateway: string, field: string, value: unknown, toFen: (text: string) => number): number | undefined {
  if (value === undefined || value === null) return undefined;
  const fail = (message: string): GatewayError => new GatewayError(gateway, message);
  const text = textOf(value);
  if (text === undefined) throw fail(`${gateway} query answered an unreadable ${field}`);
  return convertAmount(() => toFen(text), fail);
}
