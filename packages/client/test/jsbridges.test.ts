// @vitest-environment jsdom
import { afterEach, describe, expect, test, vi } from "vitest";
import { createPayClient, PayError, type PayClientOptions } from "@paybridge/client";
import type { PayGlobals } from "../src/globals.js";
import { createdOrder, ENDPOINT, fakeAlipayBridge, fakeServer, fakeWeixinBridge, orderStatus, ok, UA, WECHAT_PARAMS } from "./fakes.js";

afterEach(() => {
  vi.useRealTimers();
});

const wechatOrder = createdOrder({ type: "wechat", params: WECHAT_PARAMS });
const alipayOrder = createdOrder({ type: "alipay", tradeNO: "2022090822001484981417335685" }, { channel: "alipay" });

function client(server: ReturnType<typeof fakeServer>, globals: PayGlobals, options: Partial<PayClientOptions> = {}) {
  return createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals, ...options });
}

describe("WeixinJSBridge getBrandWCPayRequest", () => {
  const inWechat = (extra: PayGlobals = {}): PayGlobals => ({ navigator: { userAgent: UA.wechat }, document, ...extra });

  test(":ok is confirmed with the server before resolving paid", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const bridge = fakeWeixinBridge("get_brand_wcpay_request:ok");
    const result = await client(server, inWechat({ WeixinJSBridge: bridge })).pay({ orderNo: "A1" });
    expect(result).toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(bridge.calls).toEqual([{ name: "getBrandWCPayRequest", params: WECHAT_PARAMS }]);
    expect(server.requests[0]).toMatchObject({ method: "POST", url: `${ENDPOINT}/orders`, body: { orderNo: "A1", channel: "wechat", scene: "jsapi" } });
    // The token travels in a header, never in the URL (access logs keep URLs).
    expect(server.statusRequests()[0]!.url).toBe(`${ENDPOINT}/orders/A1`);
    expect(server.statusRequests()[0]!.headers["x-paybridge-token"]).toBe("token-A1");
  });

  test(":cancel resolves cancelled once the server, asked once, has no payment", async () => {
    const server = fakeServer(ok(wechatOrder, 201));
    const result = await client(server, inWechat({ WeixinJSBridge: fakeWeixinBridge("get_brand_wcpay_request:cancel") })).pay({ orderNo: "A1" });
    expect(result.status).toBe("cancelled");
    expect(server.statusRequests()).toHaveLength(1);
  });

  test(":fail rejects bridge_failed carrying the raw err_msg once the server, asked once, has no payment", async () => {
    const server = fakeServer(ok(wechatOrder, 201));
    const raw = "get_brand_wcpay_request:fail";
    const error = await client(server, inWechat({ WeixinJSBridge: fakeWeixinBridge(raw) }))
      .pay({ orderNo: "A1" })
      .then(() => undefined, (e: PayError) => e);
    expect(error).toBeInstanceOf(PayError);
    expect(error?.code).toBe("bridge_failed");
    expect(error?.message).toContain(raw);
    expect(error?.bridgeResult).toEqual({ err_msg: raw });
    expect(server.statusRequests()).toHaveLength(1);
  });

  test("waits for WeixinJSBridgeReady when the bridge is not there yet", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const globals = inWechat();
    const paying = client(server, globals).pay({ orderNo: "A1" });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    globals.WeixinJSBridge = fakeWeixinBridge("get_brand_wcpay_request:ok");
    document.dispatchEvent(new Event("WeixinJSBridgeReady"));
    await expect(paying).resolves.toMatchObject({ status: "paid" });
  });

  test("rejects bridge_unavailable when WeixinJSBridgeReady never fires", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201));
    const paying = client(server, inWechat(), { readyTimeoutMs: 3_000 }).pay({ orderNo: "A1" });
    const settled = vi.fn();
    paying.then(settled, settled);
    await vi.advanceTimersByTimeAsync(2_999);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    await expect(paying).rejects.toMatchObject({ code: "bridge_unavailable" });
  });
});

describe("AlipayJSBridge tradePay", () => {
  const inAlipay = (extra: PayGlobals = {}): PayGlobals => ({ navigator: { userAgent: UA.alipay }, document, ...extra });

  test.each([
    ["9000", "paid"],
    [9000, "paid"],
    ["6004", "paid"],
  ] as const)("resultCode %j → confirmed, %s by the server", async (resultCode, expected) => {
    const server = fakeServer(ok(alipayOrder, 201), [orderStatus("paid")]);
    const bridge = fakeAlipayBridge({ resultCode });
    const result = await client(server, inAlipay({ AlipayJSBridge: bridge })).pay({ orderNo: "A1" });
    expect(result).toEqual({ status: expected, orderNo: "A1", channel: "alipay" });
    expect(bridge.calls).toEqual([{ name: "tradePay", params: { tradeNO: "2022090822001484981417335685" } }]);
    expect(server.requests[0]!.body).toEqual({ orderNo: "A1", channel: "alipay", scene: "jsapi" });
  });

  test("8000 (processing) resolves pending when the server has not seen the payment", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(alipayOrder, 201), [orderStatus("pending")]);
    const paying = client(server, inAlipay({ AlipayJSBridge: fakeAlipayBridge({ resultCode: "8000" }) }), { confirmTimeoutMs: 4_000 }).pay({
      orderNo: "A1",
    });
    await vi.advanceTimersByTimeAsync(4_000);
    await expect(paying).resolves.toEqual({ status: "pending", orderNo: "A1", channel: "alipay" });
    expect(server.statusRequests().length).toBeGreaterThan(1);
  });

  test.each(["6001", "99"])("%s resolves cancelled once the server, asked once, has no payment", async (resultCode) => {
    const server = fakeServer(ok(alipayOrder, 201));
    const result = await client(server, inAlipay({ AlipayJSBridge: fakeAlipayBridge({ resultCode }) })).pay({ orderNo: "A1" });
    expect(result.status).toBe("cancelled");
    expect(server.statusRequests()).toHaveLength(1);
  });

  test.each(["4000"])("%s rejects bridge_failed with the raw result", async (resultCode) => {
    const server = fakeServer(ok(alipayOrder, 201));
    const raw = { resultCode, memo: "系统繁忙" };
    const paying = client(server, inAlipay({ AlipayJSBridge: fakeAlipayBridge(raw) })).pay({ orderNo: "A1" });
    await expect(paying).rejects.toMatchObject({ code: "bridge_failed", bridgeResult: raw });
  });

  test("waits for AlipayJSBridgeReady, and times out to bridge_unavailable", async () => {
    const server = fakeServer(ok(alipayOrder, 201), [orderStatus("paid")]);
    const globals = inAlipay();
    const paying = client(server, globals).pay({ orderNo: "A1" });
    await vi.waitFor(() => expect(server.requests).toHaveLength(1));
    globals.AlipayJSBridge = fakeAlipayBridge({ resultCode: "9000" });
    document.dispatchEvent(new Event("AlipayJSBridgeReady"));
    await expect(paying).resolves.toMatchObject({ status: "paid" });

    vi.useFakeTimers();
    const waiting = client(fakeServer(ok(alipayOrder, 201)), inAlipay()).pay({ orderNo: "A1" });
    const caught = waiting.catch((e: PayError) => e);
    await vi.advanceTimersByTimeAsync(5_000);
    expect(await caught).toMatchObject({ code: "bridge_unavailable" });
  });
});
