import { describe, expect, it } from "vitest";
import { ConfigError, InvalidRequestError } from "../../../src/errors.js";
import { configInteger, configText, configUrl, optionalText, requiredFen, requiredText } from "../../../src/gateways/kit/validate.js";

function fieldOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidRequestError) return error.field;
    throw error;
  }
  return undefined;
}

describe("request field checks", () => {
  it("requiredText names the field when missing, empty, too long or off-pattern", () => {
    expect(fieldOf(() => requiredText(undefined, "openId"))).toBe("openId");
    expect(fieldOf(() => requiredText("", "openId"))).toBe("openId");
    expect(fieldOf(() => requiredText("abcd", "orderNo", { max: 3 }))).toBe("orderNo");
    expect(fieldOf(() => requiredText(" a", "orderNo", { pattern: /^\S/ }))).toBe("orderNo");
    expect(requiredText("abc", "orderNo", { max: 3 })).toBe("abc");
  });

  it("optionalText lets absence through and checks a present value", () => {
    expect(optionalText(undefined, "attach", { max: 2 })).toBeUndefined();
    expect(optionalText("", "attach", { max: 2 })).toBeUndefined();
    expect(fieldOf(() => optionalText("abc", "attach", { max: 2 }))).toBe("attach");
  });

  it("requiredFen refuses zero, fractions and amounts past the maximum", () => {
    for (const bad of [0, 1.5, -1, 10_000_000_000, Number.NaN]) expect(fieldOf(() => requiredFen(bad, "amountFen"))).toBe("amountFen");
    expect(requiredFen(9_999_999_999, "amountFen")).toBe(9_999_999_999);
  });

  it("never echoes the value in the message", () => {
    expect(() => requiredText("topsecretvalue", "key", { max: 3 })).toThrow(expect.not.objectContaining({ message: expect.stringContaining("topsecret") }));
  });
});

describe("configuration checks", () => {
  it("name the option and never echo the value", () => {
    expect(() => configText("", "gateways.x.key")).toThrow(ConfigError);
    expect(() => configText("hidden-key-value", "gateways.x.key", 3)).toThrow(expect.objectContaining({ option: "gateways.x.key" }));
    expect(() => configText("hidden-key-value", "gateways.x.key", 3)).toThrow(expect.not.objectContaining({ message: expect.stringContaining("hidden") }));
    expect(() => configUrl("not a url", "gateways.x.baseUrl")).toThrow(ConfigError);
    expect(configUrl("https://a.test/base/", "gateways.x.baseUrl")).toBe("https://a.test/base");
    expect(() => configInteger(12345678901, "gateways.x.storeId", 10)).toThrow(ConfigError);
    expect(configInteger(3239, "gateways.x.storeId", 10)).toBe(3239);
  });
});
