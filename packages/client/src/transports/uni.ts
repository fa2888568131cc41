import { miniCall } from "../mini-call.js";
import type { TaroApi, UniApi, WxRequestOptions } from "../globals.js";
import type { Transport } from "./types.js";

/**
 * A transport on uni-app's `uni.request` or Taro's `Taro.request`: both take wx.request's
 * options and answer every HTTP status through `success` ({ statusCode, data }).
 */
export function uniTransport(api: UniApi | TaroApi, name = "uni.request"): Transport {
  return async ({ method, url, body, headers }) => {
    const request = api.request as ((options: WxRequestOptions) => void) | undefined;
    const result = await miniCall(request && request.bind(api), name, {
      url,
      method,
      data: body,
      header: { "content-type": "application/json", ...headers },
    });
    return { status: result.statusCode, body: result.data };
  };
}

/** `uniTransport` over `Taro.request`. */
export const taroTransport = (taro: TaroApi): Transport => uniTransport(taro, "Taro.request");
