import { describe, expect, it, vi } from "vitest";
import { GatewayError, InvalidRequestError, NotifyRejectedError } from "../../src/errors.js";
import type { CreateOrderInput } from "../../src/gateways/types.js";
import { xiangma, type XiangmaConfig } from "../../src/gateways/xiangma.js";
import { computeSign, verifySign, type SignRule } from "../../src/signing.js";
import { EXACT_AMOUNTS, NOTIFY_URL, fakeHttp, fixture, formNotify, jsonNotify } from "./helpers.js";

const KEY = "xiangma-test-key";
const RULE: SignRule = { skip: "null", secretJoiner: "&key=", hexCase: "lower", algorithm: "md5", signField: "sign" };
const CONFIG: XiangmaConfig = { baseUrl: "http://xiangma.test", instNo: "60000001", mchNo: "Y52212190001", key: KEY };
const WECHAT: CreateOrderInput = {
  orderNo: "998877665544332018",
  amountFen: 1,
  channel: "wechat",
  scene: "h5",
  notifyUrl: `${NOTIFY_URL}xiangma`,
};
const unsigned = { ...CONFIG, verifyResponseSign: false };

/** A response as the gateway signs it: every field but `sign`, nulls skipped, "" signed. */
function signed(fields: Record<string, unknown>, key = KEY): Record<string, unknown> {
  return { ...fields, sign: computeSign(fields, RULE, key) };
}

const baseResponse = {
  return_code: "SUCCESS",
  return_msg: "预支付成功",
  result_code: "PAY_SUCCESS",
  pay_trace_no: "A1",
  total_amount: "1",
  trade_no: "X1",
  shop_name: "",
  appId: null,
  ali_trade_no: null,
  code_url: null,
};

describe("xiangma createOrder reads the document's example responses", () => {
  it("WeChat example (no JSAPI fields): code_url becomes a redirect, trade_no the gateway order", async () => {
    const { http } = fakeHttp(() => fixture("xiangma-wechat.json"));
    await expect(xiangma(unsigned).createOrder(WECHAT, http)).resolves.toEqual({
      gatewayOrderNo: "200001102F4623030615082110001",
      action: { type: "redirect", url: "https://pay.congmingpay.com/pay/scene/h5tominiapp_new.html?order_id=h5_20230306151092052057" },
    });
  });

  it("Alipay example: code_url becomes a redirect; its PAY_SUCCESS marks nothing paid", async () => {
    const { http } = fakeHttp(() => fixture("xiangma-alipay.json"));
    const created = await xiangma(unsigned).createOrder({ ...WECHAT, channel: "alipay", orderNo: "998877665544332019" }, http);
    expect(created.gatewayOrderNo).toBe("200001102F3323030620075610002");
    expect(created.action).toMatchObject({ type: "redirect", url: expect.stringMatching(/^https:\/\/pay\.congmingpay\.com\/pay\/buypay\.do\?/) });
    expect(created).not.toHaveProperty("status");
  });

  it("rejects the example when its signature is checked (it is under another key)", async () => {
    const { http } = fakeHttp(() => fixture("xiangma-wechat.json"));
    await expect(xiangma(CONFIG).createOrder(WECHAT, http)).rejects.toThrow(/signature/);
  });
});

describe("xiangma createOrder", () => {
  it("sends the document's request fields, fen as a string and a verifiable lower-case sign", async () => {
    const fake = fakeHttp(() => fixture("xiangma-wechat.json"));
    await xiangma(unsigned).createOrder({ ...WECHAT, openId: "o-1" }, fake.http);
    expect(fake.requests[0]?.url).toBe("http://xiangma.test/api/openpay/v3/h5pay");
    const sent = fake.sent();
    const documented = Object.keys(JSON.parse(fixture("xiangma-request.json")) as object);
    expect(Object.keys(sent).sort()).toEqual([...documented, "notify_url", "open_id"].sort());
    expect(sent).toMatchObject({ inst_no: "60000001", mch_no: "Y52212190001", pay_type: "400", pay_trace_no: WECHAT.orderNo, total_amount: "1" });
    expect(sent.pay_time).toMatch(/^20\d{12}$/);
    expect(sent.sign).toMatch(/^[0-9a-f]{32}$/);
    expect(verifySign(sent, RULE, KEY, sent.sign)).toBe(true);
  });

  it("uses pay_type 300 for Alipay and 600 for UnionPay", async () => {
    for (const [channel, payType] of [["alipay", "300"], ["unionpay", "600"]] as const) {
      const fake = fakeHttp(() => fixture("xiangma-alipay.json"));
      await xiangma(unsigned).createOrder({ ...WECHAT, channel }, fake.http);
      expect(fake.sent().pay_type).toBe(payType);
    }
  });

  it("pay_time is the current time in Asia/Shanghai (UTC+8, across midnight)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2024-01-01T16:30:05Z"));
      const fake = fakeHttp(() => fixture("xiangma-wechat.json"));
      await xiangma(unsigned).createOrder(WECHAT, fake.http);
      expect(fake.sent().pay_time).toBe("20240102003005");
    } finally {
      vi.useRealTimers();
    }
  });

  it.each(EXACT_AMOUNTS)("carries %i fen as that digit string", async (fen) => {
    const fake = fakeHttp(() => fixture("xiangma-wechat.json"));
    await xiangma(unsigned).createOrder({ ...WECHAT, amountFen: fen }, fake.http);
    expect(fake.sent().total_amount).toBe(String(fen));
  });

  it("reads top-level WeChat fields: packages → package, millisecond timeStamp → 10-digit seconds", async () => {
    const body = signed({
      ...baseResponse,
      appId: "wx1",
      timeStamp: "1414561699123",
      nonceStr: "n1",
      packages: "prepay_id=123456789",
      signType: "MD5",
      paySign: "PS",
    });
    const { http } = fakeHttp(() => JSON.stringify(body));
    await expect(xiangma(CONFIG).createOrder(WECHAT, http)).resolves.toEqual({
      gatewayOrderNo: "X1",
      action: {
        type: "wechat",
        params: { appId: "wx1", timeStamp: "1414561699", nonceStr: "n1", package: "prepay_id=123456789", signType: "MD5", paySign: "PS" },
      },
    });
  });

  it("reads ali_trade_no as the Alipay action", async () => {
    const { http } = fakeHttp(() => JSON.stringify(signed({ ...baseResponse, ali_trade_no: "2088T" })));
    await expect(xiangma(CONFIG).createOrder({ ...WECHAT, channel: "alipay" }, http)).resolves.toMatchObject({
      action: { type: "alipay", tradeNO: "2088T" },
    });
  });

  it("rejects a response signed with another key", async () => {
    const { http } = fakeHttp(() => JSON.stringify(signed({ ...baseResponse, ali_trade_no: "2088T" }, "other")));
    await expect(xiangma(CONFIG).createOrder(WECHAT, http)).rejects.toThrow(GatewayError);
  });

  it.each([
    ["orderNo", { orderNo: undefined }],
    ["orderNo", { orderNo: "n".repeat(33) }],
    ["amountFen", { amountFen: 1.5 }],
  ] as const)("names %s when it breaks the document, before sending", async (field, change) => {
    const fake = fakeHttp(() => fixture("xiangma-wechat.json"));
    const error = await xiangma(unsigned).createOrder({ ...WECHAT, ...change } as CreateOrderInput, fake.http).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
    expect(fake.requests).toHaveLength(0);
  });

  it("maps return_code FAIL to GatewayError with return_msg, and a PAY_FAIL create too", async () => {
    const fail = fakeHttp(() => JSON.stringify({ return_code: "FAIL", return_msg: "参数不合法" }));
    await expect(xiangma(CONFIG).createOrder(WECHAT, fail.http)).rejects.toMatchObject({ name: "GatewayError", message: "参数不合法" });
    const payFail = fakeHttp(() => JSON.stringify(signed({ ...baseResponse, result_code: "PAY_FAIL", return_msg: "商户已冻结" })));
    await expect(xiangma(CONFIG).createOrder(WECHAT, payFail.http)).rejects.toMatchObject({ message: "商户已冻结" });
    const html = fakeHttp(() => "<html></html>");
    await expect(xiangma(CONFIG).createOrder(WECHAT, html.http)).rejects.toThrow(GatewayError);
  });
});

describe("xiangma notify", () => {
  const adapter = xiangma(CONFIG);
  const paid = { pay_trace_no: "A1", total_amount: "29", trade_no: "X1", result_code: "PAY_SUCCESS", pay_time: "20240102030405", attach: "" };

  it.each(EXACT_AMOUNTS)("accepts a signed notify of %i fen", (fen) => {
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, total_amount: String(fen) })))).toEqual({
      orderNo: "A1",
      gatewayOrderNo: "X1",
      amountFen: fen,
      outcome: "paid",
    });
  });

  it("signs empty strings: dropping one breaks the signature", () => {
    const { attach: _attach, ...withoutAttach } = signed(paid);
    expect(() => adapter.verifyNotify(jsonNotify(withoutAttach))).toThrow(NotifyRejectedError);
  });

  it("accepts form-encoded and reads PAY_FAIL as failed", () => {
    const fields = signed({ ...paid, result_code: "PAY_FAIL" }) as Record<string, string>;
    expect(adapter.verifyNotify(formNotify(fields)).outcome).toBe("failed");
  });

  it("rejects a tampered amount and a missing sign", () => {
    expect(() => adapter.verifyNotify(jsonNotify({ ...signed(paid), total_amount: "2900" }))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(jsonNotify(paid))).toThrow(NotifyRejectedError);
  });

  it("replies with the documented JSON", () => {
    expect(JSON.parse(adapter.notifyReply.success.body)).toEqual({ return_code: "SUCCESS", return_msg: "成功" });
    expect(adapter.notifyReply.success.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(adapter.notifyReply.failure.body)).toMatchObject({ return_code: "FAIL" });
  });
});

describe("xiangma queryOrder", () => {
  it("posts query_trace_no and trade_no, signed, and reads result_code", async () => {
    const fake = fakeHttp(() => JSON.stringify(signed({ ...baseResponse, result_code: "PAY_SUCCESS", total_amount: "115" })));
    await expect(xiangma(CONFIG).queryOrder?.({ orderNo: "A1", gatewayOrderNo: "X1" }, fake.http)).resolves.toEqual({
      status: "paid",
      amountFen: 115,
      orderNo: "A1",
      gatewayOrderNo: "X1",
    });
    expect(fake.requests[0]?.url).toBe("http://xiangma.test/xypay/v3/queryorder");
    const sent = fake.sent();
    expect(sent).toMatchObject({ inst_no: "60000001", mch_no: "Y52212190001", query_trace_no: "A1", trade_no: "X1" });
    expect(verifySign(sent, RULE, KEY, sent.sign)).toBe(true);
  });

  it("reads PAY_IN_PROCESS as pending", async () => {
    const { http } = fakeHttp(() => JSON.stringify(signed({ ...baseResponse, result_code: "PAY_IN_PROCESS" })));
    await expect(xiangma(CONFIG).queryOrder?.({ orderNo: "A1" }, http)).resolves.toMatchObject({ status: "pending" });
  });
});
