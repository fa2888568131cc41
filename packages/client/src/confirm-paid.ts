import { isPaidStatus, type OrderStatus } from "@paybridge/shared";
import type { ServerApi } from "./server-api.js";
import { PayError } from "./errors.js";
import type { PendingOrder } from "./pending-order.js";

const FIRST_DELAY_MS = 500;
const MAX_DELAY_MS = 3_000;

/** The payment happened: paid, or paid and since refunded in part or in full. */
export const isPaid = (status: OrderStatus): boolean => isPaidStatus(status);

/** Settles with `fallback` once `ms` pass, whatever `promise` does. */
function within<T>(promise: Promise<T>, ms: number, fallback: T): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => resolve(fallback), Math.max(ms, 0));
    promise.then(resolve, reject).then(() => clearTimeout(timer));
  });
}

/**
 * Asks the server until it says paid, backing off between asks, for at most `timeoutMs` in all
 * (a request still open at the deadline is not waited for). A network failure is retried, and
 * so is `failed` (a verified payment still wins on the server); a closed order rejects
 * `order_closed`, and so does one still failed at the deadline, any other server error rejects; `stopped()` true ends it pending.
 */
export async function confirmPaid(
  api: ServerApi,
  order: PendingOrder,
  timeoutMs: number,
  stopped: () => boolean = () => false,
): Promise<"paid" | "pending"> {
  const deadline = Date.now() + timeoutMs;
  let failed = false;
  for (let delay = FIRST_DELAY_MS; !stopped(); delay = Math.min(delay * 2, MAX_DELAY_MS)) {
    try {
      const answer = await within(api.orderStatus(order.orderNo, order.statusToken), deadline - Date.now(), undefined);
      if (answer && isPaid(answer.status)) return "paid";
      if (answer && answer.status === "closed") throw new PayError("order_closed", `order ${order.orderNo} is closed`);
      if (answer) failed = answer.status === "failed";
    } catch (error) {
      if (!(error instanceof PayError && error.code === "network_error")) throw error;
    }
    const wait = Math.min(delay, deadline - Date.now());
    if (wait <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
  if (failed) throw new PayError("order_closed", `order ${order.orderNo} is failed`);
  return "pending";
}

/** One read: did the payment happen? A failed read counts as no (the caller's other answer stands). */
export function paidNow(api: ServerApi, order: PendingOrder, timeoutMs: number): Promise<boolean> {
  return within(
    api.orderStatus(order.orderNo, order.statusToken).then((answer) => isPaid(answer.status)),
    timeoutMs,
    false,
  ).catch(() => false);
}
