import type { CreateOrderResponse, OrderStatus, PayAction } from "@paybridge/shared";
import type { AlipayBridge, AlipayTradePayResult, WechatBridge } from "../src/globals.js";

export const ENDPOINT = "https://shop.test/pay";
export const WECHAT_PARAMS = {
  appId: "wx4d3f3f6fea3febee",
  timeStamp: "1702607213",
  nonceStr: "c3061f1abc464c07a546f700462e2806",
  package: "prepay_id=wx1510265335316554332c81b6f24af40000",
  signType: "RSA",
  paySign: "t/yJ3wmOgnDy==",
};

/** A pending order as POST /orders answers it. */
export function createdOrder(action: PayAction | undefined, overrides: Partial<CreateOrderResponse> = {}): CreateOrderResponse {
  return {
    orderNo: "A1",
    status: "pending",
    gateway: "fubei",
    gatewayOrderNo: "G-1",
    amountFen: 1,
    channel: "wechat",
    action,
    statusToken: "token-A1",
    ...overrides,
  };
}

/** One scripted answer: an HTTP status with a JSON body, or a failed connection. */
export type Answer = { status: number; body?: unknown } | "unreachable";

export const ok = (body: unknown, status = 200): Answer => ({ status, body });
export const orderStatus = (status: OrderStatus, orderNo = "A1"): Answer => ok({ orderNo, status, amountFen: 1 });

export interface RecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * A paybridge server behind a fetch: POST …/orders answers `create`; each GET …/orders/… answers
 * the next of `statuses` (the last one repeats).
 */
export function fakeServer(create: Answer, statuses: Answer[] = [orderStatus("pending")]) {
  const requests: RecordedRequest[] = [];
  let statusIndex = 0;
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    const request = input as Request;
    const text = await request.text();
    const headers = Object.fromEntries(request.headers);
    requests.push({ method: request.method, url: request.url, headers, ...(text && { body: JSON.parse(text) }) });
    const answer = request.method === "POST" ? create : statuses[Math.min(statusIndex++, statuses.length - 1)]!;
    if (answer === "unreachable") throw new TypeError("Failed to fetch");
    return new Response(answer.body === undefined ? null : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "content-type": "application/json" },
    });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests, statuses, statusRequests: () => requests.filter((r) => r.method === "GET") };
}

/** A WeixinJSBridge that answers every getBrandWCPayRequest with `errMsg`. */
export function fakeWeixinBridge(errMsg: string): WechatBridge & { calls: { name: string; params: object }[] } {
  const calls: { name: string; params: object }[] = [];
  return {
    calls,
    invoke(name, params, callback) {
      calls.push({ name, params });
      callback({ err_msg: errMsg });
    },
  };
}

/** An AlipayJSBridge that answers every tradePay with `result`. */
export function fakeAlipayBridge(result: AlipayTradePayResult): AlipayBridge & { calls: { name: string; params: object }[] } {
  const calls: { name: string; params: object }[] = [];
  return {
    calls,
    call(name, params, callback) {
      calls.push({ name, params });
      callback(result);
    },
  };
}

export const UA = {
  wechat:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 MicroMessenger/8.0.43(0x18002b2c) NetType/WIFI Language/zh_CN",
  wechatMiniProgram:
    "Mozilla/5.0 (Linux; Android 13; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/111.0 Mobile Safari/537.36 XWEB/5023 MMWEBSDK/20230701 MicroMessenger/8.0.40.2420(0x28002837) WeChat/arm64 Weixin NetType/WIFI Language/zh_CN ABI/arm64 miniProgram/wx1234567890",
  alipay:
    "Mozilla/5.0 (Linux; U; Android 12; zh-CN; V2148A Build/SP1A.210812.003) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/69.0.3497.100 UWS/3.22.2.43 Mobile Safari/537.36 AlipayChannelId/5136 NebulaSDK/1.8.100112 Nebula AlipayDefined(nt:WIFI,ws:393|0|2.75) AliApp(AP/10.3.20.8000) AlipayClient/10.3.20.8000 Language/zh-Hans",
  unionpay:
    "Mozilla/5.0 (iPhone; CPU iPhone OS 16_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 (com.unionpay.chsp) (cordova 4.5.4) (updebug 0) (version 1010) (UnionPay/1.0 CloudPay) (clientVersion 310) (language zh_CN)",
  desktop: "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36",
};

/**
 * A WeixinJSBridge as real ones misbehave: `[]` never calls back (the payer closed the result
 * page without "完成"); several answers are all delivered (WeChat has sent ":cancel" then ":ok"
 * for a paid order).
 */
export function wildWeixinBridge(answers: string[]): WechatBridge & { calls: number } {
  const bridge = {
    calls: 0,
    invoke(_name: string, _params: object, callback: (result: { err_msg: string }) => void) {
      bridge.calls++;
      for (const err_msg of answers) setTimeout(() => callback({ err_msg }));
    },
  };
  return bridge;
}

/** A page's document whose visibility the test flips, firing visibilitychange as a WebView does. */
export function pageVisibility(doc: Document) {
  let state: DocumentVisibilityState = "visible";
  Object.defineProperty(doc, "visibilityState", { configurable: true, get: () => state });
  return (next: DocumentVisibilityState) => {
    state = next;
    doc.dispatchEvent(new Event("visibilitychange"));
  };
}
