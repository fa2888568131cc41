import { describe, expect, it } from "vitest";
import { ConfigError, GatewayError, InvalidRequestError, NotifyRejectedError } from "../../src/errors.js";
import type { CreateOrderInput, GatewayRequest } from "../../src/gateways/contract.js";
import { VBAO_PLAIN_JSON_CODEC, vbao, type VbaoConfig } from "../../src/gateways/vbao/adapter.js";
import { COMMON_SIGN_RULE, computeSign } from "../../src/gateways/kit/signing.js";
import { evidence, expectEvidenceShape } from "../support/evidence.js";
import { EXACT_AMOUNTS, NOTIFY_URL, evidenceBody, evidenceFile, fakeHttp, jsonNotify } from "./helpers.js";
import { VBAO_TEST_PUBLIC_BASE64, VBAO_TEST_PUBLIC_PEM, encryptData, readReqmsg } from "./vbao-rsa.js";

const KEY = "vbao-test-key";
const CONFIG: VbaoConfig = { baseUrl: "https://vbao.test", customerNo: "C100", key: KEY, publicKey: VBAO_TEST_PUBLIC_PEM };
const H5: CreateOrderInput = {
  orderNo: "A1",
  amountFen: 1,
  channel: "wechat",
  scene: "h5",
  notifyUrl: `${NOTIFY_URL}vbao`,
  description: "apples",
};
const MINI: CreateOrderInput = { ...H5, scene: "mini", openId: "o-user-1" };
const INTERFACE_URL = "https://vbao.test/mini/pay";
const ORDER_DATA = { orderNo: "A1", vbOrderNo: "V1", payInfo: "PI-1", interfaceUrl: INTERFACE_URL, launchUrl: "weixin://dl/business/?t=abc" };
const ORDER = JSON.stringify({ code: "200", msg: "操作成功", data: encryptData(ORDER_DATA) });
const signed = (fields: Record<string, unknown>) => ({ ...fields, sign: computeSign(fields, COMMON_SIGN_RULE, KEY) });

/** The server API answers the order (encrypted); the interface address answers `step` in plain JSON. */
function gateway(step: string) {
  return fakeHttp((request: GatewayRequest) => (request.url === INTERFACE_URL ? step : ORDER));
}
const stepSuccess = evidenceBody("vbao", "mini-pay-answer");
const stepAlreadyPaid = evidenceBody("vbao", "mini-pay-answer-already-paid");

describe("vbao createOrder", () => {
  it("creates at the documented path with orderNo and orderAmount (fen), signed inside the RSA-encrypted reqmsg", async () => {
    const fake = gateway(stepSuccess);
    await expect(vbao(CONFIG).createOrder(H5, fake.http)).resolves.toEqual({
      gatewayOrderNo: "V1",
      action: { type: "redirect", url: "weixin://dl/business/?t=abc" },
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.url).toBe(`https://vbao.test${evidenceFile("vbao", "create-request")._path as string}`);
    const sent = fake.sent();
    expectEvidenceShape(sent, evidence("vbao", "request-envelope"));
    expect(sent.customerNo).toBe("C100");
    const { json } = readReqmsg(sent.reqmsg as string);
    expectEvidenceShape(json, evidence("vbao", "create-request"));
    expect(json).toMatchObject({ orderNo: "A1", orderAmount: 1 });
    expect(json.sign).toMatch(/^[0-9A-F]{32}$/);
    const { sign, ...unsigned } = json;
    expect(sign).toBe(computeSign(unsigned, COMMON_SIGN_RULE, KEY));
  });

  it("cuts a long reqmsg into 245-byte PKCS#1 v1.5 blocks (several 256-byte cipher blocks)", async () => {
    const fake = gateway(stepSuccess);
    const longNotify = `${NOTIFY_URL}${"n".repeat(400)}`;
    await vbao(CONFIG).createOrder({ ...H5, notifyUrl: longNotify }, fake.http);
    const { json, blocks } = readReqmsg(fake.sent().reqmsg as string);
    expect(blocks).toBeGreaterThanOrEqual(2);
    expect(json.notifyUrl).toBe(longNotify);
  });

  it("takes the public key as bare base64 DER too; refuses a bad key, padding or no key at start-up", async () => {
    const fake = gateway(stepSuccess);
    await vbao({ ...CONFIG, publicKey: VBAO_TEST_PUBLIC_BASE64 }).createOrder(H5, fake.http);
    expect(readReqmsg(fake.sent().reqmsg as string).json).toMatchObject({ orderNo: "A1" });
    expect(() => vbao({ ...CONFIG, publicKey: "not a key" })).toThrow(ConfigError);
    expect(() => vbao({ ...CONFIG, rsaPadding: "none" as never })).toThrow(ConfigError);
    const { publicKey: _none, ...keyless } = CONFIG;
    expect(() => vbao(keyless)).toThrow(/publicKey/);
    expect(() => vbao({ ...CONFIG, codec: VBAO_PLAIN_JSON_CODEC })).toThrow(/codec/);
  });

  it("the plain JSON codec (sandbox only) sends readable reqmsg and reads data as an object", async () => {
    const fake = fakeHttp(() => JSON.stringify({ code: "200", data: ORDER_DATA }));
    const { publicKey: _none, ...keyless } = CONFIG;
    await vbao({ ...keyless, codec: VBAO_PLAIN_JSON_CODEC }).createOrder(H5, fake.http);
    expect(JSON.parse(fake.sent().reqmsg as string)).toMatchObject({ orderNo: "A1", orderAmount: 1 });
  });

  it("refuses data that does not decrypt with vbao's public key", async () => {
    const forged = fakeHttp(() => JSON.stringify({ code: "200", data: Buffer.alloc(256, 7).toString("base64") }));
    await expect(vbao(CONFIG).createOrder(H5, forged.http)).rejects.toThrow(/decrypt/);
    const plain = fakeHttp(() => JSON.stringify({ code: "200", data: ORDER_DATA }));
    await expect(vbao(CONFIG).createOrder(H5, plain.http)).rejects.toThrow(GatewayError);
  });

  it("mini: does the document's step with payInfo + identifyId and reads its example into the wechat action", async () => {
    const fake = gateway(stepSuccess);
    const created = await vbao({ ...CONFIG, verifyResponseSign: false }).createOrder(MINI, fake.http);
    expect(created.gatewayOrderNo).toBe("V1");
    expect(created.action).toMatchObject({
      type: "wechat",
      params: {
        appId: "wx4d3f3f6fea3febee",
        timeStamp: "1702607213",
        nonceStr: "c3061f1abc464c07a546f700462e2806",
        signType: "RSA",
        package: "prepay_id=wx1510265335316554332c81b6f24af40000",
        paySign: expect.stringMatching(/^t\/yJ3wmOgnDy/),
      },
    });
    expect(fake.requests[1]?.url).toBe(INTERFACE_URL);
    expect(fake.sent(1)).toEqual({ payInfo: "PI-1", identifyId: "o-user-1" });
  });

  it("mini: forwards the wx.login code when no openId is known (document 004: code or identifyId)", async () => {
    const fake = gateway(stepSuccess);
    await vbao(CONFIG).createOrder({ ...MINI, openId: undefined, loginCode: "0e1OCv1w3SXUT13aMD0w3ZASFJ3OCv1c" }, fake.http);
    expectEvidenceShape(fake.sent(1), evidence("vbao", "mini-pay-request"));
    expect(fake.sent(1)).toEqual({ payInfo: "PI-1", code: "0e1OCv1w3SXUT13aMD0w3ZASFJ3OCv1c" });
  });

  it("reads the evidence-shaped create answer (data encrypted) and does the step where its launch parameters say", async () => {
    const data = evidence("vbao", "create-answer-data").body;
    const fake = fakeHttp((request) =>
      request.url === data.interfaceUrl ? stepSuccess : JSON.stringify({ ...evidence("vbao", "answer-envelope").body, data: encryptData(data) }),
    );
    await expect(vbao(CONFIG).createOrder(MINI, fake.http)).resolves.toMatchObject({ gatewayOrderNo: data.vbOrderNo, action: { type: "wechat" } });
    expect(fake.sent(1)).toEqual({ payInfo: data.payInfo, identifyId: "o-user-1" });
  });

  it("mini: reads interfaceUrl and payInfo from the launch link when the answer has them only there", async () => {
    const link = `https://vbao.test/launch?${new URLSearchParams({ interfaceUrl: INTERFACE_URL, payInfo: "PI-9" }).toString()}`;
    const fake = fakeHttp((request) =>
      request.url === INTERFACE_URL ? stepSuccess : JSON.stringify({ code: "200", data: encryptData({ vbOrderNo: "V1", launchUrl: link }) }),
    );
    await vbao(CONFIG).createOrder(MINI, fake.http);
    expect(fake.sent(1)).toEqual({ payInfo: "PI-9", identifyId: "o-user-1" });
  });

  it('mini: "400 订单已支付成功" reads as already paid (the core then confirms by query), not as a failure', async () => {
    const fake = gateway(stepAlreadyPaid);
    await expect(vbao(CONFIG).createOrder(MINI, fake.http)).resolves.toEqual({
      gatewayOrderNo: "V1",
      action: { type: "redirect", url: "weixin://dl/business/?t=abc" },
      alreadyPaid: true,
    });
    const other = gateway(JSON.stringify({ code: "400", msg: "payInfo 无效" }));
    await expect(vbao(CONFIG).createOrder(MINI, other.http)).rejects.toMatchObject({ name: "GatewayError", message: "payInfo 无效" });
  });

  it("mini Alipay: tradeNo becomes the Alipay action", async () => {
    const fake = gateway(JSON.stringify({ code: "200", msg: "操作成功", data: { tradeNo: "2022090822001484981417335685" } }));
    const created = await vbao(CONFIG).createOrder({ ...MINI, channel: "alipay" }, fake.http);
    expect(created.action).toEqual({ type: "alipay", tradeNO: "2022090822001484981417335685" });
  });

  it("serves the wallets' browsers (jsapi) with the launch link", async () => {
    expect(vbao(CONFIG).supports).toEqual({ wechat: ["h5", "jsapi", "mini"], alipay: ["h5", "jsapi", "mini"] });
    const fake = gateway(stepSuccess);
    await expect(vbao(CONFIG).createOrder({ ...H5, scene: "jsapi" }, fake.http)).resolves.toMatchObject({ action: { type: "redirect" } });
  });

  it("sendNotifyUrl: false leaves notifyUrl out (the address set in vbao's console)", async () => {
    const fake = gateway(stepSuccess);
    await vbao({ ...CONFIG, sendNotifyUrl: false }).createOrder(H5, fake.http);
    expect(readReqmsg(fake.sent().reqmsg as string).json).not.toHaveProperty("notifyUrl");
  });

  it.each(EXACT_AMOUNTS)("carries %i fen as that integer orderAmount", async (fen) => {
    const fake = gateway(stepSuccess);
    await vbao(CONFIG).createOrder({ ...H5, amountFen: fen }, fake.http);
    expect(readReqmsg(fake.sent().reqmsg as string).json.orderAmount).toBe(fen);
  });

  it.each([
    ["openId", { ...MINI, openId: undefined }],
    ["openId", { ...MINI, openId: "o".repeat(65) }],
    ["loginCode", { ...MINI, openId: undefined, loginCode: "c".repeat(65) }],
    ["orderNo", { ...H5, orderNo: "" }],
    ["orderNo", { ...H5, orderNo: "o".repeat(65) }],
    ["amountFen", { ...H5, amountFen: -1 }],
  ] as const)("names %s before anything is sent", async (field, input) => {
    const fake = gateway(stepSuccess);
    const error = await vbao(CONFIG).createOrder(input, fake.http).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect((error as InvalidRequestError).field).toBe(field);
    expect(fake.requests).toHaveLength(0);
  });

  it("maps the server's error and unreadable bodies to GatewayError; refuses a javascript: launchUrl", async () => {
    const refused = fakeHttp(() => JSON.stringify({ code: "500", msg: "商户不存在" }));
    await expect(vbao(CONFIG).createOrder(H5, refused.http)).rejects.toMatchObject({ message: "商户不存在", gatewayCode: "500" });
    const garbage = fakeHttp(() => "nope");
    await expect(vbao(CONFIG).createOrder(H5, garbage.http)).rejects.toThrow(GatewayError);
    const evil = fakeHttp(() => JSON.stringify({ code: "200", data: encryptData({ vbOrderNo: "V1", launchUrl: "javascript:alert(1)" }) }));
    await expect(vbao(CONFIG).createOrder(H5, evil.http)).rejects.toThrow(GatewayError);
  });
});

describe("vbao notify", () => {
  const adapter = vbao(CONFIG);
  const paid = { customerNo: "C100", orderNo: "A1", vbOrderNo: "V1", orderAmount: 29, payStatus: "SUCCESS", payTime: "2024-01-02 03:04:05" };

  it("reads a notify shaped as the evidence (customerNo, orderNo, goodNo, goodName, …)", () => {
    const { sign: _sign, ...fields } = evidence("vbao", "notify-paid").body;
    expect(adapter.verifyNotify(jsonNotify(signed({ ...fields, customerNo: "C100" })))).toMatchObject({ orderNo: "EV20240101000001", amountFen: 1, outcome: "paid" });
  });

  it.each(EXACT_AMOUNTS)("accepts a signed notify of %i fen", (fen) => {
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, orderAmount: fen })))).toEqual({
      orderNo: "A1",
      gatewayOrderNo: "V1",
      amountFen: fen,
      outcome: "paid",
      paidAt: "2024-01-01T19:04:05.000Z",
    });
  });

  it("rejects a genuine notify naming another customerNo", () => {
    expect(() => adapter.verifyNotify(jsonNotify(signed({ ...paid, customerNo: "C999" })))).toThrow(/customerNo/);
  });

  it("reads FAIL as failed, WAIT as pending", () => {
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, payStatus: "FAIL" }))).outcome).toBe("failed");
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, payStatus: "WAIT" }))).outcome).toBe("pending");
  });

  it("rejects a tampered amount, a missing sign and an unknown status", () => {
    expect(() => adapter.verifyNotify(jsonNotify({ ...signed(paid), orderAmount: 1 }))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(jsonNotify(paid))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(jsonNotify(signed({ ...paid, payStatus: "MAYBE" })))).toThrow(NotifyRejectedError);
  });

  it("replies OK / FAIL (异步通知: 回写大写OK)", () => {
    expect(adapter.notifyReply.success.body).toBe(evidenceFile("vbao", "notify-paid")._reply);
    expect(adapter.notifyReply.failure.body).toBe("FAIL");
  });
});

describe("vbao queryOrder", () => {
  const record = { customerNo: "C100", orderNo: "A1", vbOrderNo: "V1", orderAmount: 115, payStatus: "SUCCESS" };
  const answer = (data: unknown) => fakeHttp(() => JSON.stringify({ code: "200", data: encryptData(data) }));

  it("posts encrypted { orderNo, sign } to qrcodeQuery and reads payStatus, the order named and the amount", async () => {
    const fake = answer(record);
    await expect(vbao(CONFIG).queryOrder?.({ orderNo: "A1" }, fake.http)).resolves.toEqual({
      status: "paid",
      amountFen: 115,
      orderNo: "A1",
      gatewayOrderNo: "V1",
    });
    expect(fake.requests[0]?.url).toBe(`https://vbao.test${evidenceFile("vbao", "query-request")._path as string}`);
    expect(fake.sent().customerNo).toBe("C100");
    const { json } = readReqmsg(fake.sent().reqmsg as string);
    expectEvidenceShape(json, evidence("vbao", "query-request"));
    expect(json.sign).toBe(computeSign({ orderNo: "A1" }, COMMON_SIGN_RULE, KEY));
  });

  it("verifies a signature the answer carries; a bad one is a GatewayError", async () => {
    await expect(vbao(CONFIG).queryOrder?.({ orderNo: "A1" }, answer(signed(record)).http)).resolves.toMatchObject({ status: "paid" });
    const forged = { ...signed(record), orderAmount: 1 };
    await expect(vbao(CONFIG).queryOrder?.({ orderNo: "A1" }, answer(forged).http)).rejects.toThrow(/signature/);
  });

  it("refuses an answer naming another customerNo", async () => {
    await expect(vbao(CONFIG).queryOrder?.({ orderNo: "A1" }, answer({ ...record, customerNo: "C999" }).http)).rejects.toThrow(/customerNo/);
  });

  it("reads the evidence-shaped answer (data encrypted)", async () => {
    const body = { ...evidence("vbao", "query-answer-paid").body, customerNo: "C100" };
    await expect(vbao(CONFIG).queryOrder?.({ orderNo: "EV20240101000001" }, answer(body).http)).resolves.toMatchObject({
      status: "paid",
      orderNo: "EV20240101000001",
      amountFen: 1,
    });
  });

  it("reads CLOSE as closed and PAYING as pending", async () => {
    for (const [word, status] of [["CLOSE", "closed"], ["PAYING", "pending"]] as const) {
      await expect(vbao(CONFIG).queryOrder?.({ orderNo: "A1" }, answer({ payStatus: word }).http)).resolves.toMatchObject({ status });
    }
  });
});
