/**
 * Key rotation through the common settings (kit/settings.ts `previousKeys`): during the window the
 * old and the new key both verify what the gateway signs; only the new key signs what we send.
 * Tried on two gateways with different signing rules (upaas, xiangma).
 */
import { describe, expect, it } from "vitest";
import { NotifyRejectedError } from "../../../src/errors.js";
import { COMMON_SIGN_RULE, computeSign, verifySign, type SignRule } from "../../../src/gateways/kit/signing.js";
import { upaas } from "../../../src/gateways/upaas/adapter.js";
import { xiangma } from "../../../src/gateways/xiangma/adapter.js";
import { redactGatewayText } from "../../../src/redact.js";
import { CONFIG as XIANGMA_CONFIG, RULE as XIANGMA_RULE } from "../xiangma-fixtures.js";
import { fakeHttp, jsonNotify } from "../helpers.js";

const OLD = "old-merchant-key-0001";
const NEW = "new-merchant-key-0002";
const OTHER = "another-merchants-key-0003";
const UPAAS_RULE: SignRule = { ...COMMON_SIGN_RULE, hexCase: "lower" };

const cases = [
  {
    name: "upaas",
    make: (previousKeys?: string[]) => upaas({ baseUrl: "https://upaas.test", storeNum: "1234567", key: NEW, ...(previousKeys ? { previousKeys } : {}) }),
    rule: UPAAS_RULE,
    paid: { merchant_order_no: "A1", order_number: "G1", amount: "0.01", status: "SUCCESS", pay_time: "2024-01-02 03:04:05" },
  },
  {
    name: "xiangma",
    make: (previousKeys?: string[]) => xiangma({ ...XIANGMA_CONFIG, key: NEW, ...(previousKeys ? { previousKeys } : {}) }),
    rule: XIANGMA_RULE,
    paid: { pay_trace_no: "A1", total_amount: "1", trade_no: "X1", result_code: "PAY_SUCCESS", pay_time: "20240102030405", attach: "" },
  },
] as const;

describe.each(cases)("key rotation on $name", ({ make, rule, paid }) => {
  const signedBy = (key: string) => jsonNotify({ ...paid, sign: computeSign(paid, rule, key) });

  it("during the window a notify signed with the old or the new key verifies, another key's does not", () => {
    const adapter = make([OLD]);
    expect(adapter.verifyNotify(signedBy(OLD)).amountFen).toBe(1);
    expect(adapter.verifyNotify(signedBy(NEW)).amountFen).toBe(1);
    expect(() => adapter.verifyNotify(signedBy(OTHER))).toThrow(NotifyRejectedError);
  });

  it("after the window (previousKeys removed) the old key's notify is refused", () => {
    expect(() => make().verifyNotify(signedBy(OLD))).toThrow(NotifyRejectedError);
    expect(make().verifyNotify(signedBy(NEW)).amountFen).toBe(1);
  });

  it("the old key is redacted from gateway text like the current one", () => {
    make([OLD]);
    expect(redactGatewayText(`echo ${OLD}`)).toBe("echo [redacted]");
  });
});

describe("key rotation: what we send is signed with the new key only", () => {
  it("upaas signs its requests with the new key", async () => {
    const fake = fakeHttp(() => JSON.stringify({ code: "999999", message: "no" }));
    const adapter = upaas({ baseUrl: "https://upaas.test", storeNum: "1234567", key: NEW, previousKeys: [OLD], verifyResponseSign: false, wxAppId: "wx-config-app" });
    await adapter
      .createOrder({ orderNo: "A1", amountFen: 1, channel: "wechat", scene: "jsapi", openId: "o-user-1", notifyUrl: "https://shop.example/pay/notify/upaas" }, fake.http)
      .catch(() => undefined);
    const sent = fake.sent();
    expect(verifySign(sent, UPAAS_RULE, NEW, sent.sign)).toBe(true);
    expect(verifySign(sent, UPAAS_RULE, OLD, sent.sign)).toBe(false);
  });

  it("previousKeys is checked: an array of at most 3 non-empty strings", () => {
    for (const bad of ["old", [""], ["a", "b", "c", "d"], [1]]) {
      expect(() => upaas({ baseUrl: "https://upaas.test", storeNum: "1234567", key: NEW, previousKeys: bad as never })).toThrow(
        expect.objectContaining({ option: "gateways.upaas.previousKeys" }),
      );
    }
  });
});
