import { describe, expect, it } from "vitest";
import { GatewayError, InvalidRequestError, NotifyRejectedError } from "../../src/errors.js";
import { FUBEI_PRESETS, fubei, type FubeiConfig } from "../../src/gateways/fubei/adapter.js";
import type { CreateOrderInput } from "../../src/gateways/contract.js";
import { computeSign, verifySign, type SignRule } from "../../src/gateways/kit/signing.js";
import { encodeBody, evidence, evidenceText, expectEvidenceShape } from "../support/evidence.js";
import { EXACT_AMOUNTS, NOTIFY_URL, fakeHttp, formNotify, jsonNotify } from "./helpers.js";

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
    const { http } = fakeHttp(() => evidenceText("fubei", "create-answer"));
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
    const { http } = fakeHttp(() => evidenceText("fubei", "create-answer-error"));
    await expect(fubei(CONFIG).createOrder(MINI, http)).rejects.toMatchObject({
      name: "GatewayError",
      message: "订单创建失败",
      gatewayCode: "ERROR_MES",
    });
  });

  it("sends the envelope with biz_content as a JSON string, yuan as a number, signed over the envelope", async () => {
    const fake = fakeHttp(() => evidenceText("fubei", "create-answer"));
    await fubei(CONFIG).createOrder(MINI, fake.http);
    expect(fake.requests[0]?.url).toBe("https://fubei.test/gateway");
    const sent = fake.sent();
    expect(Object.keys(sent).sort()).toEqual([...ENVELOPE, "sign"].sort());
    // The seed's example writes cashier_id as a string; its table says int, which we send.
    const seed = evidence("fubei", "create-request");
    const seedBiz = JSON.parse(seed.body.biz_content as string) as Record<string, unknown>;
    expectEvidenceShape(sent, { ...seed, body: { ...seed.body, biz_content: JSON.stringify({ ...seedBiz, cashier_id: Number(seedBiz.cashier_id) }) } }, ["biz_content.call_back_url"]);
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

  it("refuses an amount whose yuan text is longer than total_fee's 10 characters, before sending", async () => {
    const fake = fakeHttp(() => evidenceText("fubei", "create-answer"));
    await fubei(CONFIG).createOrder({ ...MINI, amountFen: 999_999_999 }, fake.http);
    expect(fake.sent().biz_content).toContain('"total_fee":9999999.99');
    const error = await fubei(CONFIG).createOrder({ ...MINI, amountFen: 9_999_999_999 }, fake.http).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe("amountFen");
    expect(fake.requests).toHaveLength(1);
  });

  it("serves a payer in Alipay's own browser with openapi.payment.Alipay.H5: buyer_id, and prepay_id as Alipay's trade number", async () => {
    const fake = fakeHttp(() => JSON.stringify(evidence("fubei", "alipay-h5-answer").body));
    const created = await fubei(CONFIG).createOrder({ ...MINI, channel: "alipay", scene: "jsapi", openId: "2088102146225135" }, fake.http);
    expect(created).toEqual({ gatewayOrderNo: "20170911132248098179", action: { type: "alipay", tradeNO: "2017091121001004130200123456" } });
    const sent = fake.sent();
    expectEvidenceShape(sent, evidence("fubei", "alipay-h5-request"));
    expect(sent.method).toBe("openapi.payment.Alipay.H5");
    expect(bizOf(sent)).toMatchObject({ merchant_order_sn: MINI.orderNo, buyer_id: "2088102146225135", total_fee: 0.01, store_id: 3239 });
    expect(verifySign(sent, REQUEST_RULE, SECRET, sent.sign)).toBe(true);
    expect(fubei(CONFIG).supports).toEqual({ wechat: ["mini"], alipay: ["jsapi"] });
  });

  it("posts to the production gateway by default; the test gateway is a named preset", async () => {
    const { appId, appSecret, storeId } = CONFIG;
    for (const [preset, url] of [[undefined, "https://shq-api.51fubei.com/gateway"], ["test", "https://shq-api-test.51fubei.com/gateway"]] as const) {
      const fake = fakeHttp(() => evidenceText("fubei", "create-answer"));
      await fubei({ appId, appSecret, storeId, ...(preset ? { preset } : {}) }).createOrder(MINI, fake.http);
      expect(fake.requests[0]?.url).toBe(url);
    }
    expect(FUBEI_PRESETS.test).toBe("https://shq-api-test.51fubei.com/gateway");
    expect(() => fubei({ appId, appSecret, storeId, preset: "sandbox" as "test" })).toThrow(/gateways\.fubei\.preset/);
  });

  it.each(EXACT_AMOUNTS.filter((fen) => fen < 1_000_000_000))("carries %i fen as the exact yuan number", async (fen) => {
    const fake = fakeHttp(() => evidenceText("fubei", "create-answer"));
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
    const fake = fakeHttp(() => evidenceText("fubei", "create-answer"));
    const error = await fubei(CONFIG).createOrder({ ...MINI, ...change }, fake.http).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
    expect(fake.requests).toHaveLength(0);
  });

  it("verifies a response that carries a sign, and maps non-JSON to GatewayError", async () => {
    const body = JSON.parse(evidenceText("fubei", "create-answer")) as Record<string, unknown>;
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
  const paid = { merchant_order_sn: "A1", order_sn: "F1", total_fee: 0.29, trade_state: "SUCCESS", pay_time: 1704135845, store_id: 3239 };
  /** The evidence's notify (a form), re-signed with the test key; `data` changed if asked. */
  function evidenceNotify(changeData: Record<string, unknown> = {}, sign = (fields: Record<string, unknown>) => computeSign(fields, NOTIFY_RULE, SECRET)) {
    const fixture = evidence("fubei", "notify-paid");
    const { sign: _sign, ...fields } = fixture.body;
    const data = { ...(JSON.parse(fields.data as string) as Record<string, unknown>), ...changeData };
    const body = { ...fields, data: JSON.stringify(data) };
    return { rawBody: Buffer.from(encodeBody(fixture.contentType, { ...body, sign: sign(body) })), headers: { "content-type": fixture.contentType } };
  }

  it("reads the evidence's notify: a form whose data is the JSON text signed, pay_time in unix seconds", () => {
    expect(adapter.verifyNotify(evidenceNotify())).toEqual({
      orderNo: "201709191504852712157",
      gatewayOrderNo: "20170911132248098178",
      amountFen: 1,
      outcome: "paid",
      paidAt: "2017-09-11T05:23:20.000Z",
    });
  });

  it("compares the sign case-insensitively", () => {
    const lower = evidenceNotify({}, (fields) => computeSign(fields, NOTIFY_RULE, SECRET).toLowerCase());
    expect(adapter.verifyNotify(lower).outcome).toBe("paid");
  });

  it("verifies a JSON notify whose data object is signed as the exact text sent, not as we would write it", () => {
    const dataText = '{ "merchant_order_sn": "A1", "total_fee": 0.10, "trade_state": "SUCCESS", "attach": "\\u8ba2\\u5355" }';
    const sign = computeSign({ result_code: 200, result_message: "成功", data: dataText }, NOTIFY_RULE, SECRET);
    const raw = `{"result_code":200,"result_message":"成功","data":${dataText},"sign":"${sign}"}`;
    expect(adapter.verifyNotify({ rawBody: Buffer.from(raw), headers: { "content-type": "application/json" } })).toMatchObject({ orderNo: "A1", amountFen: 10, outcome: "paid" });
    const altered = raw.replace('"total_fee": 0.10', '"total_fee": 0.1');
    expect(() => adapter.verifyNotify({ rawBody: Buffer.from(altered), headers: { "content-type": "application/json" } })).toThrow(NotifyRejectedError);
  });

  it("rejects a form that repeats a field (frameworks disagree on which value wins)", () => {
    const genuine = evidenceNotify();
    const repeated = { ...genuine, rawBody: Buffer.from(`data=&${genuine.rawBody.toString("utf8")}`) };
    expect(() => adapter.verifyNotify(repeated)).toThrow(/repeats/);
    expect(adapter.verifyNotify(genuine).outcome).toBe("paid");
  });

  it("rejects a genuine notify for another store", () => {
    expect(() => adapter.verifyNotify(evidenceNotify({ store_id: 4000 }))).toThrow(/store_id/);
  });

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

  it("reads 200 without trade_state as paid, and accepts JSON too", () => {
    const { trade_state: _state, ...noState } = paid;
    expect(adapter.verifyNotify(jsonNotify(notify(noState))).outcome).toBe("paid");
    const form = notify(paid);
    expect(adapter.verifyNotify(formNotify({ ...form, result_code: "200" })).amountFen).toBe(29);
  });

  it("reads the SDK's trade states: REVOKED failed, REVOKING and REVOKED_ERROR pending; a word no source shows is refused", () => {
    expect(adapter.verifyNotify(jsonNotify(notify({ ...paid, trade_state: "REVOKED" }))).outcome).toBe("failed");
    expect(adapter.verifyNotify(jsonNotify(notify({ ...paid, trade_state: "REVOKING" }))).outcome).toBe("pending");
    expect(adapter.verifyNotify(jsonNotify(notify({ ...paid, trade_state: "REVOKED_ERROR" }))).outcome).toBe("pending");
    expect(adapter.verifyNotify(jsonNotify(notify(paid, 400))).outcome).toBe("failed");
    expect(() => adapter.verifyNotify(jsonNotify(notify({ ...paid, trade_state: "PAYERROR" })))).toThrow(/trade_state/);
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
  const answer = (message: string, changeData: Record<string, unknown> = {}) => () => {
    const { body } = evidence("fubei", message);
    return JSON.stringify({ ...body, data: { ...(body.data as Record<string, unknown>), ...changeData } });
  };

  it("asks by fubei's order_sn when known, else by merchant_order_sn, and reads the SDK's answer", async () => {
    const fake = fakeHttp(answer("query-answer-paid"));
    await expect(fubei(CONFIG).queryOrder?.({ orderNo: "201709191504852712157", gatewayOrderNo: "20170911132248098178" }, fake.http)).resolves.toEqual({
      status: "paid",
      amountFen: 1,
      orderNo: "201709191504852712157",
      gatewayOrderNo: "20170911132248098178",
      paidAt: "2017-09-11T05:23:20.000Z",
    });
    const sent = fake.sent();
    expectEvidenceShape(sent, evidence("fubei", "query-request"));
    expect(sent.method).toBe("openapi.payment.order.query");
    expect(bizOf(sent)).toEqual({ order_sn: "20170911132248098178" });
    expect(verifySign(sent, REQUEST_RULE, SECRET, sent.sign)).toBe(true);

    await fubei(CONFIG).queryOrder?.({ orderNo: "201709191504852712157" }, fake.http);
    expect(bizOf(fake.sent(1))).toEqual({ merchant_order_sn: "201709191504852712157" });
  });

  it("reads USERPAYING, REVOKING and REVOKED_ERROR as pending and REVOKED as closed", async () => {
    for (const [word, status] of [["USERPAYING", "pending"], ["REVOKING", "pending"], ["REVOKED_ERROR", "pending"], ["REVOKED", "closed"]] as const) {
      const { http } = fakeHttp(answer("query-answer-pending", { trade_state: word }));
      await expect(fubei(CONFIG).queryOrder?.({ orderNo: "A1" }, http)).resolves.toMatchObject({ status });
    }
    const pending = fakeHttp(answer("query-answer-pending"));
    // pay_time 0 before payment: no time paid.
    expect((await fubei(CONFIG).queryOrder?.({ orderNo: "A1" }, pending.http))?.paidAt).toBeUndefined();
  });

  it("refuses an answer for another store", async () => {
    const { http } = fakeHttp(answer("query-answer-paid", { store_id: 4000 }));
    await expect(fubei(CONFIG).queryOrder?.({ orderNo: "A1" }, http)).rejects.toThrow(/store_id/);
  });
});
