/**
 * Scene is where the payer is (SPEC "Additions (round 2)"): `jsapi` inside a wallet's own
 * browser, `mini` in a mini-program, `h5` anywhere else. Through the real router against the
 * sandbox: a gateway serves every environment its API can, and a refusal names the configured
 * gateways that can.
 */
import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { sandboxAdapters } from "@paybridge/sandbox";
import { paybridge } from "../../src/express.js";
import { startSandbox } from "../../../sandbox/test/support.js";

async function shop(routing: Record<string, string>) {
  const running = await startSandbox();
  const adapters = sandboxAdapters(running.url, { upaas: { wxAppId: "wx-oa", subAppId: "wx-mini", subAppName: "Shop" }, lianke: { appId: "wx-oa" } });
  const app = express().use(
    "/pay",
    paybridge({
      gateways: adapters,
      routing,
      publicUrl: "http://127.0.0.1:9/pay",
      // An order number ending in "-known" comes with the payer's openId (a signed-in payer).
      resolveOrder: ({ orderNo }) => ({ amountFen: 29, ...(orderNo.endsWith("-known") ? { openId: "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o" } : {}) }),
      onPaid: () => {},
      statusTokenSecret: "scene-test-secret-0123456789abcdef",
    }),
  );
  return request(app);
}

describe("scene = the payer's environment", () => {
  it("xiangma serves a payer in WeChat's own browser: wallet parameters when the openId is known, else its page", async () => {
    const api = await shop({ wechat: "xiangma", alipay: "xiangma", unionpay: "xiangma" });
    const known = await api.post("/pay/orders").send({ orderNo: "W1-known", channel: "wechat", scene: "jsapi" });
    expect(known.status, JSON.stringify(known.body)).toBe(201);
    expect(known.body.action).toMatchObject({ type: "wechat", params: { package: expect.stringMatching(/^prepay_id=/), timeStamp: expect.stringMatching(/^\d{10}$/) } });

    const unknown = await api.post("/pay/orders").send({ orderNo: "W2", channel: "wechat", scene: "jsapi" });
    expect(unknown.status, JSON.stringify(unknown.body)).toBe(201);
    expect(unknown.body.action).toMatchObject({ type: "redirect" });
  });

  it("xiangma serves a payer in Alipay's own browser, and in the UnionPay app", async () => {
    const api = await shop({ wechat: "xiangma", alipay: "xiangma", unionpay: "xiangma" });
    const alipay = await api.post("/pay/orders").send({ orderNo: "A1-known", channel: "alipay", scene: "jsapi" });
    expect(alipay.status, JSON.stringify(alipay.body)).toBe(201);
    expect(alipay.body.action).toMatchObject({ type: "alipay", tradeNO: expect.any(String) });
    const unionpay = await api.post("/pay/orders").send({ orderNo: "U1", channel: "unionpay", scene: "jsapi" });
    expect(unionpay.status, JSON.stringify(unionpay.body)).toBe(201);
    expect(unionpay.body.action).toMatchObject({ type: "redirect" });
  });

  it("a plain browser at xiangma gets its page even when the openId is known", async () => {
    const api = await shop({ wechat: "xiangma" });
    const res = await api.post("/pay/orders").send({ orderNo: "H1-known", channel: "wechat", scene: "h5" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.action).toMatchObject({ type: "redirect" });
  });

  it("fubei serves a payer in Alipay's own browser (openapi.payment.Alipay.H5)", async () => {
    const api = await shop({ wechat: "fubei", alipay: "fubei" });
    const res = await api.post("/pay/orders").send({ orderNo: "FA1-known", channel: "alipay", scene: "jsapi" });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.action).toMatchObject({ type: "alipay", tradeNO: expect.any(String) });
  });

  it("refuses only what the gateway cannot serve, naming the configured gateways that can", async () => {
    const toFubei = await shop({ wechat: "fubei" });
    const jsapi = await toFubei.post("/pay/orders").send({ orderNo: "F1-known", channel: "wechat", scene: "jsapi" });
    expect(jsapi.status).toBe(400);
    expect(jsapi.body.error).toMatchObject({ code: "invalid_request", field: "scene" });
    expect(jsapi.body.error.message).toMatch(/^fubei cannot serve wechat in scene jsapi/);
    expect(jsapi.body.error.message).toContain("xiangma");

    const toXiangma = await shop({ wechat: "xiangma" });
    const mini = await toXiangma.post("/pay/orders").send({ orderNo: "M1-known", channel: "wechat", scene: "mini" });
    expect(mini.status).toBe(400);
    expect(mini.body.error).toMatchObject({ field: "scene" });
    expect(mini.body.error.message).toMatch(/^xiangma cannot serve wechat in scene mini.*configured gateways that can: .*fubei/);
  });
});
