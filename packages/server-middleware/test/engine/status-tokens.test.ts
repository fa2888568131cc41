import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { createStatusTokens } from "../../src/engine/status-tokens.js";

const SECRET = "a-status-token-secret-of-32-chars!";
const DAY_MS = 24 * 60 * 60 * 1000;
const CREATED_MS = Date.UTC(2026, 10, 30, 4, 0, 0);
const EXPIRY = String((CREATED_MS + DAY_MS) / 1000);

describe("status tokens", () => {
  const tokens = createStatusTokens(SECRET, DAY_MS);
  const issued = tokens.issue("A1", CREATED_MS);

  it("are <expiry seconds>.<HMAC-SHA256 of `<expiry>.<orderNo>`, base64url>", () => {
    expect(issued).toBe(`${EXPIRY}.${createHmac("sha256", SECRET).update(`${EXPIRY}.A1`).digest("base64url")}`);
  });

  it("verify their own order only", () => {
    expect(tokens.verify("A1", issued, CREATED_MS)).toBe(true);
    expect(tokens.verify("A2", issued, CREATED_MS)).toBe(false);
  });

  it("work until the order's creation plus the lifetime, and not after", () => {
    expect(tokens.verify("A1", issued, CREATED_MS + DAY_MS - 1)).toBe(true);
    expect(tokens.verify("A1", issued, CREATED_MS + DAY_MS)).toBe(false);
  });

  it("follow the configured lifetime", () => {
    const short = createStatusTokens(SECRET, 60_000);
    const token = short.issue("A1", CREATED_MS);
    expect(short.verify("A1", token, CREATED_MS + 59_999)).toBe(true);
    expect(short.verify("A1", token, CREATED_MS + 60_000)).toBe(false);
  });

  it("are the same for every answer about one order", () => {
    expect(tokens.issue("A1", CREATED_MS)).toBe(issued);
  });

  it("do not verify under another secret", () => {
    const other = createStatusTokens("another-secret-that-is-32-chars-long", DAY_MS);
    expect(other.issue("A1", CREATED_MS)).not.toBe(issued);
    expect(tokens.verify("A1", other.issue("A1", CREATED_MS), CREATED_MS)).toBe(false);
  });

  const later = String(Number(EXPIRY) + 3600);
  it.each([
    ["missing", undefined],
    ["empty", ""],
    ["an array", [issued]],
    ["truncated", issued.slice(0, -1)],
    ["extended", `${issued}A`],
    ["altered", `${issued.slice(0, -1)}${issued.endsWith("A") ? "B" : "A"}`],
    ["given a later expiry", `${later}.${issued.split(".")[1]}`],
    ["without its expiry", issued.split(".")[1]],
    ["of the first release (no expiry)", createHmac("sha256", SECRET).update("A1").digest("base64url")],
    ["in base64 instead of base64url", `${EXPIRY}.${createHmac("sha256", SECRET).update(`${EXPIRY}.A1`).digest("base64")}`],
  ])("reject a token that is %s", (_name, token) => {
    expect(tokens.verify("A1", token, CREATED_MS)).toBe(false);
  });
});
