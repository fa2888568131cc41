import type { Channel, Scene } from "@paybridge/shared";
import { defaultGlobals, type PayGlobals } from "./globals.js";

export type EnvironmentKind =
  | "wechat" // WeChat in-app browser: WeixinJSBridge
  | "wecom" // WeCom (企业微信, "wxwork"): no JSAPI payment
  | "wechat-webview" // a web-view inside a WeChat mini-program: JSAPI is refused there
  | "wechat-mini" // a WeChat mini-program page: wx.requestPayment
  | "alipay" // Alipay in-app browser: AlipayJSBridge
  | "alipay-mini" // an Alipay mini-program page: my.tradePay
  | "unionpay" // UnionPay (CloudPay) app
  | "browser";

export interface Environment {
  kind: EnvironmentKind;
  /** Absent in a plain browser: the caller must choose. */
  channel?: Channel;
  /** Absent in a plain browser: the server takes the gateway's default. */
  scene?: Scene;
}

/** Where this page runs, from the user agent and the globals each wallet defines. */
export function detectEnvironment(globals: PayGlobals = defaultGlobals()): Environment {
  const userAgent = (globals.navigator && globals.navigator.userAgent) || "";
  if (!globals.document) {
    // Mini-program pages have no DOM and no user agent, only their platform's API object.
    if (globals.wx && globals.wx.requestPayment) return { kind: "wechat-mini", channel: "wechat", scene: "mini" };
    if (globals.my && globals.my.tradePay) return { kind: "alipay-mini", channel: "alipay", scene: "mini" };
  }
  if (/wxwork/i.test(userAgent)) return { kind: "wecom" };
  if (/MicroMessenger/i.test(userAgent)) {
    return /miniProgram/i.test(userAgent) || globals.__wxjs_environment === "miniprogram"
      ? { kind: "wechat-webview", channel: "wechat", scene: "mini" }
      : { kind: "wechat", channel: "wechat", scene: "jsapi" };
  }
  if (/AlipayClient/i.test(userAgent)) return { kind: "alipay", channel: "alipay", scene: "jsapi" };
  if (/UnionPay|CloudPay/i.test(userAgent)) return { kind: "unionpay", channel: "unionpay", scene: "h5" };
  return { kind: "browser" };
}
