import { PayError } from "../errors.js";
import type { AlipayTradePayResult } from "../platform.js";
import type { LaunchOutcome } from "./types.js";

/**
 * Alipay's tradePay result codes: 9000 paid; 8000 processing and 6004 unknown — both may
 * still succeed, so the server decides; 6001 cancelled; anything else (4000, 6002, …) failed.
 */
export function alipayOutcome(result: AlipayTradePayResult, bridgeName: string): LaunchOutcome {
  const code = String(result.resultCode);
  if (code === "9000" || code === "8000" || code === "6004") return "confirm";
  if (code === "6001") return "cancelled";
  throw new PayError("bridge_failed", `${bridgeName}: resultCode ${code}`, { bridgeResult: result });
}
