import { describe, expect, it } from "vitest";
import { GatewayError, InvalidRequestError, NotifyRejectedError } from "../../src/errors.js";
import { fubei, type FubeiConfig } from "../../src/gateways/fubei.js";
import type { CreateOrderInput } from "../../src/gateways/types.js";
import { computeSign, verifySign, type SignRule } from "../../src/signing.js";
import { EXACT_AMOUNTS, NOTIFY_URL, fakeHttp, fixture, formNotify, jsonNotify } from "./helpers.js";

const SECRET = "fubei-test-secret";
const ENVELOPE = ["app_id", "method", "format", "sign_method", "nonce", "version", "biz_content"];
const REQUEST_RULE: SignRule = { skip: "empty", secretJoiner: "", hexCase: "upper", algorithm: "md5", signField: "sign", fields: ENVELOPE };
const NOTIFY_RULE: SignRule = { ...REQUEST_RULE, fields: undefined };
const CONFIG: FubeiConfig = { baseUrl: "https://fubei.test/gateway", appId: "20170601202131300809", appSecret: SECRET, storeId: 3239, cashierId: 34566 };
const MINI: CreateOrderInput = {
  orderNo: "201709191504852712157",
  amountFen: 1,
  channel: "wechat",
  scene: "mini",
  openId: "oODbw0Aiss8lP5aPvFq9-_F4H9LA",
  notifyUrl: `${NOTIFY_URL}fubei`,
  description: "abcd",
  attach: "订单:123456",
};

function bizOf(sent: Record<string, unknown>): Record<string, unknown> {
  return JSON.parse(sent.biz_content as string) as Record<string, unknown>;
}

describe("fubei createOrder", () => {
  it("reads the document's example: data.sign_params, unchanged, as the wechat params", async () => {
    const { http } = fakeHttp(() => fixture("fubei-success.json"));
    await expect(fubei(CONFIG).createOrder(MINI, http)).resolves.toEqual({
      gatewayOrderNo: "20170911132248098178",
      action: {
        type: "wechat",
        params: {
          appId: "wxab93d4b3b6938cd7",
          timeStamp: "1505107369",
          nonceStr: "59b61da935ba4",
          package: "prepay_id=wx20170911132254c8d30e59860257709321",
          signType: "RSA",
          paySign: "32F2E42CA0B883B3D36C4445645ECF70",
          store_id: 123456,
          cashier_id: 123456,
          user_id: "",
        },
      },
    });
  });

  it("reads the document's failure example into GatewayError with result_message and sub_code", async () => {
    const { http } = fakeHttp(() => fixture("fubei-error.json"));
    await expect(fubei(CONFIG).createOrder(MINI, http)).rejects.toMatchObject({
      name: "GatewayError",
      message: "订单创建失败",
      gatewayCode: "ERROR_MES",
    });
  });

  it("sends the envelope with biz_content as a JSON string, yuan as a number, signed over the envelope", async () => {
    const fake = fakeHttp(() => fixture("fubei-success.json"));
    await fubei(CONFIG).createOrder(MINI, fake.http);
    expect(fake.requests[0]?.url).toBe("https://fubei.test/gateway");
    const sent = fake.sent();
    expect(Object.keys(sent).sort()).toEqual([...ENVELOPE, "sign"].sort());
    expect(sent).toMatchObject({ app_id: CONFIG.appId, method: "openapi.payment.order.mina", format: "json", sign_method: "md5", version: "1.0" });
    expect(sent.nonce).toMatch(/^[0-9a-f]{32}$/);
    expect(typeof sent.biz_content).toBe("string");
    expect(sent.biz_content).toContain('"total_fee":0.01');
    expect(bizOf(sent)).toEqual({
      merchant_order_sn: MINI.orderNo,
      sub_openid: MINI.openId,
      total_fee: 0.01,
      store_id: 3239,
      cashier_id: 34566,
      call_back_url: `${NOTIFY_URL}fubei`,
      body: "abcd",
      attach: "订单:123456",
    });
    expect(sent.sign).toMatch(/^[0-9A-F]{32}$/);
    expect(verifySign(sent, REQUEST_RULE, SECRET, sent.sign)).toBe(true);
    expect(verifySign({ ...sent, biz_content: (sent.biz_content as string).replace("0.01", "0.02") }, REQUEST_RULE, SECRET, sent.sign)).toBe(false);
  });

  it.each(EXACT_AMOUNTS)("carries %i fen as the exact yuan number", async (fen) => {
    const fake = fakeHttp(() => fixture("fubei-success.json"));
    await fubei(CONFIG).createOrder({ ...MINI, amountFen: fen }, fake.http);
    const text = /"total_fee":([0-9.]+)/.exec(fake.sent().biz_content as string)?.[1] ?? "";
    const [whole, fraction = ""] = text.split(".");
    expect(Number(whole) * 100 + Number(fraction.padEnd(2, "0"))).toBe(fen);
  });

  it.each([
    ["openId", { openId: undefined }],
    ["openId", { openId: "o".repeat(33) }],
    ["orderNo", { orderNo: "n".repeat(33) }],
    ["orderNo", { orderNo: " A1" }],
    ["attach", { attach: "a".repeat(128) }],
    ["call_back_url", { notifyUrl: `https://shop.example.com/${"p".repeat(250)}` }],
  ] as const)("names %s when it breaks the document, before sending", async (field, change) => {
    const fake = fakeHttp(() => fixture("fubei-success.json"));
    const error = await fubei(CONFIG).createOrder({ ...MINI, ...change }, fake.http).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
    expect(fake.requests).toHaveLength(0);
  });

  it("verifies a response that carries a sign, and maps non-JSON to GatewayError", async () => {
    const body = JSON.parse(fixture("fubei-success.json")) as Record<string, unknown>;
    const good = fakeHttp(() => JSON.stringify({ ...body, sign: computeSign(body, NOTIFY_RULE, SECRET) }));
    await expect(fubei(CONFIG).createOrder(MINI, good.http)).resolves.toMatchObject({ gatewayOrderNo: "20170911132248098178" });
    const forged = fakeHttp(() => JSON.stringify({ ...body, sign: computeSign(body, NOTIFY_RULE, "other") }));
    await expect(fubei(CONFIG).createOrder(MINI, forged.http)).rejects.toThrow(/signature/);
    const html = fakeHttp(() => ({ status: 500, headers: {}, body: "Internal Server Error" }));
    await expect(fubei(CONFIG).createOrder(MINI, html.http)).rejects.toThrow(GatewayError);
  });
});

describe("fubei notify", () => {
  const adapter = fubei(CONFIG);
  function notify(data: Record<string, unknown>, resultCode: number | string = 200) {
    const fields = { result_code: resultCode, result_message: "成功", data: JSON.stringify(data) };
    return { ...fields, sign: computeSign(fields, NOTIFY_RULE, SECRET) };
  }
  const paid = { merchant_order_sn: "A1", order_sn: "F1", total_fee: 0.29, trade_state: "SUCCESS", finish_time: "2024-01-02 03:04:05" };

  it.each(EXACT_AMOUNTS)("accepts a signed notify of %i fen in yuan", (fen) => {
    const totalFee = Number(`${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`);
    expect(adapter.verifyNotify(jsonNotify(notify({ ...paid, total_fee: totalFee })))).toEqual({
      orderNo: "A1",
      gatewayOrderNo: "F1",
      amountFen: fen,
      outcome: "paid",
      paidAt: "2024-01-01T19:04:05.000Z",
    });
  });

  it("reads 200 without trade_state as paid, and accepts form-encoded", () => {
    const { trade_state: _state, ...noState } = paid;
    expect(adapter.verifyNotify(jsonNotify(notify(noState))).outcome).toBe("paid");
    const form = notify(paid);
    expect(adapter.verifyNotify(formNotify({ ...form, result_code: "200" })).amountFen).toBe(29);
  });

  it("reads PAYERROR, or a result_code other than 200, as failed", () => {
    expect(adapter.verifyNotify(jsonNotify(notify({ ...paid, trade_state: "PAYERROR" }))).outcome).toBe("failed");
    expect(adapter.verifyNotify(jsonNotify(notify(paid, 400))).outcome).toBe("failed");
  });

  it("rejects tampered data and a missing sign", () => {
    const tampered = { ...notify(paid), data: JSON.stringify({ ...paid, total_fee: 290 }) };
    expect(() => adapter.verifyNotify(jsonNotify(tampered))).toThrow(NotifyRejectedError);
    const { sign: _sign, ...unsignedNotify } = notify(paid);
    expect(() => adapter.verifyNotify(jsonNotify(unsignedNotify))).toThrow(NotifyRejectedError);
  });

  it("replies success / fail", () => {
    expect(adapter.notifyReply.success.body).toBe("success");
    expect(adapter.notifyReply.failure.body).toBe("fail");
  });
});

describe("fubei queryOrder", () => {
  it("calls openapi.payment.order.query and reads trade_state and total_fee", async () => {
    const fake = fakeHttp(() =>
      JSON.stringify({ result_code: 200, result_message: "成功", data: { merchant_order_sn: "A1", order_sn: "F1", trade_state: "SUCCESS", total_fee: 1.15 } }),
    );
    await expect(fubei(CONFIG).queryOrder?.({ orderNo: "A1" }, fake.http)).resolves.toEqual({
      status: "paid",
      amountFen: 115,
      gatewayOrderNo: "F1",
    });
    const sent = fake.sent();
    expect(sent.method).toBe("openapi.payment.order.query");
    expect(bizOf(sent)).toEqual({ merchant_order_sn: "A1" });
    expect(verifySign(sent, REQUEST_RULE, SECRET, sent.sign)).toBe(true);
  });

  it("reads USERPAYING as pending and REVOKED as closed", async () => {
    for (const [word, status] of [["USERPAYING", "pending"], ["REVOKED", "closed"]] as const) {
      const { http } = fakeHttp(() => JSON.stringify({ result_code: 200, data: { trade_state: word } }));
      await expect(fubei(CONFIG).queryOrder?.({ orderNo: "A1" }, http)).resolves.toMatchObject({ status });
    }
  });
});
