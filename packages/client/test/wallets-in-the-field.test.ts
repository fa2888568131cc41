// @vitest-environment jsdom
/**
 * Wallets as they behave in the field (public docs and reports): no callback at all, a cancel
 * followed by ok, result codes that mean "unknown", a failed status that a verified payment
 * later overrides. The server is the only judge; the client asks it before believing anything.
 */
import { afterEach, describe, expect, test, vi } from "vitest";
import { createPayClient, type PayClientOptions } from "@paybridge/client";
import type { OrderStatus } from "@paybridge/shared";
import type { PayGlobals } from "../src/globals.js";
import {
  createdOrder,
  ENDPOINT,
  fakeAlipayBridge,
  fakeServer,
  fakeWeixinBridge,
  orderStatus,
  ok,
  pageVisibility,
  UA,
  WECHAT_PARAMS,
  wildWeixinBridge,
} from "./fakes.js";

afterEach(() => {
  vi.useRealTimers();
});

const wechatOrder = createdOrder({ type: "wechat", params: WECHAT_PARAMS });
const alipayOrder = createdOrder({ type: "alipay", tradeNO: "2022090822001484981417335685" }, { channel: "alipay" });
const inWechat = (bridge: PayGlobals["WeixinJSBridge"]): PayGlobals => ({
  navigator: { userAgent: UA.wechat },
  document,
  addEventListener: window.addEventListener.bind(window),
  removeEventListener: window.removeEventListener.bind(window),
  WeixinJSBridge: bridge,
});
const inAlipay = (resultCode: string): PayGlobals => ({ navigator: { userAgent: UA.alipay }, document, AlipayJSBridge: fakeAlipayBridge({ resultCode }) });

function client(server: ReturnType<typeof fakeServer>, globals: PayGlobals, options: Partial<PayClientOptions> = {}) {
  return createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals, ...options });
}

/** Settles `promise` while fake time runs, and returns what it settled with. */
async function settle<T>(promise: Promise<T>, ms: number): Promise<{ value?: T; error?: unknown; settled: boolean }> {
  const outcome: { value?: T; error?: unknown; settled: boolean } = { settled: false };
  promise.then(
    (value) => Object.assign(outcome, { value, settled: true }),
    (error: unknown) => Object.assign(outcome, { error, settled: true }),
  );
  await vi.advanceTimersByTimeAsync(ms);
  return outcome;
}

describe("a wallet that never calls back", () => {
  test("the page coming back into view (visibilitychange) asks the server and settles paid; the next pay() is not locked", async () => {
    vi.useFakeTimers();
    const flip = pageVisibility(document);
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const bridge = wildWeixinBridge([]);
    const pay = client(server, inWechat(bridge));
    const paying = pay.pay({ orderNo: "A1" });
    await vi.advanceTimersByTimeAsync(1_000);
    expect(server.statusRequests()).toHaveLength(0);
    flip("hidden");
    flip("visible");
    // the wallet gets a moment to answer after its view closes
    expect((await settle(paying, 1_000)).settled).toBe(false);
    expect(await settle(paying, 600)).toMatchObject({ value: { status: "paid" } });
    // The next pay() launches the wallet again instead of waiting on the silent one.
    const next = await settle(pay.pay({ orderNo: "B2" }), 100);
    expect(next.error).toBeUndefined();
    expect(bridge.calls).toBe(2);
  });

  test("pageshow (restored from the back-forward cache) asks the server too", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const paying = client(server, inWechat(wildWeixinBridge([]))).pay({ orderNo: "A1" });
    await vi.advanceTimersByTimeAsync(100);
    window.dispatchEvent(new Event("pageshow"));
    expect(await settle(paying, 1_600)).toMatchObject({ value: { status: "paid" } });
  });

  test("after launchTimeoutMs the server is asked; still unpaid by confirmTimeoutMs it resolves pending", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("pending")]);
    const paying = client(server, inWechat(wildWeixinBridge([])), { launchTimeoutMs: 60_000, confirmTimeoutMs: 5_000 }).pay({ orderNo: "A1" });
    expect((await settle(paying, 59_000)).settled).toBe(false);
    expect(server.statusRequests()).toHaveLength(0);
    const outcome = await settle(paying, 6_100);
    expect(outcome).toMatchObject({ value: { status: "pending", orderNo: "A1" } });
    expect(server.statusRequests().length).toBeGreaterThan(0);
  });

  test("a mini-program whose wx.requestPayment never answers: when the app is shown again (wx.onAppShow) the server is asked", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const shown: (() => void)[] = [];
    const wx = {
      requestPayment: () => undefined, // no success, fail or complete: ever
      onAppShow: (listener: () => void) => void shown.push(listener),
      offAppShow: (listener: () => void) => void shown.splice(shown.indexOf(listener), 1),
    };
    const paying = client(server, { wx }).pay({ orderNo: "A1" });
    await vi.advanceTimersByTimeAsync(100);
    expect(shown).toHaveLength(1);
    shown[0]!();
    expect(await settle(paying, 1_600)).toMatchObject({ value: { status: "paid" } });
    expect(shown).toHaveLength(0);
  });

  test('old wx.requestPayment: a cancel that calls only complete ("requestPayment:cancel") resolves cancelled', async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("pending")]);
    const wx = {
      request: undefined,
      requestPayment(options: { complete?: (result: { errMsg: string }) => void }) {
        setTimeout(() => options.complete?.({ errMsg: "requestPayment:cancel" }));
      },
    };
    const result = await client(server, { wx }).pay({ orderNo: "A1" });
    expect(result.status).toBe("cancelled");
    expect(server.statusRequests()).toHaveLength(1);
  });
});

test("a cancel that arrives just after the page is visible again is still a cancel (not a silent wallet)", async () => {
  vi.useFakeTimers();
  const flip = pageVisibility(document);
  const server = fakeServer(ok(wechatOrder, 201), [orderStatus("pending")]);
  let answer: ((result: { err_msg: string }) => void) | undefined;
  const bridge = { invoke: (_n: string, _p: object, callback: (result: { err_msg: string }) => void) => void (answer = callback) };
  const paying = client(server, inWechat(bridge)).pay({ orderNo: "A1" });
  await vi.advanceTimersByTimeAsync(100);
  flip("hidden");
  flip("visible");
  await vi.advanceTimersByTimeAsync(300);
  answer!({ err_msg: "get_brand_wcpay_request:cancel" });
  expect(await settle(paying, 100)).toMatchObject({ value: { status: "cancelled" } });
});

describe("cancel and fail are believed only after the server", () => {
  test('WeChat ":cancel" then ":ok" for a paid order resolves paid', async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const result = await client(server, inWechat(wildWeixinBridge(["get_brand_wcpay_request:cancel", "get_brand_wcpay_request:ok"]))).pay({
      orderNo: "A1",
    });
    expect(result.status).toBe("paid");
  });

  test('WeChat ":fail" for an order the server has paid resolves paid', async () => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    await expect(client(server, inWechat(fakeWeixinBridge("get_brand_wcpay_request:fail"))).pay({ orderNo: "A1" })).resolves.toMatchObject({
      status: "paid",
    });
  });

  test.each(["get_brand_wcpay_request:fail_nopermission", "system:access_denied", ""])(
    "an unexpected err_msg %j is confirmed with the server",
    async (errMsg) => {
      const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
      await expect(client(server, inWechat(fakeWeixinBridge(errMsg))).pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
    },
  );

  test.each(["6002", "5000", "8000", "6004", "1234"])("Alipay %s (unknown result) is confirmed with the server", async (code) => {
    const server = fakeServer(ok(alipayOrder, 201), [orderStatus("pending"), orderStatus("paid")]);
    await expect(client(server, inAlipay(code)).pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
    expect(server.statusRequests()).toHaveLength(2);
  });

  test("Alipay 6001 for an order the server has paid resolves paid", async () => {
    const server = fakeServer(ok(alipayOrder, 201), [orderStatus("paid")]);
    await expect(client(server, inAlipay("6001")).pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
  });
});

describe("confirmation", () => {
  test.each(["refunded", "partially_refunded"] as unknown as OrderStatus[])("%s counts as paid (the payment happened)", async (status) => {
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus(status)]);
    await expect(client(server, inWechat(fakeWeixinBridge("get_brand_wcpay_request:ok"))).pay({ orderNo: "A1" })).resolves.toMatchObject({
      status: "paid",
    });
  });

  test("failed while confirming keeps asking: a verified payment that comes later wins", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("failed"), orderStatus("failed"), orderStatus("paid")]);
    const paying = client(server, inWechat(fakeWeixinBridge("get_brand_wcpay_request:ok"))).pay({ orderNo: "A1" });
    expect(await settle(paying, 5_000)).toMatchObject({ value: { status: "paid" } });
  });

  test("failed until the deadline rejects order_closed at the deadline, not before", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("failed")]);
    const paying = client(server, inWechat(fakeWeixinBridge("get_brand_wcpay_request:ok")), { confirmTimeoutMs: 4_000 }).pay({ orderNo: "A1" });
    expect((await settle(paying, 3_000)).settled).toBe(false);
    expect(await settle(paying, 1_100)).toMatchObject({ error: { code: "order_closed" } });
  });

  test("only network errors never become paid: pending at the deadline", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), ["unreachable"]);
    const paid = vi.fn();
    const pay = client(server, inWechat(fakeWeixinBridge("get_brand_wcpay_request:ok")), { confirmTimeoutMs: 4_000 });
    pay.on("paid", paid);
    expect(await settle(pay.pay({ orderNo: "A1" }), 4_100)).toMatchObject({ value: { status: "pending" } });
    expect(paid).not.toHaveBeenCalled();
    expect(server.statusRequests().length).toBeGreaterThan(1);
  });

  test("confirmTimeoutMs bounds the whole confirmation, a request that never answers included", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201));
    const hanging: typeof fetch = (input, init) =>
      (input as Request).method === "GET" ? new Promise<Response>(() => undefined) : server.fetch(input, init);
    const paying = createPayClient({
      endpoint: ENDPOINT,
      fetch: hanging,
      globals: inWechat(fakeWeixinBridge("get_brand_wcpay_request:ok")),
      confirmTimeoutMs: 3_000,
    }).pay({ orderNo: "A1" });
    expect((await settle(paying, 2_900)).settled).toBe(false);
    expect(await settle(paying, 200)).toMatchObject({ value: { status: "pending" } });
  });
});

describe("listeners", () => {
  test("a throwing listener does not turn a confirmed payment into a rejection; its error is reported", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const pay = client(server, inWechat(fakeWeixinBridge("get_brand_wcpay_request:ok")));
    const after = vi.fn();
    pay.on("paid", () => {
      throw new Error("page handler broke");
    });
    pay.on("paid", after);
    await expect(pay.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
    expect(after).toHaveBeenCalledOnce();
    expect(() => vi.runOnlyPendingTimers()).toThrow("page handler broke");
  });
});

describe("check(orderNo)", () => {
  test("after pending, reads the server with the kept status token", async () => {
    vi.useFakeTimers();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("pending")]);
    const pay = client(server, inWechat(fakeWeixinBridge("get_brand_wcpay_request:ok")), { confirmTimeoutMs: 1_000 });
    expect(await settle(pay.pay({ orderNo: "A1" }), 1_100)).toMatchObject({ value: { status: "pending" } });
    vi.useRealTimers();
    server.statuses.push(orderStatus("paid"));
    server.statuses.splice(0, 1);
    const asked = server.statusRequests().length;
    await expect(pay.check("A1")).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(server.statusRequests()).toHaveLength(asked + 1);
    expect(server.statusRequests().at(-1)!.headers["x-paybridge-token"]).toBe("token-A1");
  });

  test("an order this page never created rejects invalid_request without asking", async () => {
    const server = fakeServer(ok(wechatOrder, 201));
    await expect(client(server, inWechat(undefined)).check("Z9")).rejects.toMatchObject({ code: "invalid_request" });
    expect(server.requests).toHaveLength(0);
  });
});
