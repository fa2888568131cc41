import type { PayAction } from "@paybridge/shared";
import { PayError } from "../errors.js";

const WECHAT_FIELDS = ["appId", "timeStamp", "nonceStr", "package", "signType", "paySign"] as const;
const filled = (value: unknown): boolean => typeof value === "string" && value !== "";

/**
 * Rejects an action this client cannot launch (an unknown type, a missing or empty field — the
 * six WeChat parameters are non-empty strings, `timeStamp` included): that is a server/client
 * mismatch the merchant must see, not a payment left pending.
 */
export function assertLaunchable(action: PayAction): void {
  const launchable =
    action.type === "wechat"
      ? Boolean(action.params) && WECHAT_FIELDS.every((field) => filled(action.params[field]))
      : action.type === "alipay"
        ? filled(action.tradeNO)
        : action.type === "redirect" && filled(action.url);
  if (!launchable) throw new PayError("unsupported_channel", `unsupported ${action.type} action`, { body: action });
}
