import { describe, expect, it } from "vitest";
import { yuanStringToFen } from "@paybridge/shared";
import { GatewayError, InvalidRequestError, NotifyRejectedError } from "../../src/errors.js";
import { upaas, type UpaasConfig } from "../../src/gateways/upaas/adapter.js";
import type { CreateOrderInput } from "../../src/gateways/contract.js";
import { COMMON_SIGN_RULE, computeSign, verifySign, type SignRule } from "../../src/gateways/kit/signing.js";
import { shapeProblems } from "../support/evidence.js";
import { EXACT_AMOUNTS, NOTIFY_URL, evidenceBody, evidenceFile, fakeHttp, formNotify, jsonNotify } from "./helpers.js";

const KEY = "upaas-test-key";
const RULE: SignRule = { ...COMMON_SIGN_RULE, hexCase: "lower" };
const CONFIG: UpaasConfig = { baseUrl: "https://upaas.test", storeNum: "1234567", key: KEY, wxAppId: "wx-config-app" };
const WECHAT: CreateOrderInput = {
  orderNo: "1596004809",
  amountFen: 1,
  channel: "wechat",
  scene: "jsapi",
  openId: "o-user-1",
  notifyUrl: `${NOTIFY_URL}upaas`,
};

/** A success response as the gateway signs it: `data.sign` over every other field of `data`. */
function signedResponse(data: Record<string, unknown>, key = KEY): string {
  return JSON.stringify({ code: "000000", message: "请求成功", data: { ...data, sign: computeSign(data, RULE, key) } });
}

const unsigned = { ...CONFIG, verifyResponseSign: false };

describe("upaas createOrder reads the document's example responses", () => {
  it("WeChat: pre_pay_info becomes the wechat action, order_number the gateway order", async () => {
    const { http } = fakeHttp(() => evidenceBody("upaas", "create-answer-wechat"));
    const created = await upaas(unsigned).createOrder(WECHAT, http);
    expect(created).toEqual({
      gatewayOrderNo: "32007292020124037464368222208",
      action: {
        type: "wechat",
        params: {
          appId: "wx7b54f0a5769316b9",
          nonceStr: "tl12xxmvbb9tsz0xcfo5lvhcvzqq8271",
          package: "prepay_id=wx261200315112069714f072221832257600",
          signType: "MD5",
          timeStamp: "1566792029",
          paySign: "46C8DFAA0F9FD304B3AC2FAFEC2A6E09",
        },
      },
    });
  });

  it("Alipay: pre_pay_no becomes the tradeNO", async () => {
    const { http } = fakeHttp(() => evidenceBody("upaas", "create-answer-alipay"));
    const created = await upaas(unsigned).createOrder({ ...WECHAT, channel: "alipay", orderNo: "21621845860", amountFen: 100 }, http);
    expect(created).toEqual({
      gatewayOrderNo: "32105243111232422620329676800",
      action: { type: "alipay", tradeNO: "2021052422001427831412991467" },
    });
  });

  it("UnionPay: pre_pay_url becomes a redirect", async () => {
    const { http } = fakeHttp(() => evidenceBody("upaas", "create-answer-unionpay"));
    const created = await upaas(unsigned).createOrder({ ...WECHAT, channel: "unionpay", scene: "h5", amountFen: 100 }, http);
    expect(created.action).toEqual({
      type: "redirect",
      url: "https://qr.95516.com/UP02/qrcGtwWeb-web/front/confirmOrder?sessionId=eee16a6cfsd1d5212433993f55ert6a8179cc4bd",
    });
  });

  it("rejects the example when its signature is checked (it is under another key)", async () => {
    const { http } = fakeHttp(() => evidenceBody("upaas", "create-answer-wechat"));
    await expect(upaas(CONFIG).createOrder(WECHAT, http)).rejects.toThrow(GatewayError);
  });
});

describe("upaas createOrder request", () => {
  it("sends the documented fields, a 2-decimal yuan amount and a verifiable lower-case sign", async () => {
    const fake = fakeHttp(() => evidenceBody("upaas", "create-answer-wechat"));
    await upaas(unsigned).createOrder({ ...WECHAT, amountFen: 29 }, fake.http);
    expect(fake.requests[0]?.url).toBe("https://upaas.test/v2/pay/jsapi");
    const sent = fake.sent();
    expect(sent).toMatchObject({
      store_num: "1234567",
      mode_code: "weixin",
      amount: "0.29",
      open_id: "o-user-1",
      merchant_order_no: "1596004809",
      notify_url: `${NOTIFY_URL}upaas`,
      wx_appid: "wx-config-app",
    });
    expect(sent.sign).toMatch(/^[0-9a-f]{32}$/);
    expect(verifySign(sent, RULE, KEY, sent.sign)).toBe(true);
    expect(verifySign({ ...sent, amount: "0.30" }, RULE, KEY, sent.sign)).toBe(false);
  });

  it("uses mode codes alipay and unionpay and no WeChat app fields for them", async () => {
    for (const [channel, scene, mode] of [["alipay", "mini", "alipay"], ["unionpay", "h5", "unionpay"]] as const) {
      const fake = fakeHttp(() => evidenceBody("upaas", `create-answer-${channel}`));
      await upaas(unsigned).createOrder({ ...WECHAT, channel, scene }, fake.http);
      expect(fake.sent().mode_code).toBe(mode);
      expect(fake.sent()).not.toHaveProperty("wx_appid");
    }
  });

  it("WeChat mini sends sub_appid (the browser's appId first) and sub_app_name", async () => {
    const fake = fakeHttp(() => evidenceBody("upaas", "create-answer-wechat"));
    const adapter = upaas({ ...unsigned, subAppId: "wx-mini-config", subAppName: "Shop" });
    await adapter.createOrder({ ...WECHAT, scene: "mini", appId: "wx-mini-browser" }, fake.http);
    expect(fake.sent()).toMatchObject({ sub_appid: "wx-mini-browser", sub_app_name: "Shop" });
    expect(fake.sent()).not.toHaveProperty("wx_appid");
  });

  it.each(EXACT_AMOUNTS)("carries %i fen exactly", async (fen) => {
    const fake = fakeHttp(() => evidenceBody("upaas", "create-answer-wechat"));
    await upaas(unsigned).createOrder({ ...WECHAT, amountFen: fen }, fake.http);
    expect(fake.sent().amount).toMatch(/^\d+\.\d{2}$/);
    expect(yuanStringToFen(fake.sent().amount as string)).toBe(fen);
  });

  it.each([
    ["openId", { openId: undefined }],
    ["openId", { openId: "o".repeat(37) }],
    ["orderNo", { orderNo: "n".repeat(65) }],
    ["appId", { appId: "w".repeat(37) }],
    ["amountFen", { amountFen: 0 }],
  ] as const)("names %s when it breaks the document, before sending", async (field, change) => {
    const fake = fakeHttp(() => evidenceBody("upaas", "create-answer-wechat"));
    const error = await upaas(unsigned).createOrder({ ...WECHAT, ...change }, fake.http).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
    expect(fake.requests).toHaveLength(0);
  });

  it("names appId for WeChat JSAPI with no app id anywhere, sub_app_name for mini without one", async () => {
    const fake = fakeHttp(() => evidenceBody("upaas", "create-answer-wechat"));
    const bare = upaas({ ...unsigned, wxAppId: undefined });
    await expect(bare.createOrder(WECHAT, fake.http)).rejects.toMatchObject({ field: "appId" });
    await expect(bare.createOrder({ ...WECHAT, scene: "mini", appId: "wx1" }, fake.http)).rejects.toMatchObject({ field: "sub_app_name" });
    expect(fake.requests).toHaveLength(0);
  });
});

describe("upaas createOrder errors", () => {
  it("maps code ≠ 000000 to GatewayError with the gateway's message and code", async () => {
    const { http } = fakeHttp(() => JSON.stringify({ code: "100011", message: "门店不存在", data: null }));
    await expect(upaas(CONFIG).createOrder(WECHAT, http)).rejects.toMatchObject({
      name: "GatewayError",
      message: "门店不存在",
      gatewayCode: "100011",
      status: 502,
    });
  });

  it("maps a non-JSON body to GatewayError", async () => {
    const { http } = fakeHttp(() => ({ status: 502, headers: {}, body: "<html>Bad Gateway</html>" }));
    await expect(upaas(CONFIG).createOrder(WECHAT, http)).rejects.toThrow(GatewayError);
  });

  it("accepts a correctly signed response and rejects one signed with another key", async () => {
    const data = { order_number: "G1", merchant_order_no: "1596004809", amount: "0.01", pre_pay_no: "T1" };
    const alipay = { ...WECHAT, channel: "alipay" as const };
    const good = fakeHttp(() => signedResponse(data));
    await expect(upaas(CONFIG).createOrder(alipay, good.http)).resolves.toEqual({
      gatewayOrderNo: "G1",
      action: { type: "alipay", tradeNO: "T1" },
    });
    const forged = fakeHttp(() => signedResponse(data, "another-key"));
    await expect(upaas(CONFIG).createOrder(alipay, forged.http)).rejects.toThrow(/signature/);
  });

  it("signs nested pre_pay_info as its JSON text", async () => {
    const preInfo = JSON.parse(evidenceBody("upaas", "create-answer-wechat")).data.pre_pay_info as Record<string, unknown>;
    const { http } = fakeHttp(() => signedResponse({ order_number: "G2", amount: "0.01", pre_pay_info: preInfo }));
    const created = await upaas(CONFIG).createOrder(WECHAT, http);
    expect(created.action).toMatchObject({ type: "wechat", params: { package: "prepay_id=wx261200315112069714f072221832257600" } });
  });
});

describe("upaas notify", () => {
  const adapter = upaas(CONFIG);
  function notify(fields: Record<string, string>) {
    return { ...fields, sign: computeSign(fields, RULE, KEY) };
  }
  const paid = { merchant_order_no: "A1", order_number: "G1", amount: "0.01", status: "SUCCESS", pay_time: "2024-01-02 03:04:05" };

  it.each(EXACT_AMOUNTS)("accepts a signed notify of %i fen with the exact amount", (fen) => {
    const amount = `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, "0")}`;
    expect(adapter.verifyNotify(jsonNotify(notify({ ...paid, amount })))).toEqual({
      orderNo: "A1",
      gatewayOrderNo: "G1",
      amountFen: fen,
      outcome: "paid",
      paidAt: "2024-01-01T19:04:05.000Z",
    });
  });

  it("accepts a form-encoded notify too", () => {
    expect(adapter.verifyNotify(formNotify(notify(paid))).amountFen).toBe(1);
  });

  it("reads FAIL as failed and PAYING as pending", () => {
    expect(adapter.verifyNotify(jsonNotify(notify({ ...paid, status: "FAIL" }))).outcome).toBe("failed");
    expect(adapter.verifyNotify(jsonNotify(notify({ ...paid, status: "PAYING" }))).outcome).toBe("pending");
  });

  it("rejects a tampered amount, a missing sign, a wrong key and garbage", () => {
    expect(() => adapter.verifyNotify(jsonNotify({ ...notify(paid), amount: "100.00" }))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(jsonNotify(paid))).toThrow(NotifyRejectedError);
    const otherKey = { ...paid, sign: computeSign(paid, RULE, "wrong") };
    expect(() => adapter.verifyNotify(jsonNotify(otherKey))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify({ rawBody: Buffer.from("{not json"), headers: {} })).toThrow(NotifyRejectedError);
  });

  it("replies SUCCESS / FAIL as plain text", () => {
    expect(adapter.notifyReply.success).toMatchObject({ status: 200, body: "SUCCESS" });
    expect(adapter.notifyReply.failure.body).toBe("FAIL");
  });
});

describe("upaas queryOrder", () => {
  it("posts a signed query and reads status, amount and gateway order", async () => {
    const fake = fakeHttp(() =>
      signedResponse({ merchant_order_no: "A1", order_number: "G1", amount: "1.15", status: "SUCCESS", pay_time: "20240102030405" }),
    );
    const result = await upaas(CONFIG).queryOrder?.({ orderNo: "A1" }, fake.http);
    expect(result).toEqual({ status: "paid", amountFen: 115, orderNo: "A1", gatewayOrderNo: "G1", paidAt: "2024-01-01T19:04:05.000Z" });
    expect(fake.requests[0]?.url).toBe("https://upaas.test/v2/pay/query");
    const sent = fake.sent();
    expect(sent).toMatchObject({ store_num: "1234567", merchant_order_no: "A1" });
    expect(verifySign(sent, RULE, KEY, sent.sign)).toBe(true);
  });

  it("reads NOTPAY as pending and CLOSED as closed", async () => {
    for (const [word, status] of [["NOTPAY", "pending"], ["CLOSED", "closed"]] as const) {
      const { http } = fakeHttp(() => signedResponse({ merchant_order_no: "A1", order_number: "G1", amount: "0.01", status: word }));
      await expect(upaas(CONFIG).queryOrder?.({ orderNo: "A1" }, http)).resolves.toMatchObject({ status });
    }
  });
});

describe("upaas: the document's optional fields, notify_url as a setting, the store named", () => {
  const signedNotify = (fields: Record<string, string>) => ({ ...fields, sign: computeSign(fields, RULE, KEY) });
  it("sends pay_resource, staff_num and device_sn (document 000) when configured, signed", async () => {
    const fake = fakeHttp(() => signedResponse({ order_number: "G1", pre_pay_no: "2021" }));
    await upaas({ ...CONFIG, payResource: 23, staffNum: "S0000001", deviceSn: "SN-1" }).createOrder({ ...WECHAT, channel: "alipay" }, fake.http);
    const sent = fake.sent();
    expect(sent).toMatchObject({ pay_resource: 23, staff_num: "S0000001", device_sn: "SN-1" });
    expect(verifySign(sent, RULE, KEY, sent.sign)).toBe(true);
  });

  it("sendNotifyUrl: false leaves notify_url out (not in document 000's table)", async () => {
    const fake = fakeHttp(() => signedResponse({ order_number: "G1", pre_pay_no: "2021" }));
    await upaas({ ...CONFIG, sendNotifyUrl: false }).createOrder({ ...WECHAT, channel: "alipay" }, fake.http);
    expect(fake.sent()).not.toHaveProperty("notify_url");
  });

  it("checks storeNum's length (7) and the optional fields' at start-up, naming the option", () => {
    expect(() => upaas({ ...CONFIG, storeNum: "12345678" })).toThrow(expect.objectContaining({ option: "gateways.upaas.storeNum" }));
    expect(() => upaas({ ...CONFIG, staffNum: "123456789" })).toThrow(expect.objectContaining({ option: "gateways.upaas.staffNum" }));
    expect(() => upaas({ ...CONFIG, deviceSn: "x".repeat(33) })).toThrow(expect.objectContaining({ option: "gateways.upaas.deviceSn" }));
    expect(() => upaas({ ...CONFIG, payResource: 2.5 })).toThrow(expect.objectContaining({ option: "gateways.upaas.payResource" }));
    expect(() => upaas({ ...CONFIG, sendNotifyUrl: "no" as never })).toThrow(expect.objectContaining({ option: "gateways.upaas.sendNotifyUrl" }));
  });

  it("refuses a genuine notify or query answer naming another store", async () => {
    const adapter = upaas(CONFIG);
    const paid = { merchant_order_no: "A1", order_number: "G1", amount: "0.29", status: "SUCCESS" };
    expect(() => adapter.verifyNotify(jsonNotify(signedNotify({ ...paid, store_num: "7654321" })))).toThrow(/store_num/);
    expect(adapter.verifyNotify(jsonNotify(signedNotify({ ...paid, store_num: CONFIG.storeNum }))).orderNo).toBe("A1");
    const other = fakeHttp(() => signedResponse({ ...paid, store_no: "7654321" }));
    await expect(adapter.queryOrder?.({ orderNo: "A1" }, other.http)).rejects.toThrow(/store_no/);
  });
});

describe("upaas: what is sent follows document 000's table (evidence fixture)", () => {
  const file = evidenceFile("upaas", "create-request");

  it.each([
    ["wechat jsapi", WECHAT, ["sub_appid", "sub_app_name"]],
    ["wechat mini", { ...WECHAT, scene: "mini" as const, appId: "wx-mini" }, ["wx_appid"]],
    ["alipay", { ...WECHAT, channel: "alipay" as const }, ["wx_appid", "sub_appid", "sub_app_name"]],
    ["unionpay", { ...WECHAT, channel: "unionpay" as const, scene: "h5" as const }, ["wx_appid", "sub_appid", "sub_app_name"]],
  ] as const)("%s: the table's fields (none else), each within its length, the required ones present", async (_case, input, notSent) => {
    const fake = fakeHttp(() => evidenceBody("upaas", "create-answer-wechat"));
    const adapter = upaas({ ...unsigned, subAppName: "Shop", payResource: 23, staffNum: "00000001", deviceSn: "SN0001" });
    await adapter.createOrder(input, fake.http).catch(() => undefined);
    const sent = fake.sent();
    expect(fake.requests[0]?.url).toBe(`https://upaas.test${file._path as string}`);
    expect(shapeProblems(sent, file.body).sort()).toEqual(notSent.map((field) => `${field}: missing`).sort());
    for (const [field, max] of Object.entries(file._maxLength ?? {})) if (field in sent) expect(String(sent[field]).length).toBeLessThanOrEqual(max);
    for (const field of file._required ?? []) expect(sent).toHaveProperty(field);
  });
});
