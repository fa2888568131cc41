import type { WechatPayParams } from "@paybridge/shared";
import { call } from "./server-api.js";
import { PayError } from "./errors.js";
import { launchMyTradePay } from "./launchers/my-trade-pay.js";
import type { LaunchOutcome } from "./launchers/types.js";
import { launchWxRequestPayment } from "./launchers/wx-request-payment.js";
import { miniCall } from "./mini-call.js";
import { whenWalletSilent } from "./wallet-silence.js";
import { defaultGlobals, type MyApi, type PayGlobals } from "./globals.js";
import type { Transport } from "./transports/types.js";
import { myTransport } from "./transports/my.js";
import { wxTransport } from "./transports/wx.js";

/**
 * The mini-program launch flow: an app or H5 page opened the merchant's mini-program with
 * launch parameters (`interfaceUrl`, `payInfo`); this page posts `payInfo` with the payer's
 * identity to that interface and launches payment with what it answers.
 */
export interface LaunchFlowOptions {
  /** The page's launch parameters (`onLoad(query)`). */
  query: Record<string, string | undefined>;
  /** The payer's openId when the merchant has it: sent as `identifyId` instead of a login code. */
  openId?: string | undefined;
  /** Default `wxTransport()` / `myTransport()` for the detected platform. */
  transport?: Transport | undefined;
  /** Where `wx` / `my` are read; default `globalThis`. */
  globals?: PayGlobals | undefined;
  /** A wallet silent this long (or past the app being shown again) ends the flow pending. Default 120 000. */
  launchTimeoutMs?: number | undefined;
}

/**
 * `pending`: the wallet reports success; only the server's notify confirms it, and this page
 * holds no order token — the page that opened the mini-program confirms with `resume()`.
 */
export interface LaunchFlowResult {
  status: "pending" | "cancelled";
}

interface InterfaceAnswer {
  code?: string;
  msg?: string;
  data?: Partial<WechatPayParams> & { tradeNo?: string };
}

export async function runLaunchFlow(options: LaunchFlowOptions): Promise<LaunchFlowResult> {
  const globals = options.globals ?? defaultGlobals();
  const { wx, my } = globals;
  const wechat = Boolean(wx?.requestPayment);
  if (!wechat && !my?.tradePay) throw new PayError("unsupported_channel", "not a WeChat or Alipay mini-program");
  const { interfaceUrl, payInfo } = launchParameters(options.query);

  const identity = options.openId
    ? { identifyId: options.openId }
    : { code: wechat ? (await miniCall(wx?.login?.bind(wx), "wx.login", {})).code : await alipayAuthCode(my) };
  const transport = options.transport ?? (wechat ? wxTransport(wx) : myTransport(my));
  const answer = await call<InterfaceAnswer>(transport, { method: "POST", url: interfaceUrl, body: { payInfo, ...identity } });
  if (answer.code !== "200" || !answer.data) {
    throw new PayError("gateway_error", answer.msg ?? "launch interface failed", { body: answer });
  }

  const watch = whenWalletSilent(globals, options.launchTimeoutMs ?? 120000);
  try {
    const outcome: LaunchOutcome | void = await Promise.race([
      wechat ? launchWxRequestPayment(answer.data as WechatPayParams, wx) : launchMyTradePay(answer.data.tradeNo ?? "", my),
      watch.silent,
    ]);
    return { status: outcome === "cancelled" ? "cancelled" : "pending" };
  } finally {
    watch.stop();
  }
}

/** Launch parameters arrive URL-encoded from some openers; both are encoded alike, so decode both. */
function launchParameters(query: LaunchFlowOptions["query"]): { interfaceUrl: string; payInfo: string } {
  let { interfaceUrl, payInfo } = query;
  if (!interfaceUrl || !payInfo) {
    throw new PayError("invalid_request", `launch parameter ${interfaceUrl ? "payInfo" : "interfaceUrl"} is missing`);
  }
  if (!interfaceUrl.includes("://")) {
    interfaceUrl = decodeURIComponent(interfaceUrl);
    payInfo = decodeURIComponent(payInfo);
  }
  return { interfaceUrl, payInfo };
}

/** Alipay's counterpart of a wx.login code (*assumed*: the document names only WeChat's). */
async function alipayAuthCode(my: MyApi | undefined): Promise<string> {
  return (await miniCall(my?.getAuthCode?.bind(my), "my.getAuthCode", { scopes: "auth_base" })).authCode;
}
