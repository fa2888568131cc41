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

/** Callbacks every mini-program API takes. */
export interface MiniCallbacks<Result> {
  success(result: Result): void;
  fail(error: MiniProgramError): void;
}

export interface WxRequestOptions extends MiniCallbacks<{ statusCode: number; data: unknown }> {
  url: string;
  method: string;
  data?: unknown;
  header: Record<string, string>;
}

export interface MyRequestOptions extends MiniCallbacks<{ status: number; data: unknown }> {
  url: string;
  method: string;
  data?: string;
  headers: Record<string, string>;
  dataType: "json";
}

/** wx.requestPayment's options: the WeChat pay parameters (extra gateway fields pass through) and callbacks. */
export interface WxPaymentOptions extends MiniCallbacks<unknown> {
  appId: string;
  timeStamp: string;
  nonceStr: string;
  package: string;
  signType: string;
  paySign: string;
  [extra: string]: unknown;
}

/** The WeChat mini-program API (`wx`); in a web-view only `wx.miniProgram` (the JS-SDK) exists. */
export interface WxApi {
  requestPayment?(options: WxPaymentOptions): void;
  login?(options: MiniCallbacks<{ code: string }>): void;
  request?(options: WxRequestOptions): void;
  miniProgram?: { navigateTo(options: { url: string } & MiniCallbacks<unknown>): void };
}

/** The Alipay mini-program API (`my`). */
export interface MyApi {
  tradePay?(options: { tradeNO: string } & MiniCallbacks<AlipayTradePayResult>): void;
  getAuthCode?(options: { scopes: string } & MiniCallbacks<{ authCode: string }>): void;
  request?(options: MyRequestOptions): void;
}

export interface PayGlobals {
  navigator?: { userAgent: string };
  document?: Pick<Document, "addEventListener" | "removeEventListener">;
  location?: { assign(url: string): void };
  __wxjs_environment?: string;
  WeixinJSBridge?: WechatBridge;
  AlipayJSBridge?: AlipayBridge;
  wx?: WxApi;
  my?: MyApi;
}

export function defaultGlobals(): PayGlobals {
  return globalThis as PayGlobals;
}
