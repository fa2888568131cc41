import type { Environment } from "../environment.js";
import { launchAlipayJsBridge } from "./alipay-jsbridge.js";
import { launchMiniProgramHandoff } from "./mini-program-handoff.js";
import { launchRedirect } from "./redirect.js";
import type { LaunchContext, LaunchOutcome } from "./types.js";
import { launchWeixinJsBridge } from "./weixin-jsbridge.js";

/**
 * Launches the server's action (checked by `assertLaunchable`) from a web page: a redirect,
 * WeixinJSBridge (or, in a WeChat mini-program's web-view, the hand-off to its native pay page),
 * AlipayJSBridge.
 */
export function launchInWebPage(context: LaunchContext, environment: Environment): Promise<LaunchOutcome> {
  const { action } = context;
  switch (action.type) {
    case "redirect":
      return launchRedirect(action.url, context);
    case "wechat":
      return environment.kind === "wechat-webview" ? launchMiniProgramHandoff(context) : launchWeixinJsBridge(action.params, context);
    case "alipay":
      return launchAlipayJsBridge(action.tradeNO, context);
  }
}
