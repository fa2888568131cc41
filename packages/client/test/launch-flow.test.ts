// @vitest-environment jsdom
import { afterEach, describe, expect, test, vi } from "vitest";
import { PayError, runLaunchFlow } from "@paybridge/client";
import { WECHAT_PARAMS } from "./fakes.js";
import { fakeMy, fakeWx } from "./mini-fakes.js";

const INTERFACE_URL = "https://api.gateway.test/mini/pay";
const query = { interfaceUrl: INTERFACE_URL, payInfo: "pi-123" };
const wechatAnswer = { code: "200", msg: "操作成功", data: { ...WECHAT_PARAMS, codeUrl: null } };

afterEach(() => {
  vi.useRealTimers();
});

describe("mini-program launch flow, WeChat", () => {
  test("posts payInfo with a wx.login code to the interface, then wx.requestPayment with the answer", async () => {
    const wx = fakeWx({ server: () => ({ status: 200, data: wechatAnswer }), loginCode: "login-code-1" });
    await expect(runLaunchFlow({ query, globals: { wx } })).resolves.toEqual({ status: "pending" });
    expect(wx.calls.request).toEqual([expect.objectContaining({ url: INTERFACE_URL, method: "POST", body: { payInfo: "pi-123", code: "login-code-1" } })]);
    expect(wx.calls.requestPayment).toEqual([expect.objectContaining(WECHAT_PARAMS)]);
  });

  test("a wx.requestPayment that never answers ends the flow pending once the launch deadline passes", async () => {
    vi.useFakeTimers();
    const wx = { ...fakeWx({ server: () => ({ status: 200, data: wechatAnswer }) }), requestPayment: () => undefined };
    const flow = runLaunchFlow({ query, globals: { wx }, launchTimeoutMs: 30_000 });
    const settled = vi.fn();
    void flow.then(settled);
    await vi.advanceTimersByTimeAsync(29_000);
    expect(settled).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1_100);
    expect(settled).toHaveBeenCalledWith({ status: "pending" });
  });

  test("an openId is sent as identifyId, without wx.login", async () => {
    const wx = fakeWx({ server: () => ({ status: 200, data: wechatAnswer }) });
    await runLaunchFlow({ query, openId: "o-openid", globals: { wx } });
    expect(wx.calls.request[0]!.body).toEqual({ payInfo: "pi-123", identifyId: "o-openid" });
    expect(wx.calls.login).toBe(0);
  });

  test('{code:"400", msg} rejects a PayError carrying msg and the answer', async () => {
    const answer = { msg: "订单已支付成功", code: "400" };
    const wx = fakeWx({ server: () => ({ status: 200, data: answer }) });
    const error = await runLaunchFlow({ query, globals: { wx } }).catch((e: PayError) => e);
    expect(error).toBeInstanceOf(PayError);
    expect(error).toMatchObject({ code: "gateway_error", message: "订单已支付成功", body: answer });
    expect(wx.calls.requestPayment).toHaveLength(0);
  });

  test("cancel in wx.requestPayment resolves cancelled", async () => {
    const wx = fakeWx({ server: () => ({ status: 200, data: wechatAnswer }), payment: { fail: { errMsg: "requestPayment:fail cancel" } } });
    await expect(runLaunchFlow({ query, globals: { wx } })).resolves.toEqual({ status: "cancelled" });
  });

  test("URL-encoded launch parameters are decoded", async () => {
    const wx = fakeWx({ server: () => ({ status: 200, data: wechatAnswer }) });
    await runLaunchFlow({ query: { interfaceUrl: encodeURIComponent(INTERFACE_URL), payInfo: encodeURIComponent("a=1&b=2") }, globals: { wx } });
    expect(wx.calls.request[0]).toMatchObject({ url: INTERFACE_URL, body: { payInfo: "a=1&b=2" } });
  });

  test("a missing launch parameter is named", async () => {
    const wx = fakeWx({ server: () => ({ status: 200, data: wechatAnswer }) });
    await expect(runLaunchFlow({ query: { interfaceUrl: INTERFACE_URL }, globals: { wx } })).rejects.toMatchObject({
      code: "invalid_request",
      message: expect.stringContaining("payInfo"),
    });
    expect(wx.calls.request).toHaveLength(0);
  });
});

describe("mini-program launch flow, Alipay", () => {
  test("posts payInfo with an auth code through my.request, then my.tradePay with tradeNo", async () => {
    const my = fakeMy({ server: () => ({ status: 200, data: { code: "200", data: { tradeNo: "2022090822001484981417335685" } } }) });
    await expect(runLaunchFlow({ query, globals: { my } })).resolves.toEqual({ status: "pending" });
    expect(my.calls.request).toEqual([{ url: INTERFACE_URL, method: "POST", body: { payInfo: "pi-123", code: "auth-code-1" } }]);
    expect(my.calls.tradePay).toEqual([{ tradeNO: "2022090822001484981417335685" }]);
  });

  test("6001 from my.tradePay resolves cancelled", async () => {
    const my = fakeMy({
      server: () => ({ status: 200, data: { code: "200", data: { tradeNo: "T" } } }),
      tradePay: { success: { resultCode: "6001" } },
    });
    await expect(runLaunchFlow({ query, openId: "2088", globals: { my } })).resolves.toEqual({ status: "cancelled" });
  });

  test("outside a mini-program it rejects unsupported_channel", async () => {
    await expect(runLaunchFlow({ query, globals: {} })).rejects.toMatchObject({ code: "unsupported_channel" });
  });
});
