import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createStatusTokens } from "../src/status-token.js";

const SECRET = "a-status-token-secret-of-32-chars!";

describe("status tokens", () => {
  const tokens = createStatusTokens(SECRET);

  it("are HMAC-SHA256 of the order number, base64url", () => {
    const token = tokens.issue("A1");
    expect(token).toBe(createHmac("sha256", SECRET).update("A1").digest("base64url"));
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it("verify their own order only", () => {
    expect(tokens.verify("A1", tokens.issue("A1"))).toBe(true);
    expect(tokens.verify("A2", tokens.issue("A1"))).toBe(false);
  });

  it("do not verify under another secret", () => {
    const other = createStatusTokens("another-secret-that-is-32-chars-long");
    expect(other.issue("A1")).not.toBe(tokens.issue("A1"));
    expect(tokens.verify("A1", other.issue("A1"))).toBe(false);
  });

  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["an array", [tokens.issue("A1")]],
    ["truncated", tokens.issue("A1").slice(0, -1)],
    ["extended", `${tokens.issue("A1")}A`],
    ["altered", `${tokens.issue("A1").startsWith("A") ? "B" : "A"}${tokens.issue("A1").slice(1)}`],
    ["in base64 instead of base64url", createHmac("sha256", SECRET).update("A1").digest("base64")],
  ])("reject a token that is %s", (_name, token) => {
    expect(tokens.verify("A1", token)).toBe(false);
  });
});
