/**
 * Status tokens: the browser may read an order's status only with the token the create
 * response gave it, so order numbers (often guessable) do not reveal who paid what.
 * A token is HMAC-SHA256 of the order number under `statusTokenSecret`, base64url.
 */
import { createHmac, timingSafeEqual } from "node:crypto";

export interface StatusTokens {
  issue(orderNo: string): string;
  /** Constant-time; false for a missing, malformed or wrong token. */
  verify(orderNo: string, token: unknown): boolean;
}

export function createStatusTokens(secret: string): StatusTokens {
  const issue = (orderNo: string): string => createHmac("sha256", secret).update(orderNo, "utf8").digest("base64url");
  return {
    issue,
    verify(orderNo, token) {
      if (typeof token !== "string") return false;
      const expected = Buffer.from(issue(orderNo), "utf8");
      const given = Buffer.from(token, "utf8");
      // Every token has the same length, so comparing lengths first leaks nothing.
      if (given.length !== expected.length) return false;
      return timingSafeEqual(expected, given);
    },
  };
}
