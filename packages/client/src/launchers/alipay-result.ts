import { PayError } from "../errors.js";
import type { AlipayTradePayResult } from "../globals.js";
import type { LaunchOutcome } from "./types.js";

/**
 * Alipay's tradePay result codes. 6001 (payer cancelled) and 99 (payer left by "forgot
 * password") → cancelled; 4000 (order failed) → `bridge_failed` — the client asks the server
 * once before believing either. 9000 paid, 8000 processing, 6004 unknown, 6002 network error,
 * 5000 repeated request, and any code not listed here: the result is the server's to tell.
 */
export function alipayOutcome(result: AlipayTradePayResult, bridgeName: string): LaunchOutcome {
  const code = String((result || {}).resultCode);
  if (code === "6001" || code === "99") return "cancelled";
  if (code === "4000") throw new PayError("bridge_failed", `${bridgeName}: resultCode ${code}`, { bridgeResult: result });
  return "confirm";
}
