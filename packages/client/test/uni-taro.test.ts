/**
 * uni-app and Taro mini-programs. Fakes follow the documented callbacks: uni.request / Taro.request
 * answer every HTTP status through success({ data, statusCode, header }); uni.requestPayment /
 * Taro.requestPayment take wx.requestPayment's parameters (uni adds provider: "wxpay" / "alipay",
 * Alipay's trade number as orderInfo) and fail with errMsg "requestPayment:fail cancel" on cancel;
 * uni's fail carries errCode (700601 cancelled, 700600 result unknown) on some platforms.
 */
import { describe, expect, test } from "vitest";
import { taroTransport, uniTransport } from "@paybridge/client";
import { createPayClient } from "../src/mini-program-entry.js";
import { createdOrder, ENDPOINT, WECHAT_PARAMS } from "./fakes.js";

type Callbacks = { success(result: unknown): void; fail(error: unknown): void; complete?(result: unknown): void };
type Request = { url: string; method: string; data?: unknown; header: Record<string, string> } & Callbacks;

const wechatOrder = createdOrder({ type: "wechat", params: WECHAT_PARAMS });
const alipayOrder = createdOrder({ type: "alipay", tradeNO: "T-1" }, { channel: "alipay" });

/** A uni / Taro object: request answers as our server; requestPayment as the wallet in `wallet`. */
function fakeApi(order: object, statuses: string[], wallet: (options: object & Callbacks) => void) {
  const calls = { requests: [] as { method: string; url: string; header: Record<string, string>; data?: unknown }[], payments: [] as object[] };
  let asked = 0;
  return {
    calls,
    request(options: Request) {
      calls.requests.push({ method: options.method, url: options.url, header: options.header, data: options.data });
      const data = options.method === "POST" ? order : { orderNo: "A1", status: statuses[Math.min(asked++, statuses.length - 1)], amountFen: 1 };
      setTimeout(() => {
        options.success({ data, statusCode: options.method === "POST" ? 201 : 200, header: {}, errMsg: "request:ok" });
        options.complete?.({ errMsg: "request:ok" });
      });
    },
    requestPayment(options: object & Callbacks) {
      const { success: _s, fail: _f, complete: _c, ...params } = options;
      calls.payments.push(params);
      setTimeout(() => wallet(options));
    },
  };
}

const okWallet = (options: Callbacks) => options.success({ errMsg: "requestPayment:ok" });
const cancelWallet = (options: Callbacks) => options.fail({ errMsg: "requestPayment:fail cancel" });

describe("uni-app", () => {
  test("WeChat: creates over uni.request, pays by uni.requestPayment with provider wxpay, confirms over uni.request", async () => {
    const uni = fakeApi(wechatOrder, ["pending", "paid"], okWallet);
    const client = createPayClient({ endpoint: ENDPOINT, globals: { uni, wx: { requestPayment: () => undefined } } });
    await expect(client.pay({ orderNo: "A1" })).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(uni.calls.payments).toEqual([{ provider: "wxpay", ...WECHAT_PARAMS }]);
    expect(uni.calls.requests[0]).toMatchObject({ method: "POST", data: { orderNo: "A1", channel: "wechat", scene: "mini" } });
    expect(uni.calls.requests[1]!.header["x-paybridge-token"]).toBe("token-A1");
  });

  test('WeChat: "requestPayment:fail cancel" is cancelled once the server has no payment', async () => {
    const uni = fakeApi(wechatOrder, ["pending"], cancelWallet);
    const client = createPayClient({ endpoint: ENDPOINT, globals: { uni, wx: { requestPayment: () => undefined } } });
    await expect(client.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "cancelled" });
    expect(uni.calls.requests.filter((r) => r.method === "GET")).toHaveLength(1);
  });

  test("Alipay: provider alipay with the trade number as orderInfo; resultCode 6001 in fail is cancelled, 9000 confirmed", async () => {
    const cancelled = fakeApi(alipayOrder, ["pending"], (options) => options.fail({ errMsg: "requestPayment:fail", resultCode: "6001" }));
    const my = { tradePay: () => undefined };
    await expect(createPayClient({ endpoint: ENDPOINT, globals: { uni: cancelled, my } }).pay({ orderNo: "A1" })).resolves.toMatchObject({
      status: "cancelled",
    });
    expect(cancelled.calls.payments).toEqual([{ provider: "alipay", orderInfo: "T-1" }]);

    const paid = fakeApi(alipayOrder, ["paid"], (options) => options.success({ resultCode: "9000" }));
    await expect(createPayClient({ endpoint: ENDPOINT, globals: { uni: paid, my } }).pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
  });

  test("a fail without a known code (errCode 700600: result unknown) is believed only after the server: paid wins", async () => {
    const uni = fakeApi(wechatOrder, ["paid"], (options) => options.fail({ errMsg: "requestPayment:fail", errCode: 700600 }));
    const client = createPayClient({ endpoint: ENDPOINT, globals: { uni, wx: { requestPayment: () => undefined } } });
    await expect(client.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid" });
  });

  test("uniTransport passes the HTTP status and body through", async () => {
    const uni = { request: (options: Request) => options.success({ data: { error: { code: "order_closed" } }, statusCode: 409, header: {} }) };
    await expect(uniTransport(uni)({ method: "GET", url: ENDPOINT })).resolves.toEqual({ status: 409, body: { error: { code: "order_closed" } } });
  });
});

describe("Taro", () => {
  test("WeChat: Taro.request + Taro.requestPayment (wx.requestPayment's options), confirmed by the server", async () => {
    const Taro = fakeApi(wechatOrder, ["paid"], okWallet);
    const client = createPayClient({ endpoint: ENDPOINT, globals: { Taro, wx: { requestPayment: () => undefined } } });
    await expect(client.pay({ orderNo: "A1" })).resolves.toEqual({ status: "paid", orderNo: "A1", channel: "wechat" });
    expect(Taro.calls.payments).toEqual([WECHAT_PARAMS]);
    expect(Taro.calls.requests.map((r) => r.method)).toEqual(["POST", "GET"]);
  });

  test("a wallet that calls nothing but complete (cancel on old clients) is cancelled once the server has no payment", async () => {
    const Taro = fakeApi(wechatOrder, ["pending"], (options) => options.complete?.({ errMsg: "requestPayment:cancel" }));
    const client = createPayClient({ endpoint: ENDPOINT, transport: taroTransport(Taro), globals: { Taro, wx: { requestPayment: () => undefined } } });
    await expect(client.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "cancelled" });
  });

  test("Alipay: Taro.tradePay as my.tradePay; 8000 is confirmed with the server", async () => {
    const Taro = {
      ...fakeApi(alipayOrder, ["pending", "paid"], okWallet),
      tradePay: (options: { tradeNO: string } & Callbacks) => setTimeout(() => options.success({ resultCode: "8000" })),
    };
    const client = createPayClient({ endpoint: ENDPOINT, globals: { Taro, my: { tradePay: () => undefined } } });
    await expect(client.pay({ orderNo: "A1" })).resolves.toMatchObject({ status: "paid", channel: "alipay" });
  });
});
