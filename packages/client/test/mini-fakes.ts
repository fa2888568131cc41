import type { MiniCallbacks, MiniProgramError, MyRequestOptions, WxRequestOptions } from "../src/globals.js";

type Reply<Result> = { success: Result } | { fail: MiniProgramError };

function answer<Result>(options: MiniCallbacks<Result>, reply: Reply<Result>): void {
  if ("success" in reply) options.success(reply.success);
  else options.fail(reply.fail);
}

/** A server as `wx.request` / `my.request` reach it: url + method + body → status + JSON. */
export type MiniServer = (request: { url: string; method: string; body: unknown }) => { status: number; data: unknown };

/** A scripted `wx` of a WeChat mini-program page. */
export function fakeWx(script: { server?: MiniServer; payment?: Reply<unknown>; loginCode?: string }) {
  const calls = {
    requestPayment: [] as object[],
    request: [] as { url: string; method: string; body: unknown; header: Record<string, string> }[],
    login: 0,
  };
  return {
    calls,
    requestPayment(options: MiniCallbacks<unknown> & object) {
      const { success: _s, fail: _f, complete: _c, ...params } = options;
      calls.requestPayment.push(params);
      answer(options, script.payment ?? { success: { errMsg: "requestPayment:ok" } });
    },
    login(options: MiniCallbacks<{ code: string }>) {
      calls.login++;
      options.success({ code: script.loginCode ?? "0e1OCv1w3SXUT13aMD0w3ZASFJ3OCv1c" });
    },
    request(options: WxRequestOptions) {
      const request = { url: options.url, method: options.method, body: options.data };
      calls.request.push({ ...request, header: options.header });
      // wx.request answers every HTTP status through success
      const { status, data } = script.server!(request);
      options.success({ statusCode: status, data });
    },
  };
}

/** A scripted `my` of an Alipay mini-program page. */
export function fakeMy(script: { server?: MiniServer; tradePay?: Reply<{ resultCode: string | number }>; authCode?: string }) {
  const calls = { tradePay: [] as object[], request: [] as { url: string; method: string; body: unknown }[] };
  return {
    calls,
    tradePay(options: MiniCallbacks<{ resultCode: string | number }> & { tradeNO: string }) {
      calls.tradePay.push({ tradeNO: options.tradeNO });
      answer(options, script.tradePay ?? { success: { resultCode: "9000" } });
    },
    getAuthCode(options: MiniCallbacks<{ authCode: string }>) {
      options.success({ authCode: script.authCode ?? "auth-code-1" });
    },
    request(options: MyRequestOptions) {
      const request = { url: options.url, method: options.method, body: options.data === undefined ? undefined : JSON.parse(options.data) };
      calls.request.push(request);
      const { status, data } = script.server!(request);
      // my.request fails on an HTTP error status (error 19), the answer attached
      if (status >= 200 && status < 300) options.success({ status, data });
      else options.fail({ error: 19, errorMessage: "http status error", status, data });
    },
  };
}
