// @vitest-environment jsdom
import { describe, expect, test } from "vitest";
import { detectEnvironment } from "@paybridge/client";
import { UA } from "./fakes.js";

const page = (userAgent: string, extra: object = {}) => ({ navigator: { userAgent }, document: {} as Document, ...extra });

describe("detectEnvironment", () => {
  test("WeChat in-app browser → wechat / jsapi", () => {
    expect(detectEnvironment(page(UA.wechat))).toEqual({ kind: "wechat", channel: "wechat", scene: "jsapi" });
  });

  test("WeChat mini-program web-view by user agent → wechat / mini", () => {
    expect(detectEnvironment(page(UA.wechatMiniProgram))).toEqual({ kind: "wechat-webview", channel: "wechat", scene: "mini" });
  });

  test("WeChat mini-program web-view by window.__wxjs_environment", () => {
    const environment = detectEnvironment(page(UA.wechat, { __wxjs_environment: "miniprogram" }));
    expect(environment.kind).toBe("wechat-webview");
  });

  test("Alipay in-app browser → alipay / jsapi", () => {
    expect(detectEnvironment(page(UA.alipay))).toEqual({ kind: "alipay", channel: "alipay", scene: "jsapi" });
  });

  test("UnionPay (CloudPay) app → unionpay / h5", () => {
    expect(detectEnvironment(page(UA.unionpay))).toEqual({ kind: "unionpay", channel: "unionpay", scene: "h5" });
    expect(detectEnvironment(page("Mozilla/5.0 UnionPay/1.0")).channel).toBe("unionpay");
  });

  test("a plain browser has no channel and no scene", () => {
    const environment = detectEnvironment(page(UA.desktop));
    expect(environment.kind).toBe("browser");
    expect(environment.channel).toBeUndefined();
    expect(environment.scene).toBeUndefined();
  });

  test("WeChat mini-program page (no DOM, wx.requestPayment) → wechat / mini", () => {
    expect(detectEnvironment({ wx: { requestPayment: () => {} } })).toEqual({ kind: "wechat-mini", channel: "wechat", scene: "mini" });
  });

  test("Alipay mini-program page (no DOM, my.tradePay) → alipay / mini", () => {
    expect(detectEnvironment({ my: { tradePay: () => {} } })).toEqual({ kind: "alipay-mini", channel: "alipay", scene: "mini" });
  });

  test("a web page that merely defines wx is still judged by its user agent", () => {
    expect(detectEnvironment(page(UA.desktop, { wx: { requestPayment: () => {} } })).kind).toBe("browser");
  });
});
