import { isPaidStatus } from "@paybridge/shared";
import { PayError } from "./errors.js";
import type { ServerApi } from "./api.js";

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 3_000;

/**
 * Asks the server until it says paid, backing off between asks, for at most `timeoutMs`.
 * A network failure is retried (the payment may well have gone through); a failed or closed
 * order, or any other server error, rejects.
 */
export async function confirmPaid(
  api: ServerApi,
  orderNo: string,
  statusToken: string,
  timeoutMs: number,
): Promise<"paid" | "pending"> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = FIRST_DELAY_MS; ; delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      const { status } = await api.orderStatus(orderNo, statusToken);
      // Refunded (wholly or partly) still means the payment happened.
      if (isPaidStatus(status)) return "paid";
      if (status !== "pending") throw new PayError("order_closed", `order ${orderNo} is ${status}`);
    } catch (error) {
      if (!(error instanceof PayError && error.code === "network_error")) throw error;
    }
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) return "pending";
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
