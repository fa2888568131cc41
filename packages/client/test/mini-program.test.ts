// @vitest-environment jsdom
import { describe, expect, test } from "vitest";
import { createPayClient, myTransport, PayError, wxTransport } from "@paybridge/client";
import { clearPendingOrder } from "../src/pending-order.js";
import { createdOrder, ENDPOINT, fakeServer, orderStatus, ok, UA, WECHAT_PARAMS } from "./fakes.js";
import { fakeMy, fakeWx, type MiniServer } from "./mini-fakes.js";

const wechatOrder = createdOrder({ type: "wechat", params: WECHAT_PARAMS });
const alipayOrder = createdOrder({ type: "alipay", tradeNO: "T-1" }, { channel: "alipay" });

/** Our server as seen through wx.request / my.request: create answers `order`, status answers `status`. */
const paybridgeServer =
  (order: object, status = "paid"): MiniServer =>
  ({ method, url }) =>
    method === "POST" ? { status: 201, data: order } : { status: 200, data: { orderNo: "A1", status, amountFen: 1, url } };

describe("WeChat mini-program page: wx.requestPayment over a wx.request transport", () => {
  test("creates with scene mini, pays and confirms, all through wx", async () => {
    const wx = fakeWx({ server: paybridgeServer(wechatOrder) });
    const client = createPayClient({ endpoint: ENDPOINT, transport: wxTransport(wx), globals: { wx } });
    await expect(client.pay({ orderNo: "A1", openId: "o-1" })).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(wx.calls.request[0]).toMatchObject({
      url: `${ENDPOINT}/orders`,
      method: "POST",
      body: { orderNo: "A1", openId: "o-1", channel: "wechat", scene: "mini" },
    });
    expect(wx.calls.request[1]).toMatchObject({ method: "GET", header: { "x-paybridge-token": "token-A1" } });
    expect(wx.calls.request[1]!.url).toMatch(`${ENDPOINT}/orders/A1`);
    expect(wx.calls.requestPayment).toEqual([WECHAT_PARAMS]);
  });

  test('"requestPayment:fail cancel" resolves cancelled', async () => {
    const wx = fakeWx({ server: paybridgeServer(wechatOrder, "pending"), payment: { fail: { errMsg: "requestPayment:fail cancel" } } });
    const client = createPayClient({ endpoint: ENDPOINT, transport: wxTransport(wx), globals: { wx } });
    await expect(client.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "cancelled" });
  });

  test("any other fail rejects bridge_failed with the raw error", async () => {
    const raw = { errMsg: "requestPayment:fail (detail message)" };
    const wx = fakeWx({ server: paybridgeServer(wechatOrder, "pending"), payment: { fail: raw } });
    const client = createPayClient({ endpoint: ENDPOINT, transport: wxTransport(wx), globals: { wx } });
    await expect(client.pay({ orderNo: "A1" })).rejects.toMatchObject({ code: "bridge_failed", bridgeResult: raw });
  });
});

describe("Alipay mini-program page: my.tradePay over a my.request transport", () => {
  test("9000 in the success callback is confirmed with the server", async () => {
    const my = fakeMy({ server: paybridgeServer(alipayOrder) });
    const client = createPayClient({ endpoint: ENDPOINT, transport: myTransport(my), globals: { my } });
    await expect(client.pay({ orderNo: "A1" })).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "alipay" });
    expect(my.calls.tradePay).toEqual([{ tradeNO: "T-1" }]);
    expect(my.calls.request[0]!.body).toEqual({ orderNo: "A1", channel: "alipay", scene: "mini" });
  });

  test("6001 in the success callback is cancelled; 4000 is bridge_failed; a fail callback is bridge_failed", async () => {
    const cancelled = fakeMy({ server: paybridgeServer(alipayOrder, "pending"), tradePay: { success: { resultCode: "6001" } } });
    await expect(
      createPayClient({ endpoint: ENDPOINT, transport: myTransport(cancelled), globals: { my: cancelled } }).pay({ orderNo: "A1" }),
    ).resolves.toMatchObject({ status: "cancelled" });

    const failed = fakeMy({ server: paybridgeServer(alipayOrder, "pending"), tradePay: { success: { resultCode: 4000 } } });
    await expect(
      createPayClient({ endpoint: ENDPOINT, transport: myTransport(failed), globals: { my: failed } }).pay({ orderNo: "A1" }),
    ).rejects.toMatchObject({ code: "bridge_failed", bridgeResult: { resultCode: 4000 } });

    const broken = fakeMy({ server: paybridgeServer(alipayOrder, "pending"), tradePay: { fail: { error: 3, errorMessage: "unknown" } } });
    await expect(
      createPayClient({ endpoint: ENDPOINT, transport: myTransport(broken), globals: { my: broken } }).pay({ orderNo: "A1" }),
    ).rejects.toMatchObject({ code: "bridge_failed", bridgeResult: { error: 3 } });
  });

  test("an HTTP error reaching my.request's fail still becomes the server's PayError", async () => {
    const body = { error: { code: "order_closed", message: "closed" } };
    const my = fakeMy({ server: () => ({ status: 409, data: body }) });
    const error = await createPayClient({ endpoint: ENDPOINT, transport: myTransport(my), globals: { my } })
      .pay({ orderNo: "A1" })
      .catch((e: PayError) => e);
    expect(error).toMatchObject({ code: "order_closed", status: 409, body });
  });

  test("a transport on a missing API rejects bridge_unavailable", async () => {
    await expect(wxTransport({})({ method: "GET", url: ENDPOINT })).rejects.toMatchObject({ code: "bridge_unavailable" });
    await expect(myTransport({})({ method: "GET", url: ENDPOINT })).rejects.toMatchObject({ code: "bridge_unavailable" });
  });
});

describe("WeChat mini-program web-view: hand-off to a native page", () => {
  test("navigates to the pay page with the order, resolves pending, and resume() confirms", async () => {
    clearPendingOrder();
    const server = fakeServer(ok(wechatOrder, 201), [orderStatus("paid")]);
    const navigateTo: { url: string }[] = [];
    const wx = {
      miniProgram: {
        navigateTo(options: { url: string; success(result: unknown): void }) {
          navigateTo.push({ url: options.url });
          options.success({ errMsg: "navigateTo:ok" });
        },
      },
    };
    const globals = { navigator: { userAgent: UA.wechatMiniProgram }, document, wx };
    const client = createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals, miniProgramPayPage: "/pages/checkout/pay" });
    await expect(client.pay({ orderNo: "A1" })).resolves.toEqual({ status: "pending", orderNo: "A1", channel: "wechat" });
    expect(server.requests[0]!.body).toEqual({ orderNo: "A1", channel: "wechat", scene: "mini" });
    expect(navigateTo).toEqual([{ url: "/pages/checkout/pay?orderNo=A1&statusToken=token-A1&channel=wechat" }]);
    expect(server.statusRequests()).toHaveLength(0);

    await expect(client.resume()).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    await expect(client.resume()).resolves.toBeNull();
  });

  test("a pay page path that already has a query gets the order joined with &", async () => {
    clearPendingOrder();
    const server = fakeServer(ok(wechatOrder, 201));
    const urls: string[] = [];
    const wx = {
      miniProgram: {
        navigateTo(options: { url: string; success(result: unknown): void }) {
          urls.push(options.url);
          options.success({ errMsg: "navigateTo:ok" });
        },
      },
    };
    const globals = { navigator: { userAgent: UA.wechatMiniProgram }, document, wx };
    await createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals, miniProgramPayPage: "/pages/pay/index?from=h5" }).pay({ orderNo: "A1" });
    expect(urls).toEqual(["/pages/pay/index?from=h5&orderNo=A1&statusToken=token-A1&channel=wechat"]);
    clearPendingOrder();
  });

  test("without the JS-SDK's wx.miniProgram it rejects bridge_unavailable and leaves nothing to resume", async () => {
    const server = fakeServer(ok(wechatOrder, 201));
    const globals = { navigator: { userAgent: UA.wechatMiniProgram }, document };
    await expect(createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals }).pay({ orderNo: "A1" })).rejects.toMatchObject({
      code: "bridge_unavailable",
    });
    await expect(createPayClient({ endpoint: ENDPOINT, fetch: server.fetch, globals }).resume()).resolves.toBeNull();
  });
});
