import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { COMMON_SIGN_RULE, canonicalString, computeSign, createSigner, verifySign, type SignRule } from "../../../src/gateways/kit/signing.js";

const md5 = (text: string) => createHash("md5").update(text, "utf8").digest("hex");
const rule = (overrides: Partial<SignRule>): SignRule => ({ ...COMMON_SIGN_RULE, ...overrides });

describe("computeSign", () => {
  it("matches WeChat Pay v2's published example (common rule, MD5, upper case)", () => {
    const fields = { appid: "wxd930ea5d5a258f4f", mch_id: "10000100", device_info: "1000", body: "test", nonce_str: "ibuaiVcKdpRxkhJA" };
    expect(computeSign(fields, COMMON_SIGN_RULE, "192006250b4c09247ec02edce69f6a2d")).toBe("9A0A8659F005D6984697E2CA0A9CF3B7");
  });

  // fubei's rule shape (sorted `k=v&…`, empties skipped, the secret appended with no separator,
  // MD5) checked against published (fields, key, signature) examples of two other gateways that
  // document the same shape; no fubei or xiangma example with its key is public.
  const SECRET_APPENDED: SignRule = { skip: "empty", secretJoiner: "", hexCase: "upper", algorithm: "md5", signField: "sign" };

  it("matches a published example of the secret-appended rule (easydoc 45090039 'Signature generation')", () => {
    const fields = { apiKey: "testApiKey", customerNo: "test100000", channel: "bank", amount: "100.00", notifyUrl: "http://test.com/getNotify", ip: "127.0.0.1" };
    expect(computeSign(fields, SECRET_APPENDED, "testSecretKey")).toBe("5d50a182db6fa8a347cc85f36ca492f2".toUpperCase());
    expect(verifySign(fields, SECRET_APPENDED, "testSecretKey", "5d50a182db6fa8a347cc85f36ca492f2")).toBe(true);
  });

  it("matches a second published example of the secret-appended rule (kancloud defupay 921626 签名生成算法)", () => {
    const fields = { uid: "1000", timestamp: "1548047628", sign: "" };
    expect(computeSign(fields, SECRET_APPENDED, "58b31d465652be856d7ed80977aa4ce4")).toBe("15540D3398E5ED2A37533E3FC032E1A0");
  });

  it("sorts keys by ASCII code, not locale, and leaves out the sign field", () => {
    const fields = { b: "2", a_b: "3", A: "1", a: "4", sign: "OLD" };
    expect(canonicalString(fields, COMMON_SIGN_RULE)).toBe("A=1&a=4&a_b=3&b=2");
  });

  it("skip: empty drops null, undefined and empty strings", () => {
    const fields = { a: "1", b: "", c: null, d: undefined, e: 0 };
    expect(canonicalString(fields, rule({ skip: "empty" }))).toBe("a=1&e=0");
  });

  it("skip: null signs empty strings but drops null and undefined", () => {
    const fields = { a: "1", b: "", c: null, d: undefined };
    expect(canonicalString(fields, rule({ skip: "null" }))).toBe("a=1&b=");
  });

  it("skip: none signs null as the empty string", () => {
    const fields = { a: "1", b: "", c: null, d: undefined };
    expect(canonicalString(fields, rule({ skip: "none" }))).toBe("a=1&b=&c=");
  });

  it("signs nested objects as their JSON text and numbers as written", () => {
    const fields = { info: { appId: "wx1", n: 2 }, total_fee: 0.01, ok: true };
    expect(canonicalString(fields, COMMON_SIGN_RULE)).toBe('info={"appId":"wx1","n":2}&ok=true&total_fee=0.01');
  });

  it("appends the secret after the joiner: `&key=` or nothing", () => {
    const fields = { b: "2", a: "1" };
    expect(computeSign(fields, rule({ secretJoiner: "&key=", hexCase: "lower" }), "S")).toBe(md5("a=1&b=2&key=S"));
    expect(computeSign(fields, rule({ secretJoiner: "", hexCase: "lower" }), "S")).toBe(md5("a=1&b=2S"));
  });

  it("writes hex in the rule's case", () => {
    const fields = { a: "1" };
    expect(computeSign(fields, rule({ hexCase: "lower" }), "S")).toBe(md5("a=1&key=S"));
    expect(computeSign(fields, rule({ hexCase: "upper" }), "S")).toBe(md5("a=1&key=S").toUpperCase());
  });

  it("hashes with SHA-256 when the rule says so", () => {
    const expected = createHash("sha256").update("a=1&key=S").digest("hex");
    expect(computeSign({ a: "1" }, rule({ algorithm: "sha256", hexCase: "lower" }), "S")).toBe(expected);
  });

  it("signs only the listed fields, and leaves out a custom sign field", () => {
    const envelope = { app_id: "A", biz_content: '{"x":1}', extra: "not signed", signature: "old" };
    const fubeiLike = rule({ fields: ["app_id", "biz_content", "signature"], signField: "signature", secretJoiner: "" });
    expect(canonicalString(envelope, fubeiLike)).toBe('app_id=A&biz_content={"x":1}');
  });

  it("hashes UTF-8", () => {
    expect(computeSign({ body: "测试" }, rule({ hexCase: "lower" }), "S")).toBe(md5("body=测试&key=S"));
  });
});

describe("verifySign", () => {
  const fields = { order: "A1", amount: 100 };
  const secret = "the-secret";
  const good = computeSign(fields, COMMON_SIGN_RULE, secret);

  it("accepts the right signature in either hex case", () => {
    expect(verifySign(fields, COMMON_SIGN_RULE, secret, good)).toBe(true);
    expect(verifySign(fields, COMMON_SIGN_RULE, secret, good.toLowerCase())).toBe(true);
  });

  it("ignores a sign field inside the fields", () => {
    expect(verifySign({ ...fields, sign: good }, COMMON_SIGN_RULE, secret, good)).toBe(true);
  });

  it.each([
    ["one character changed", `${good.slice(0, -1)}${good.endsWith("0") ? "1" : "0"}`],
    ["missing", undefined],
    ["empty", ""],
    ["null", null],
    ["a number", 12345],
    ["shorter", good.slice(0, 31)],
    ["longer", `${good}0`],
    ["a multi-byte string of the same length", "测".repeat(32)],
  ])("rejects a signature that is %s", (_name, signature) => {
    expect(verifySign(fields, COMMON_SIGN_RULE, secret, signature)).toBe(false);
  });

  it("rejects a signature made with another secret or over other fields", () => {
    expect(verifySign(fields, COMMON_SIGN_RULE, secret, computeSign(fields, COMMON_SIGN_RULE, "other"))).toBe(false);
    expect(verifySign({ ...fields, amount: 1 }, COMMON_SIGN_RULE, secret, good)).toBe(false);
  });
});

describe("createSigner", () => {
  it("signs and verifies with its secret, which it does not expose", () => {
    const signer = createSigner("hidden-secret-value", COMMON_SIGN_RULE);
    const sign = signer.sign({ a: "1" });
    expect(sign).toBe(computeSign({ a: "1" }, COMMON_SIGN_RULE, "hidden-secret-value"));
    expect(signer.verify({ a: "1" }, sign)).toBe(true);
    expect(signer.verify({ a: "2" }, sign)).toBe(false);
    expect(JSON.stringify(signer)).not.toContain("hidden-secret-value");
    expect(Object.values(signer).map(String).join(" ")).not.toContain("hidden-secret-value");
  });

  it("keeps its rule even if the caller's rule object changes later", () => {
    const mutable = rule({ hexCase: "lower" });
    const signer = createSigner("S", mutable);
    mutable.hexCase = "upper";
    expect(signer.sign({ a: "1" })).toBe(md5("a=1&key=S"));
  });
});
