import { describe, expect, it } from "vitest";
import { GatewayError, InvalidRequestError, NotifyRejectedError } from "../../src/errors.js";
import { lianke, type LiankeConfig } from "../../src/gateways/lianke/adapter.js";
import type { CreateOrderInput } from "../../src/gateways/contract.js";
import { COMMON_SIGN_RULE, computeSign, createSigner, verifySign } from "../../src/gateways/kit/signing.js";
import { evidence, expectEvidenceShape } from "../support/evidence.js";
import { EXACT_AMOUNTS, NOTIFY_URL, evidenceBody, evidenceFile, fakeHttp, jsonNotify } from "./helpers.js";

const KEY = "lianke-test-key";
const CONFIG: LiankeConfig = { baseUrl: "https://lianke.test/api/", storeNo: "S001", key: KEY, appId: "wx-config" };
const ALIPAY: CreateOrderInput = {
  orderNo: "sample string 9",
  amountFen: 5,
  channel: "alipay",
  scene: "jsapi",
  openId: "2088000000000001",
  notifyUrl: `${NOTIFY_URL}lianke`,
  attach: "cart-7",
  description: "2 apples",
};
const WECHAT_PARAMS = {
  appId: "wx-config",
  timeStamp: "1700000000",
  nonceStr: "n1",
  package: "prepay_id=wx1",
  signType: "RSA",
  paySign: "PS",
};

function success(data: Record<string, unknown>): string {
  return JSON.stringify({ code: "SUCCESS", msg: "ok", data: { transaction_no: "T1", ...data } });
}

describe("lianke createOrder", () => {
  it("reads the document's example: a plain cloudpay_param is the Alipay tradeNO", async () => {
    const { http } = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    await expect(lianke(CONFIG).createOrder(ALIPAY, http)).resolves.toEqual({
      gatewayOrderNo: "sample string 10",
      action: { type: "alipay", tradeNO: "sample string 11" },
    });
  });

  it("reads cloudpay_param holding WeChat's JSAPI parameters as the wechat action", async () => {
    const { http } = fakeHttp(() => success({ cloudpay_param: JSON.stringify(WECHAT_PARAMS) }));
    const created = await lianke(CONFIG).createOrder({ ...ALIPAY, channel: "wechat" }, http);
    expect(created.action).toEqual({ type: "wechat", params: WECHAT_PARAMS });
  });

  it("refuses WeChat parameters answered to an Alipay order", async () => {
    const { http } = fakeHttp(() => success({ cloudpay_param: JSON.stringify(WECHAT_PARAMS) }));
    await expect(lianke(CONFIG).createOrder(ALIPAY, http)).rejects.toThrow(GatewayError);
  });

  it("sends paytype, integer fen and a verifiable upper-case sign to /QuickPay/JSAPIPay", async () => {
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    await lianke(CONFIG).createOrder(ALIPAY, fake.http);
    expect(fake.requests[0]?.url).toBe("https://lianke.test/api/QuickPay/JSAPIPay");
    const sent = fake.sent();
    expect(sent).toEqual({
      store_no: "S001",
      paytype: 21,
      operator: "WEB",
      openid: "2088000000000001",
      amount: 5,
      order_no: "sample string 9",
      iteminfo: "2 apples",
      notify_url: `${NOTIFY_URL}lianke`,
      attach: "cart-7",
      sign: expect.stringMatching(/^[0-9A-F]{32}$/),
    });
    expect(verifySign(sent, COMMON_SIGN_RULE, KEY, sent.sign)).toBe(true);
  });

  it("sends paytype 11 and appid (the browser's first) for WeChat", async () => {
    const fake = fakeHttp(() => success({ cloudpay_param: JSON.stringify(WECHAT_PARAMS) }));
    await lianke(CONFIG).createOrder({ ...ALIPAY, channel: "wechat", appId: "wx-browser" }, fake.http);
    expect(fake.sent()).toMatchObject({ paytype: 11, appid: "wx-browser" });
  });

  it("uses a pluggable signer", async () => {
    const signer = createSigner("plug-key", { ...COMMON_SIGN_RULE, algorithm: "sha256" });
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    await lianke({ baseUrl: "https://lianke.test", storeNo: "S001", signer }).createOrder(ALIPAY, fake.http);
    const sent = fake.sent();
    expect(sent.sign).toMatch(/^[0-9A-F]{64}$/);
    expect(signer.verify(sent, sent.sign)).toBe(true);
  });

  it.each(EXACT_AMOUNTS)("carries %i fen as that integer", async (fen) => {
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    await lianke(CONFIG).createOrder({ ...ALIPAY, amountFen: fen }, fake.http);
    expect(fake.sent().amount).toBe(fen);
  });

  it.each([
    ["openId", { openId: undefined }],
    ["orderNo", { orderNo: "n".repeat(33) }],
    ["attach", { attach: "a".repeat(128) }],
    ["amountFen", { amountFen: 0 }],
    ["appId", { channel: "wechat", appId: undefined }],
  ] as const)("names %s when it breaks the document, before sending", async (field, change) => {
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    const adapter = lianke({ ...CONFIG, appId: undefined });
    const error = await adapter.createOrder({ ...ALIPAY, ...change }, fake.http).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
    expect(fake.requests).toHaveLength(0);
  });

  it("maps code ≠ SUCCESS to GatewayError with msg, or data.error when msg is absent", async () => {
    const withMsg = fakeHttp(() => JSON.stringify({ code: "FAIL", msg: "门店不存在" }));
    await expect(lianke(CONFIG).createOrder(ALIPAY, withMsg.http)).rejects.toMatchObject({ message: "门店不存在", gatewayCode: "FAIL" });
    const withError = fakeHttp(() => JSON.stringify({ code: "FAIL", data: { error: "签名错误" } }));
    await expect(lianke(CONFIG).createOrder(ALIPAY, withError.http)).rejects.toMatchObject({ message: "签名错误" });
    const refused = fakeHttp(() => JSON.stringify({ code: "SUCCESS", data: { transaction_status: "FAIL", error: "余额不足" } }));
    await expect(lianke(CONFIG).createOrder(ALIPAY, refused.http)).rejects.toMatchObject({ message: "余额不足" });
    const garbage = fakeHttp(() => "Service Unavailable");
    await expect(lianke(CONFIG).createOrder(ALIPAY, garbage.http)).rejects.toThrow(GatewayError);
  });
});

describe("lianke notify", () => {
  const adapter = lianke(CONFIG);
  const paid = { order_no: "A1", transaction_no: "T1", total_amount: 29, transaction_status: "SUCCESS", transaction_time: "2024-01-02 03:04:05" };
  const signed = (fields: Record<string, unknown>) => ({ ...fields, sign: computeSign(fields, COMMON_SIGN_RULE, KEY) });

  it.each(EXACT_AMOUNTS)("accepts a signed notify of %i fen", (fen) => {
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, total_amount: fen })))).toEqual({
      orderNo: "A1",
      gatewayOrderNo: "T1",
      amountFen: fen,
      outcome: "paid",
      paidAt: "2024-01-01T19:04:05.000Z",
    });
  });

  it("reads CLOSED as failed and USERPAYING as pending", () => {
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, transaction_status: "CLOSED" }))).outcome).toBe("failed");
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, transaction_status: "USERPAYING" }))).outcome).toBe("pending");
  });

  it("rejects a tampered amount, a missing sign and a fractional amount", () => {
    expect(() => adapter.verifyNotify(jsonNotify({ ...signed(paid), total_amount: 2900 }))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(jsonNotify(paid))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(jsonNotify(signed({ ...paid, total_amount: 2.9 })))).toThrow(NotifyRejectedError);
  });

  it("replies SUCCESS / FAIL", () => {
    expect(adapter.notifyReply.success.body).toBe("SUCCESS");
    expect(adapter.notifyReply.failure.body).toBe("FAIL");
  });
});

describe("lianke queryOrder", () => {
  it("posts a signed query to /QuickPay/Query and reads transaction_status and total_amount", async () => {
    const fake = fakeHttp(() => success({ transaction_status: "SUCCESS", total_amount: 9_999_999_999, transaction_time: "20240102030405" }));
    await expect(lianke(CONFIG).queryOrder?.({ orderNo: "A1" }, fake.http)).resolves.toEqual({
      status: "paid",
      amountFen: 9_999_999_999,
      gatewayOrderNo: "T1",
      paidAt: "2024-01-01T19:04:05.000Z",
    });
    expect(fake.requests[0]?.url).toBe("https://lianke.test/api/QuickPay/Query");
    const sent = fake.sent();
    expect(sent).toMatchObject({ store_no: "S001", order_no: "A1" });
    expect(verifySign(sent, COMMON_SIGN_RULE, KEY, sent.sign)).toBe(true);
  });

  it("reads REVOKED as closed and CREATE as pending", async () => {
    for (const [word, status] of [["REVOKED", "closed"], ["CREATE", "pending"]] as const) {
      const { http } = fakeHttp(() => success({ transaction_status: word }));
      await expect(lianke(CONFIG).queryOrder?.({ orderNo: "A1" }, http)).resolves.toMatchObject({ status });
    }
  });
});

describe("lianke: the document's optional fields, the signer's headers, cloudpay_param's reading", () => {
  it("sends goods_tag, share_pay and itemlist (document 001) when configured", async () => {
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    const items = [{ item_id: "1", item_no: "SKU-1", item_name: "apple", quantity: 2, price: 3, promotion_type: 0 }];
    await lianke({ ...CONFIG, goodsTag: "VOUCHER1", sharePay: true, itemList: () => items }).createOrder(ALIPAY, fake.http);
    const sent = fake.sent();
    expect(sent).toMatchObject({ goods_tag: "VOUCHER1", share_pay: true, itemlist: items });
    expect(verifySign(sent, COMMON_SIGN_RULE, KEY, sent.sign)).toBe(true);
  });

  it("names a bad itemlist entry before sending; refuses bad settings at start-up", async () => {
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    const adapter = lianke({ ...CONFIG, itemList: () => [{ quantity: 1.5 }] });
    await expect(adapter.createOrder(ALIPAY, fake.http)).rejects.toMatchObject({ field: "itemlist.quantity" });
    expect(fake.requests).toHaveLength(0);
    expect(() => lianke({ ...CONFIG, sharePay: "yes" as never })).toThrow(/sharePay/);
    expect(() => lianke({ ...CONFIG, readCloudpayParam: "json" as never })).toThrow(/readCloudpayParam/);
  });

  it("lets a signer add headers computed over the exact body", async () => {
    const base = createSigner(KEY, COMMON_SIGN_RULE);
    const signer = { ...base, requestHeaders: (body: string) => ({ "x-lianke-sign": computeSign({ body }, COMMON_SIGN_RULE, KEY) }) };
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    await lianke({ baseUrl: "https://lianke.test", storeNo: "S001", signer }).createOrder(ALIPAY, fake.http);
    const request = fake.requests[0];
    expect(request?.headers?.["x-lianke-sign"]).toBe(computeSign({ body: request?.body }, COMMON_SIGN_RULE, KEY));
    expect(request?.headers?.["content-type"]).toMatch(/^application\/json/);
  });

  it("a signer with no body field signs by headers only", async () => {
    const base = createSigner(KEY, { ...COMMON_SIGN_RULE, signField: "" });
    const signer = { ...base, requestHeaders: () => ({ authorization: "Token t" }) };
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    await lianke({ baseUrl: "https://lianke.test", storeNo: "S001", signer }).createOrder(ALIPAY, fake.http);
    expect(fake.sent()).not.toHaveProperty("sign");
    expect(fake.requests[0]?.headers?.authorization).toBe("Token t");
  });

  it("reads cloudpay_param through readCloudpayParam when set (the default reading is assumed)", async () => {
    const { http } = fakeHttp(() => success({ cloudpay_param: "https://pay.example/launch?t=1" }));
    const readCloudpayParam = (param: string) => ({ type: "redirect" as const, url: param });
    const created = lianke({ ...CONFIG, readCloudpayParam }).createOrder({ ...ALIPAY, channel: "wechat" }, http);
    // The action must still be the order's wallet.
    await expect(created).rejects.toThrow(/redirect parameters to a wechat order/);
    const wechat = (param: string) => ({ type: "wechat" as const, params: { ...WECHAT_PARAMS, package: param } });
    const ok = await lianke({ ...CONFIG, readCloudpayParam: wechat }).createOrder({ ...ALIPAY, channel: "wechat" }, fakeHttp(() => success({ cloudpay_param: "prepay_id=wx9" })).http);
    expect(ok.action).toEqual({ type: "wechat", params: { ...WECHAT_PARAMS, package: "prepay_id=wx9" } });
  });
});

describe("lianke: signed answers and the merchant named", () => {
  const paidData = { transaction_no: "T1", order_no: "A1", store_no: "S001", transaction_status: "SUCCESS", total_amount: 5 };
  const signedWith = (fields: Record<string, unknown>, key = KEY) => ({ ...fields, sign: computeSign(fields, COMMON_SIGN_RULE, key) });

  it("query: fills orderNo and amountFen; verifies a sign the answer carries and refuses a bad one", async () => {
    const good = fakeHttp(() => JSON.stringify({ code: "SUCCESS", msg: "ok", data: signedWith(paidData) }));
    await expect(lianke(CONFIG).queryOrder?.({ orderNo: "A1" }, good.http)).resolves.toMatchObject({ status: "paid", orderNo: "A1", gatewayOrderNo: "T1", amountFen: 5 });
    const forged = fakeHttp(() => JSON.stringify({ code: "SUCCESS", msg: "ok", data: signedWith(paidData, "other-key") }));
    await expect(lianke(CONFIG).queryOrder?.({ orderNo: "A1" }, forged.http)).rejects.toThrow(/signature/);
    const topForged = fakeHttp(() => JSON.stringify(signedWith({ code: "SUCCESS", msg: "ok", data: paidData }, "other-key")));
    await expect(lianke(CONFIG).queryOrder?.({ orderNo: "A1" }, topForged.http)).rejects.toThrow(/signature/);
  });

  it("query and notify naming another store_no are refused", async () => {
    const other = fakeHttp(() => JSON.stringify({ code: "SUCCESS", data: { ...paidData, store_no: "S999" } }));
    await expect(lianke(CONFIG).queryOrder?.({ orderNo: "A1" }, other.http)).rejects.toThrow(/store_no/);
    const notify = signedWith({ ...paidData, store_no: "S999" });
    expect(() => lianke(CONFIG).verifyNotify(jsonNotify(notify))).toThrow(NotifyRejectedError);
    expect(lianke(CONFIG).verifyNotify(jsonNotify(signedWith(paidData))).orderNo).toBe("A1");
  });
});

describe("lianke: what is sent follows document 001's JSAPIPayInfo (evidence fixture)", () => {
  const file = evidenceFile("lianke", "create-request");

  it("sends the example request's fields with their JSON types (WeChat, every option set), the required ones present, at the documented path", async () => {
    const fake = fakeHttp(() => evidenceBody("lianke", "create-answer"));
    const items = [{ item_id: "1", item_no: "2", item_name: "3", quantity: 4, price: 5, promotion_type: 6 }];
    await lianke({ ...CONFIG, goodsTag: "T", sharePay: false, itemList: () => items }).createOrder({ ...ALIPAY, channel: "wechat" }, fake.http).catch(() => undefined);
    const sent = fake.sent();
    expect(fake.requests[0]?.url).toBe(`https://lianke.test/api${file._path as string}`);
    expectEvidenceShape(sent, evidence("lianke", "create-request"));
    for (const field of file._required ?? []) expect(sent).toHaveProperty(field);
  });
});
