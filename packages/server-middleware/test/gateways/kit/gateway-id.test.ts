import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { GATEWAY_ID_PATTERN, checkGatewayId } from "../../../src/gateways/kit/gateway-id.js";
import { upaas } from "../../../src/gateways/upaas/adapter.js";

describe("checkGatewayId: the one gateway-id rule", () => {
  it("accepts 1-32 letters, digits, _ or -", () => {
    for (const id of ["a", "upaas", "fubei-hk_2", "x".repeat(32)]) {
      expect(checkGatewayId(id, "gateways.x.id")).toBe(id);
      expect(GATEWAY_ID_PATTERN.test(id)).toBe(true);
    }
  });

  it("throws ConfigError naming the option, never echoing the id", () => {
    for (const id of ["", "x".repeat(33), "a/b", "a b", "ü", 7, undefined, null]) {
      let thrown: unknown;
      try {
        checkGatewayId(id, "gateways.upaas.id");
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(ConfigError);
      expect(thrown).toMatchObject({ option: "gateways.upaas.id" });
      expect((thrown as Error).message).toContain("must be 1-32 letters, digits, _ or -");
      if (typeof id === "string" && id !== "") expect((thrown as Error).message).not.toContain(id);
    }
  });

  it("is the rule every adapter's id setting keeps", () => {
    expect(() => upaas({ id: "bad id", storeNum: "1234567", key: "k" })).toThrow(expect.objectContaining({ option: "gateways.upaas.id" }));
  });
});
