/** WeChat's launch parameters (JSAPI / mini-program) as a gateway relays them. */
import type { WechatPayParams } from "@paybridge/shared";
import { GatewayError } from "../../errors.js";
import type { JsonObject } from "./json.js";
import { requiredResponseText } from "./response.js";

const WECHAT_PARAM_KEYS = ["appId", "timeStamp", "nonceStr", "package", "signType", "paySign"] as const;

/**
 * WeChat JSAPI / mini-program launch parameters. The six the bridge needs must be present;
 * other scalar fields pass through unchanged (some gateways add their own).
 */
export function wechatParams(gateway: string, source: JsonObject): WechatPayParams {
  const params: WechatPayParams = { appId: "", timeStamp: "", nonceStr: "", package: "", signType: "", paySign: "" };
  for (const [key, value] of Object.entries(source)) {
    // `__proto__` from JSON.parse is an own key; assigning it would change the prototype.
    if (key !== "__proto__" && (value === null || ["string", "number", "boolean"].includes(typeof value))) {
      params[key] = value as string | number | boolean | null;
    }
  }
  for (const key of WECHAT_PARAM_KEYS) params[key] = requiredResponseText(gateway, source, key);
  return params;
}

/** A Unix timestamp in seconds, 10 digits; a 13-digit milliseconds value is cut to seconds. */
export function secondsTimestamp(gateway: string, value: string): string {
  if (/^\d{10}$/.test(value)) return value;
  if (/^\d{13}$/.test(value)) return value.slice(0, 10);
  throw new GatewayError(gateway, `${gateway} sent a timeStamp that is neither seconds nor milliseconds`);
}
