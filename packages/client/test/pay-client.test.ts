// @vitest-environment jsdom
import { afterEach, describe, expect, test, vi } from "vitest";
import { createPayClient, PayError, type PayClientOptions } from "@paybridge/client";
import type { PayAction } from "@paybridge/shared";
import type { PayGlobals } from "../src/globals.js";
import { createdOrder, ENDPOINT, fakeAlipayBridge, fakeServer, fakeWeixinBridge, orderStatus, ok, UA, WECHAT_PARAMS } from "./fakes.js";

afterEach(() => {
  vi.useRealTimers();
});

const wechatOrder = createdOrder({ type: "wechat", params: WECHAT_PARAMS });
const inWechat = (errMsg = "get_brand_wcpay_request:ok"): PayGlobals => ({
  navigator: { userAgent: UA.wechat },
  document,
  WeixinJSBridge: fakeWeixinBridge(errMsg),
});

function client(server: ReturnType<typeof fakeServer>, globals: PayGlobals, options: Partial<PayClientOptions> = {}) {
  return createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals, ...options });
}

describe("confirmation with the server", () => {
  test("polls with back-off until the server says paid", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("pending"), orderStatus("pending"), orderStatus("paid")]);
    const paying = client(server, inWechat()).pay({ orderNo: "A1" });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(paying).resolves.toMatchObject({ status: "paid" });
    expect(server.statusRequests()).toHaveLength(3);
  });

  test("resolves pending once the confirm timeout passes without paid", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("pending")]);
    const pay = client(server, inWechat(), { confirmTimeoutMs: 10_000 });
    const pending = vi.fn();
    pay.on("pending", pending);
    const paying = pay.pay({ orderNo: "A1" });
    const settled = vi.fn();
    paying.then(settled);
    await vi.advanceTimersByTimeAsync(9_000);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_000);
    expect(settled).toHaveBeenCalledWith({ status: "pending", orderNo: "A1", channel: "wechat" });
    expect(pending).toHaveBeenCalledOnce();
    // back-off: fewer asks than one per half second
    expect(server.statusRequests().length).toBeGreaterThan(2);
    expect(server.statusRequests().length).toBeLessThan(20);
  });

  test("keeps asking through network failures", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), ["unreachable", "unreachable", orderStatus("paid")]);
    const paying = client(server, inWechat()).pay({ orderNo: "A1" });
    await vi.advanceTimersByTimeAsync(5_000);
    await expect(paying).resolves.toMatchObject({ status: "paid" });
    // paid came from the third answer, not from a failed ask
    expect(server.statusRequests()).toHaveLength(3);
  });

  test("a closed order rejects order_closed", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("closed")]);
    await expect(client(server, inWechat()).pay({ orderNo: "A1" })).rejects.toMatchObject({ code: "order_closed" });
  });

  test("an order the server already reports paid resolves paid at once, with no launch", async () => {
    const server = fakeServer(ok(createdOrder(undefined, { status: "paid" }), 200));
    const globals = inWechat();
    const result = await client(server, globals).pay({ orderNo: "A1" });
    expect(result).toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect((globals.WeixinJSBridge as ReturnType<typeof fakeWeixinBridge>).calls).toHaveLength(0);
    expect(server.statusRequests()).toHaveLength(0);
  });
});

describe("one payment at a time", () => {
  test("a second pay() of the same order gets the same promise and makes no second order", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const pay = client(server, inWechat());
    const first = pay.pay({ orderNo: "A1" });
    const second = pay.pay({ orderNo: "A1" });
    expect(second).toBe(first);
    await first;
    expect(server.requests.filter((r) => r.method === "POST")).toHaveLength(1);
  });

  test("pay() of another order while one runs rejects with a PayError; afterwards it is allowed", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const pay = client(server, inWechat());
    const first = pay.pay({ orderNo: "A1" });
    const other = pay.pay({ orderNo: "B2" }).catch((e: unknown) => e);
    expect(await other).toBeInstanceOf(PayError);
    expect(await other).toMatchObject({ code: "invalid_request", message: expect.stringContaining("A1") });
    await first;
    await expect(pay.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
  });

  test("a failed payment frees the client for the next one", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("pending"), orderStatus("paid")]);
    const globals = inWechat("get_brand_wcpay_request:fail");
    const pay = client(server, globals);
    await expect(pay.pay({ orderNo: "A1" })).rejects.toMatchObject({ code: "bridge_failed" });
    globals.WeixinJSBridge = fakeWeixinBridge("get_brand_wcpay_request:ok");
    await expect(pay.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
  });
});

describe("errors", () => {
  test("a server error becomes a PayError with its code, HTTP status and body", async () => {
    const body = { error: { code: "order_not_found", message: "no such order" } };
    const server = fakeServer(ok(body, 404));
    const error = await client(server, inWechat()).pay({ orderNo: "A1" }).catch((e: PayError) => e);
    expect(error).toBeInstanceOf(PayError);
    expect(error).toMatchObject({ code: "order_not_found", status: 404, body, message: "no such order" });
  });

  test("an answer that is not paybridge's (proxy error page) is internal with its status", async () => {
    const server = fakeServer({ status: 502 });
    await expect(client(server, inWechat()).pay({ orderNo: "A1" })).rejects.toMatchObject({ code: "internal", status: 502 });
  });

  test("no connection is network_error", async () => {
    const server = fakeServer("unreachable");
    await expect(client(server, inWechat()).pay({ orderNo: "A1" })).rejects.toMatchObject({ code: "network_error" });
  });

  test("failed is emitted with the error and the order number", async () => {
    const server = fakeServer(ok({ error: { code: "gateway_error", message: "upstream said no" } }, 502));
    const pay = client(server, inWechat());
    const failed = vi.fn();
    pay.on("failed", failed);
    await pay.pay({ orderNo: "A1" }).catch(() => undefined);
    expect(failed).toHaveBeenCalledWith(expect.objectContaining({ code: "gateway_error" }), "A1");
  });
});

function withoutField(field: keyof typeof WECHAT_PARAMS): Partial<typeof WECHAT_PARAMS> {
  const { [field]: _dropped, ...rest } = WECHAT_PARAMS;
  return rest;
}

describe("an action this client cannot launch (server and client do not match)", () => {
  test.each([
    ["an unknown type", { type: "qr", url: "https://pay.test/q" }],
    ["wechat without params", { type: "wechat" }],
    ["alipay with an empty tradeNO", { type: "alipay", tradeNO: "" }],
    ["redirect without a url", { type: "redirect", params: WECHAT_PARAMS }],
    ["wechat with a numeric timeStamp", { type: "wechat", params: { ...WECHAT_PARAMS, timeStamp: 1702607213 } }],
    ["wechat without paySign", { type: "wechat", params: withoutField("paySign") }],
    ["wechat with an empty appId", { type: "wechat", params: { ...WECHAT_PARAMS, appId: "" } }],
    ["wechat without signType", { type: "wechat", params: withoutField("signType") }],
    ["alipay without tradeNO", { type: "alipay" }],
  ])("%s rejects unsupported_channel carrying the action, emits failed and launches nothing", async (_case, action) => {
    const server = fakeServer(ok(createdOrder(action as unknown as PayAction), 201), [orderStatus("paid")]);
    const weixin = fakeWeixinBridge("get_brand_wcpay_request:ok");
    const alipay = fakeAlipayBridge({ resultCode: "9000" });
    const navigate = vi.fn();
    const pay = client(server, { ...inWechat(), WeixinJSBridge: weixin, AlipayJSBridge: alipay }, { navigate, confirmTimeoutMs: 0 });
    const failed = vi.fn();
    const launched = vi.fn();
    pay.on("failed", failed);
    pay.on("launched", launched);

    const error = await pay.pay({ orderNo: "A1" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PayError);
    expect(error).toMatchObject({ code: "unsupported_channel", body: action });
    expect(failed).toHaveBeenCalledWith(error, "A1");
    expect(launched).not.toHaveBeenCalled();
    expect([...weixin.calls, ...alipay.calls]).toHaveLength(0);
    expect(navigate).not.toHaveBeenCalled();
    expect(server.statusRequests()).toHaveLength(0);
  });
});

describe("channel and scene", () => {
  const desktop: PayGlobals = { navigator: { userAgent: UA.desktop }, document };

  test("a plain browser without a channel rejects unsupported_channel and sends nothing", async () => {
    const server = fakeServer(ok(wechatOrder, 201));
    await expect(client(server, desktop).pay({ orderNo: "A1" })).rejects.toMatchObject({ code: "unsupported_channel" });
    expect(server.requests).toHaveLength(0);
  });

  test("a plain browser sends the given channel and no scene", async () => {
    const server = fakeServer(ok(createdOrder({ type: "redirect", url: "https://pay.test/p" }, { channel: "unionpay" }), 201));
    await client(server, desktop, { navigate: () => {} }).pay({ orderNo: "A1", channel: "unionpay" });
    expect(server.requests[0]!.body).toEqual({ orderNo: "A1", channel: "unionpay" });
  });

  test("an explicit channel other than the detected one does not get the detected scene", async () => {
    const server = fakeServer(ok(createdOrder({ type: "redirect", url: "https://pay.test/p" }, { channel: "unionpay" }), 201));
    await client(server, inWechat(), { navigate: () => {} }).pay({ orderNo: "A1", channel: "unionpay" });
    expect(server.requests[0]!.body).toEqual({ orderNo: "A1", channel: "unionpay" });
  });

  test("the detected channel named explicitly keeps the detected scene", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    await client(server, inWechat()).pay({ orderNo: "A1", channel: "wechat" });
    expect(server.requests[0]!.body).toEqual({ orderNo: "A1", channel: "wechat", scene: "jsapi" });
  });

  test("WeCom (wxwork) refuses WeChat before creating an order", async () => {
    const server = fakeServer(ok(wechatOrder, 201));
    const wecom = { navigator: { userAgent: `${UA.wechat} wxwork/4.1.0 ColorScheme/Light` }, document };
    await expect(client(server, wecom).pay({ orderNo: "A1", channel: "wechat" })).rejects.toMatchObject({ code: "unsupported_channel", environment: "wecom" });
    await expect(client(server, wecom).pay({ orderNo: "A1" })).rejects.toMatchObject({ code: "unsupported_channel" });
    expect(server.requests).toHaveLength(0);
  });

  test("Alipay inside WeChat refuses with open_in_browser before creating an order", async () => {
    const server = fakeServer(ok(wechatOrder, 201));
    await expect(client(server, inWechat()).pay({ orderNo: "A1", channel: "alipay" })).rejects.toMatchObject({
      code: "open_in_browser",
      environment: "wechat",
    });
    expect(server.requests).toHaveLength(0);
  });

  test("explicit channel and scene win over detection", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    await client(server, inWechat()).pay({ orderNo: "A1", channel: "wechat", scene: "h5", openId: "o-1" });
    expect(server.requests[0]!.body).toEqual({ orderNo: "A1", channel: "wechat", scene: "h5", openId: "o-1" });
  });
});

describe("events", () => {
  test("created (without the status token), launched and paid, in order", async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const pay = client(server, inWechat());
    const seen: [string, unknown][] = [];
    for (const name of ["created", "launched", "paid", "cancelled", "pending"] as const) {
      pay.on(name, (payload: unknown) => seen.push([name, payload]));
    }
    await pay.pay({ orderNo: "A1" });
    const { statusToken: _token, ...created } = wechatOrder;
    expect(seen).toEqual([
      ["created", created],
      ["launched", { orderNo: "A1", channel: "wechat", action: "wechat" }],
      ["paid", { status: "paid", orderNo: "A1", channel: "wechat" }],
    ]);
  });
});
