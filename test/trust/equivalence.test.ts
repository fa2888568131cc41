/**
 * What the mutation tests may leave unsent: exactly the mutants whose signed content is the
 * original's. Shown here on a notify-like body, so the exclusion is precise and auditable.
 */
import { describe, expect, it } from "vitest";
import { COMMON_SIGN_RULE, type SignRule } from "../../packages/server-middleware/src/gateways/kit/signing.js";
import { isSignedEquivalent } from "./support/equivalence.js";

const original = JSON.stringify({ order_no: "A1", total_amount: 100, status: "SUCCESS", attach: null, sign: "ABCDEF0123" });
const rule: SignRule = COMMON_SIGN_RULE;
const equivalent = (text: string, signRule: SignRule = rule) => isSignedEquivalent(original, Buffer.from(text, "utf8"), signRule);

describe("a mutant counts as the same signed notify", () => {
  it.each([
    ["with whitespace outside strings", original.replace(/,/g, " ,\n ")],
    ["with keys in another order", JSON.stringify({ sign: "ABCDEF0123", status: "SUCCESS", total_amount: 100, order_no: "A1", attach: null })],
    ["with an escape for a plain character", original.replace('"A1"', '"\\u0041\\u0031"')],
    ["with a number spelled differently", original.replace("100", "1e2")],
    ["with an overridden duplicate key", `{"status":"FAIL",${original.slice(1)}`],
    ["with the sign re-cased", original.replace("ABCDEF0123", "abcdef0123")],
    ["with the same text as another JSON type", original.replace("100", '"100"')],
    ["without a null the rule does not sign", original.replace('"attach":null,', "")],
  ])("%s", (_case, text) => {
    expect(equivalent(text)).toBe(true);
  });
});

describe("a mutant counts as a different notify", () => {
  it.each([
    ["with a value changed", original.replace('"A1"', '"A2"')],
    ["with a value's case changed", original.replace("SUCCESS", "success")],
    ["with a winning duplicate key", `${original.slice(0, -1)},"status":"FAIL"}`],
    ["with a sign digit changed", original.replace("ABCDEF0123", "ABCDEF0124")],
    ["without its sign", original.replace(',"sign":"ABCDEF0123"', "")],
    ["with a key renamed", original.replace('"status"', '"Status"')],
    ["with a field merged into another", JSON.stringify({ order_no: "A1", total_amount: "100&status=SUCCESS", attach: null, sign: "ABCDEF0123" })],
    ["with a signed empty string where the rule signs empties", original.replace('"attach":null', '"attach":""')],
    ["that is not JSON", original.slice(0, -1)],
    ["that is a JSON array", `[${original}]`],
  ])("%s", (_case, text) => {
    const signsEmpty: SignRule = { ...rule, skip: "null" };
    expect(equivalent(text, signsEmpty)).toBe(false);
  });
});
