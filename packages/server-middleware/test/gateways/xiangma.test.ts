import { describe, expect, it, vi } from "vitest";
import { GatewayError, InvalidRequestError, NotifyRejectedError } from "../../src/errors.js";
import type { CreateOrderInput } from "../../src/gateways/contract.js";
import { xiangma } from "../../src/gateways/xiangma/adapter.js";
import { verifySign } from "../../src/gateways/kit/signing.js";
import { encodeBody, evidence, evidenceText, expectEvidenceShape } from "../support/evidence.js";
import { EXACT_AMOUNTS, fakeHttp, formNotify, jsonNotify } from "./helpers.js";
import { KEY, RULE, CONFIG, WECHAT, unsigned, signed, baseResponse } from "./xiangma-fixtures.js";

describe("xiangma createOrder reads the document's example responses", () => {
  it("WeChat example (no JSAPI fields): code_url becomes a redirect, trade_no the gateway order", async () => {
    const { http } = fakeHttp(() => evidenceText("xiangma", "create-answer-wechat"));
    await expect(xiangma(unsigned).createOrder(WECHAT, http)).resolves.toEqual({
      gatewayOrderNo: "200001102F4623030615082110001",
      action: { type: "redirect", url: "https://pay.congmingpay.com/pay/scene/h5tominiapp_new.html?order_id=h5_20230306151092052057" },
    });
  });

  it("Alipay example: code_url becomes a redirect; its PAY_SUCCESS marks nothing paid", async () => {
    const { http } = fakeHttp(() => evidenceText("xiangma", "create-answer-alipay"));
    const created = await xiangma(unsigned).createOrder({ ...WECHAT, channel: "alipay", orderNo: "998877665544332019" }, http);
    expect(created.gatewayOrderNo).toBe("200001102F3323030620075610002");
    expect(created.action).toMatchObject({ type: "redirect", url: expect.stringMatching(/^https:\/\/pay\.congmingpay\.com\/pay\/buypay\.do\?/) });
    expect(created).not.toHaveProperty("status");
  });

  it("rejects the example when its signature is checked (it is under another key)", async () => {
    const { http } = fakeHttp(() => evidenceText("xiangma", "create-answer-wechat"));
    await expect(xiangma(CONFIG).createOrder(WECHAT, http)).rejects.toThrow(/signature/);
  });
});

describe("xiangma createOrder", () => {
  it("sends the document's request fields, fen as a string and a verifiable lower-case sign; open_id only in a wallet's browser", async () => {
    const fake = fakeHttp(() => evidenceText("xiangma", "create-answer-wechat"));
    await xiangma(unsigned).createOrder({ ...WECHAT, scene: "jsapi", openId: "o-1" }, fake.http);
    expect(fake.requests[0]?.url).toBe("http://xiangma.test/openpay/v3/h5pay");
    const sent = fake.sent();
    expectEvidenceShape(sent, evidence("xiangma", "create-request"), ["notify_url", "open_id"]);
    expect(sent).toMatchObject({ inst_no: "60000001", mch_no: "Y52212190001", pay_type: "400", pay_trace_no: WECHAT.orderNo, total_amount: "1", open_id: "o-1" });
    expect(sent.sign).toMatch(/^[0-9a-f]{32}$/);
    expect(verifySign(sent, RULE, KEY, sent.sign)).toBe(true);

    // A plain browser cannot launch wallet parameters: no open_id, so the answer is a page.
    const plain = fakeHttp(() => evidenceText("xiangma", "create-answer-wechat"));
    await xiangma(unsigned).createOrder({ ...WECHAT, scene: "h5", openId: "o-1" }, plain.http);
    expect(plain.sent()).not.toHaveProperty("open_id");
  });

  it("serves the payer in WeChat's and Alipay's own browsers as well as a plain one, never a mini-program", () => {
    expect(xiangma(CONFIG).supports).toEqual({ wechat: ["h5", "jsapi"], alipay: ["h5", "jsapi"], unionpay: ["h5", "jsapi"] });
  });

  it("uses pay_type 300 for Alipay and 600 for UnionPay", async () => {
    for (const [channel, payType] of [["alipay", "300"], ["unionpay", "600"]] as const) {
      const fake = fakeHttp(() => evidenceText("xiangma", "create-answer-alipay"));
      await xiangma(unsigned).createOrder({ ...WECHAT, channel }, fake.http);
      expect(fake.sent().pay_type).toBe(payType);
    }
  });

  it("pay_time is the current time in Asia/Shanghai (UTC+8, across midnight)", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(new Date("2024-01-01T16:30:05Z"));
      const fake = fakeHttp(() => evidenceText("xiangma", "create-answer-wechat"));
      await xiangma(unsigned).createOrder(WECHAT, fake.http);
      expect(fake.sent().pay_time).toBe("20240102003005");
    } finally {
      vi.useRealTimers();
    }
  });

  it.each(EXACT_AMOUNTS)("carries %i fen as that digit string", async (fen) => {
    const fake = fakeHttp(() => evidenceText("xiangma", "create-answer-wechat"));
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
    const fake = fakeHttp(() => evidenceText("xiangma", "create-answer-wechat"));
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

  const evidenceNotify = (change: Record<string, unknown> = {}) => {
    const { sign: _sign, ...body } = evidence("xiangma", "notify-paid").body;
    return signed({ ...body, ...change });
  };

  it("reads the evidence's notify: JSON, end_time as the time paid", () => {
    const fixture = evidence("xiangma", "notify-paid");
    expect(adapter.verifyNotify({ rawBody: Buffer.from(encodeBody(fixture.contentType, evidenceNotify())), headers: { "content-type": fixture.contentType } })).toEqual({
      orderNo: "998877665544332018",
      gatewayOrderNo: "200001102F4623030615082110001",
      amountFen: 1,
      outcome: "paid",
      paidAt: "2019-07-20T04:36:27.000Z",
    });
  });

  it("rejects a genuine notify naming another institution or merchant", () => {
    expect(() => adapter.verifyNotify(jsonNotify(evidenceNotify({ mch_no: "Y00000000000" })))).toThrow(/mch_no/);
    expect(() => adapter.verifyNotify(jsonNotify(evidenceNotify({ inst_no: "60000002" })))).toThrow(/inst_no/);
  });

  it("verifies a genuine notify with a UTF-8 byte-order mark, or JSON sent under a form content type", () => {
    const text = JSON.stringify(evidenceNotify());
    const bom = { rawBody: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]), headers: { "content-type": "application/json" } };
    expect(adapter.verifyNotify(bom)).toMatchObject({ orderNo: "998877665544332018", outcome: "paid" });
    const labelledForm = { rawBody: Buffer.from(text), headers: { "content-type": "application/x-www-form-urlencoded; charset=UTF-8" } };
    expect(adapter.verifyNotify(labelledForm)).toMatchObject({ orderNo: "998877665544332018", outcome: "paid" });
  });

  it("replies with the documented JSON", () => {
    expect(JSON.parse(adapter.notifyReply.success.body)).toEqual({ return_code: "SUCCESS", return_msg: "成功" });
    expect(adapter.notifyReply.success.contentType).toMatch(/^application\/json/);
    expect(JSON.parse(adapter.notifyReply.failure.body)).toMatchObject({ return_code: "FAIL" });
  });
});
