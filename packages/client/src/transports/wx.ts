import type { Transport } from "./types.js";
import { miniCall } from "../mini-call.js";
import { defaultGlobals, type WxApi } from "../globals.js";

/** A transport on `wx.request`, for WeChat mini-programs (which have no fetch). */
export function wxTransport(wx: WxApi | undefined = defaultGlobals().wx): Transport {
  return async ({ method, url, body, headers }) => {
    const result = await miniCall(wx && wx.request && wx.request.bind(wx), "wx.request", {
      url,
      method,
      data: body,
      header: { "content-type": "application/json", ...headers },
    });
    return { status: result.statusCode, body: result.data };
  };
}
