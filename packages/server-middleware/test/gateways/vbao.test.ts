import { describe, expect, it } from "vitest";
import { GatewayError, InvalidRequestError, NotifyRejectedError } from "../../src/errors.js";
import type { CreateOrderInput, GatewayRequest } from "../../src/gateways/types.js";
import { vbao, type VbaoConfig } from "../../src/gateways/vbao.js";
import { COMMON_SIGN_RULE, computeSign } from "../../src/signing.js";
import { EXACT_AMOUNTS, NOTIFY_URL, fakeHttp, fixture, jsonNotify } from "./helpers.js";

const KEY = "vbao-test-key";
const CONFIG: VbaoConfig = { baseUrl: "https://vbao.test", customerNo: "C100", key: KEY };
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
const ORDER = JSON.stringify({
  code: "200",
  msg: "操作成功",
  data: { vbOrderNo: "V1", payInfo: "PI-1", interfaceUrl: INTERFACE_URL, launchUrl: "weixin://dl/business/?t=abc" },
});

/** The server API answers the order; the interface address answers with `step`. */
function gateway(step: string) {
  return fakeHttp((request: GatewayRequest) => (request.url === INTERFACE_URL ? step : ORDER));
}

describe("vbao createOrder", () => {
  it("h5: posts { customerNo, reqmsg } and redirects to launchUrl", async () => {
    const fake = gateway(fixture("vbao-pay-success.json"));
    await expect(vbao(CONFIG).createOrder(H5, fake.http)).resolves.toEqual({
      gatewayOrderNo: "V1",
      action: { type: "redirect", url: "weixin://dl/business/?t=abc" },
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0]?.url).toBe("https://vbao.test/api/vborder/order/standard/miniOrder");
    const sent = fake.sent();
    expect(Object.keys(sent).sort()).toEqual(["customerNo", "reqmsg"]);
    expect(JSON.parse(sent.reqmsg as string)).toEqual({ orderNo: "A1", amount: 1, payType: "WECHAT", subject: "apples", notifyUrl: `${NOTIFY_URL}vbao` });
  });

  it("mini: does the document's step with payInfo + identifyId and reads its example into the wechat action", async () => {
    const fake = gateway(fixture("vbao-pay-success.json"));
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
    expect(fake.sent(1)).toEqual({ payInfo: "PI-1", identifyId: "o-user-1" });
  });

  it("mini: the document's error example becomes GatewayError with its msg", async () => {
    const fake = gateway(fixture("vbao-pay-error.json"));
    await expect(vbao(CONFIG).createOrder(MINI, fake.http)).rejects.toMatchObject({
      name: "GatewayError",
      message: "订单已支付成功",
      gatewayCode: "400",
    });
  });

  it("mini Alipay: tradeNo becomes the Alipay action, payType ALIPAY", async () => {
    const fake = gateway(JSON.stringify({ code: "200", msg: "操作成功", data: { tradeNo: "2022090822001484981417335685" } }));
    const created = await vbao(CONFIG).createOrder({ ...MINI, channel: "alipay" }, fake.http);
    expect(created.action).toEqual({ type: "alipay", tradeNO: "2022090822001484981417335685" });
    expect(JSON.parse(fake.sent().reqmsg as string)).toMatchObject({ payType: "ALIPAY" });
  });

  it("sends reqmsg through the codec", async () => {
    const fake = gateway(fixture("vbao-pay-success.json"));
    const codec = { encode: (json: string) => Buffer.from(json).toString("base64") };
    await vbao({ ...CONFIG, codec }).createOrder(H5, fake.http);
    expect(JSON.parse(Buffer.from(fake.sent().reqmsg as string, "base64").toString())).toMatchObject({ orderNo: "A1" });
  });

  it.each(EXACT_AMOUNTS)("carries %i fen as that integer", async (fen) => {
    const fake = gateway(fixture("vbao-pay-success.json"));
    await vbao(CONFIG).createOrder({ ...H5, amountFen: fen }, fake.http);
    expect(JSON.parse(fake.sent().reqmsg as string).amount).toBe(fen);
  });

  it.each([
    ["openId", { ...MINI, openId: undefined }],
    ["openId", { ...MINI, openId: "o".repeat(65) }],
    ["orderNo", { ...H5, orderNo: "" }],
    ["amountFen", { ...H5, amountFen: -1 }],
  ] as const)("names %s before anything is sent", async (field, input) => {
    const fake = gateway(fixture("vbao-pay-success.json"));
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
    const evil = fakeHttp(() => JSON.stringify({ code: "200", data: { vbOrderNo: "V1", launchUrl: "javascript:alert(1)" } }));
    await expect(vbao(CONFIG).createOrder(H5, evil.http)).rejects.toThrow(GatewayError);
  });
});

describe("vbao notify", () => {
  const adapter = vbao(CONFIG);
  const paid = { orderNo: "A1", vbOrderNo: "V1", amount: 29, payStatus: "SUCCESS", payTime: "2024-01-02 03:04:05" };
  const signed = (fields: Record<string, unknown>) => ({ ...fields, sign: computeSign(fields, COMMON_SIGN_RULE, KEY) });

  it.each(EXACT_AMOUNTS)("accepts a signed notify of %i fen", (fen) => {
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, amount: fen })))).toEqual({
      orderNo: "A1",
      gatewayOrderNo: "V1",
      amountFen: fen,
      outcome: "paid",
      paidAt: "2024-01-01T19:04:05.000Z",
    });
  });

  it("reads FAIL as failed, WAIT as pending", () => {
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, payStatus: "FAIL" }))).outcome).toBe("failed");
    expect(adapter.verifyNotify(jsonNotify(signed({ ...paid, payStatus: "WAIT" }))).outcome).toBe("pending");
  });

  it("rejects a tampered amount, a missing sign and an unknown status", () => {
    expect(() => adapter.verifyNotify(jsonNotify({ ...signed(paid), amount: 1 }))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(jsonNotify(paid))).toThrow(NotifyRejectedError);
    expect(() => adapter.verifyNotify(jsonNotify(signed({ ...paid, payStatus: "MAYBE" })))).toThrow(NotifyRejectedError);
  });

  it("replies OK / FAIL", () => {
    expect(adapter.notifyReply.success.body).toBe("OK");
    expect(adapter.notifyReply.failure.body).toBe("FAIL");
  });
});

describe("vbao queryOrder", () => {
  it("posts reqmsg { orderNo } to qrcodeQuery and reads payStatus and amount", async () => {
    const fake = fakeHttp(() => JSON.stringify({ code: "200", data: { orderNo: "A1", vbOrderNo: "V1", amount: 115, payStatus: "SUCCESS" } }));
    await expect(vbao(CONFIG).queryOrder?.({ orderNo: "A1" }, fake.http)).resolves.toEqual({ status: "paid", amountFen: 115, gatewayOrderNo: "V1" });
    expect(fake.requests[0]?.url).toBe("https://vbao.test/api/vborder/order/standard/qrcodeQuery");
    expect(fake.sent()).toEqual({ customerNo: "C100", reqmsg: JSON.stringify({ orderNo: "A1" }) });
  });

  it("reads CLOSE as closed and PAYING as pending", async () => {
    for (const [word, status] of [["CLOSE", "closed"], ["PAYING", "pending"]] as const) {
      const { http } = fakeHttp(() => JSON.stringify({ code: "200", data: { payStatus: word } }));
      await expect(vbao(CONFIG).queryOrder?.({ orderNo: "A1" }, http)).resolves.toMatchObject({ status });
    }
  });
});
