/**
 * Status tokens: the browser may read an order's status only with the token the create
 * response gave it, so order numbers (often guessable) do not reveal who paid what.
 *
 * A token is `<expiry>.<mac>`: the expiry in whole seconds since the epoch (decimal), and
 * HMAC-SHA256 of `<expiry>.<orderNo>` under `statusTokenSecret`, base64url. The expiry is the
 * order's creation time plus `statusTokenTtlMs`, so every create answer for one order carries
 * the same token, and a token stops working once the payment's life is over.
 *
 * A merchant's token (several merchants in one process) is `<merchantId>~<expiry>.<mac>`, the
 * mac over `<merchantId>~<expiry>.<orderNo>`: it names the merchant, so the status route knows
 * whose order to read, and it verifies only for that merchant's order of that number.
 *
 * Tokens of the first release (a bare HMAC of the order number, no expiry) are refused: they
 * would never expire, and a payer holding one gets a fresh token by posting the order again.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface StatusTokens {
  /** The token for an order created at `createdAtMs`. */
  issue(orderNo: string, createdAtMs: number): string;
  /** Constant-time; false for a missing, malformed, expired or wrong token. */
  verify(orderNo: string, token: unknown, nowMs?: number): boolean;
}

const TOKEN = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/;

/** The merchant a merchant's token names (`<merchantId>~…`); undefined for a single-shop token. */
export function tokenMerchant(token: unknown): string | undefined {
  if (typeof token !== "string") return undefined;
  const tilde = token.indexOf("~");
  return tilde > 0 ? token.slice(0, tilde) : undefined;
}

/** `merchantId`: the tokens of that merchant's orders; absent in a single-shop setup. */
export function createStatusTokens(secret: string, ttlMs: number, merchantId?: string): StatusTokens {
  const prefix = merchantId === undefined ? "" : `${merchantId}~`;
  const mac = (orderNo: string, expiry: string): string =>
    createHmac("sha256", secret).update(`${prefix}${expiry}.${orderNo}`, "utf8").digest("base64url");
  return {
    issue(orderNo, createdAtMs) {
      const expiry = String(Math.ceil((createdAtMs + ttlMs) / 1000));
      return `${prefix}${expiry}.${mac(orderNo, expiry)}`;
    },
    verify(orderNo, token, nowMs = Date.now()) {
      if (typeof token !== "string" || !token.startsWith(prefix)) return false;
      const match = TOKEN.exec(token.slice(prefix.length));
      if (!match) return false;
      const [, expiry = "", given = ""] = match;
      // Both are 43 base64url characters, so comparing them leaks nothing but equality.
      const valid = timingSafeEqual(Buffer.from(mac(orderNo, expiry), "utf8"), Buffer.from(given, "utf8"));
      return valid && Number(expiry) * 1000 > nowMs;
    },
  };
}
