/**
 * The fields a caller hands the engine — the browser's create request, the merchant's refund
 * and close calls — each checked by one validator, so a field has one rule wherever it enters.
 * Each throws InvalidRequestError naming the field.
 */
import { InvalidRequestError } from "../errors.js";

/** Letters, digits and _-.|*@, but not `.` or `..`: the status URL of those normalises away. */
const ORDER_NO = /^(?!\.\.?$)[A-Za-z0-9_\-.|*@]{1,64}$/;
/** The same characters for a refund number, which never stands in a URL. */
const REFUND_NO = /^[A-Za-z0-9_\-.|*@]{1,64}$/;
/** A lone UTF-16 surrogate: in a `u` regex a well-formed pair is one code point, never Cs. */
const LONE_SURROGATE = /\p{Cs}/u;

export function checkOrderNo(value: unknown): string {
  if (typeof value !== "string" || !ORDER_NO.test(value)) {
    throw new InvalidRequestError("orderNo must be 1-64 letters, digits or _-.|*@, and not . or ..", "orderNo");
  }
  return value;
}

export function checkRefundNo(value: unknown): string {
  if (typeof value !== "string" || !REFUND_NO.test(value)) throw new InvalidRequestError("refundNo must be 1-64 letters, digits or _-.|*@", "refundNo");
  return value;
}

/** Stored text must be well-formed: a lone surrogate cannot be encoded as UTF-8. */
export function checkWellFormed(value: unknown, field: string): void {
  if (typeof value === "string" && LONE_SURROGATE.test(value)) {
    throw new InvalidRequestError(`${field} must be well-formed text (it has a lone UTF-16 surrogate)`, field);
  }
}

/** An optional text field: absent, or a string of 1 to `maxLength` characters. */
export function checkOptionalText(value: unknown, field: string, maxLength: number): string | undefined {
  if (value !== undefined && (typeof value !== "string" || value.length === 0 || value.length > maxLength)) {
    throw new InvalidRequestError(`${field} must be a string of 1-${maxLength} characters`, field);
  }
  return value;
}

/** A merchant id: a path segment of its notify URL and part of its store keys, so no `:` `~` or `/`. */
const MERCHANT_ID = /^[A-Za-z0-9_-]{1,32}$/;

/** `value` when it is a valid merchant id; else InvalidRequestError naming `merchantId` (the value is not echoed). */
export function checkMerchantId(value: unknown): string {
  if (typeof value !== "string" || !MERCHANT_ID.test(value)) throw new InvalidRequestError("merchantId must be 1-32 letters, digits, _ or -", "merchantId");
  return value;
}

export function isMerchantId(value: unknown): value is string {
  return typeof value === "string" && MERCHANT_ID.test(value);
}
