/** The globals paybridge reads. Every member is optional: each runtime has only some of them. */

export interface WechatBridgeResult {
  err_msg: string;
}

export interface WechatBridge {
  invoke(name: string, params: object, callback: (result: WechatBridgeResult) => void): void;
}

export interface AlipayTradePayResult {
  /** A string in AlipayJSBridge, sometimes a number in `my.tradePay`: always compared as a string. */
  resultCode: string | number;
  memo?: string;
  result?: string;
}

export interface AlipayBridge {
  call(name: string, params: object, callback: (result: AlipayTradePayResult) => void): void;
}

export interface MiniProgramError {
  errMsg?: string;
  error?: number;
  errorMessage?: string;
  /** `my.request` reports an HTTP error status here, with the answer. */
  status?: number;
  data?: unknown;
}

/**
 * Callbacks every mini-program API takes. `complete` runs after either; WeChat before 6.5.2
 * called only `complete` when the payer cancelled a payment.
 */
export interface MiniCallbacks<Result> {
  success(result: Result): void;
  fail(error: MiniProgramError): void;
  complete?(result: MiniProgramError): void;
}

export interface WxRequestOptions extends MiniCallbacks<{ statusCode: number; data: unknown }> {
  url: string;
  method: "GET" | "POST";
  data?: string | object;
  header: Record<string, string>;
  /** Milliseconds. */
  timeout?: number;
}

export interface MyRequestOptions extends MiniCallbacks<{ status: number; data: unknown }> {
  url: string;
  method: string;
  data?: string;
  headers: Record<string, string>;
  dataType: "json";
  /** Milliseconds. */
  timeout?: number;
}

/** wx.requestPayment's options: the WeChat pay parameters (extra gateway fields pass through) and callbacks. */
export interface WxPaymentOptions extends MiniCallbacks<unknown> {
  appId?: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  /** The server's value: "MD5", "HMAC-SHA256" or "RSA" (miniprogram-api-typings' union). */
  signType: "MD5" | "HMAC-SHA256" | "RSA";
  paySign: string;
}

/** The WeChat mini-program API (`wx`); in a web-view only `wx.miniProgram` (the JS-SDK) exists. */
export interface WxApi {
  requestPayment?(options: WxPaymentOptions): void;
  login?(options: MiniCallbacks<{ code: string }>): void;
  request?(options: WxRequestOptions): void;
  miniProgram?: { navigateTo(options: { url: string } & MiniCallbacks<unknown>): void };
  /** The mini-program came back to the foreground (the payer left the wallet some other way). */
  onAppShow?(listener: () => void): void;
  offAppShow?(listener: () => void): void;
}

/** The Alipay mini-program API (`my`). */
export interface MyApi {
  tradePay?(options: { tradeNO: string } & MiniCallbacks<AlipayTradePayResult>): void;
  getAuthCode?(options: { scopes: string } & MiniCallbacks<{ authCode: string }>): void;
  request?(options: MyRequestOptions): void;
  onAppShow?(listener: () => void): void;
  offAppShow?(listener: () => void): void;
}

/** The part of `document` paybridge uses (bridge Ready events, the page coming back into view). */
export interface PayDocument {
  addEventListener(type: string, listener: () => void): void;
  removeEventListener(type: string, listener: () => void): void;
  visibilityState?: string;
}

/**
 * uni-app's `uni` and Taro's `Taro`: the same request / requestPayment options and callbacks as
 * `wx` in a WeChat mini-program; uni adds `provider` ("wxpay" / "alipay", Alipay's trade number
 * as `orderInfo`), Taro pays Alipay with `tradePay` as `my` does.
 */
export interface UniApi {
  request?(options: WxRequestOptions): void;
  requestPayment?(options: WxPaymentOptions | ({ provider: "alipay"; orderInfo: string } & MiniCallbacks<unknown>)): void;
}
export interface TaroApi {
  request?(options: WxRequestOptions): unknown;
  requestPayment?(options: WxPaymentOptions): unknown;
  tradePay?(options: { tradeNO: string } & MiniCallbacks<AlipayTradePayResult>): unknown;
}

export interface PayGlobals {
  navigator?: { userAgent: string };
  document?: PayDocument;
  /** `pageshow` (a page restored from the back-forward cache) is a window event. */
  addEventListener?(type: string, listener: () => void): void;
  removeEventListener?(type: string, listener: () => void): void;
  location?: { assign(url: string): void };
  __wxjs_environment?: string;
  WeixinJSBridge?: WechatBridge;
  AlipayJSBridge?: AlipayBridge;
  wx?: WxApi;
  my?: MyApi;
  /** uni-app: payments and requests go through `uni` (channel still detected from `wx` / `my`). */
  uni?: UniApi;
  /** Taro: pass `Taro` here; payments go through it (channel still detected from `wx` / `my`). */
  Taro?: TaroApi;
}

declare const window: PayGlobals | undefined;
declare const wx: WxApi | undefined;
declare const my: MyApi | undefined;
declare const uni: UniApi | undefined;

/**
 * The page's window; in a mini-program (no window, and `wx` / `my` are module variables there,
 * not globals) an object holding `wx` / `my`. Not the global object by name: Chrome 69 and iOS 12.1 have no name for it.
 */
export function defaultGlobals(): PayGlobals {
  return typeof window !== "undefined" && window ? window : miniGlobals();
}

/** The mini-program APIs this module can see (`wx`, `my`, `uni`). */
export function miniGlobals(): PayGlobals {
  return {
    wx: typeof wx !== "undefined" ? wx : undefined,
    my: typeof my !== "undefined" ? my : undefined,
    uni: typeof uni !== "undefined" ? uni : undefined,
  };
}
