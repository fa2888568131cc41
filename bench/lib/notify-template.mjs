/**
 * Signed notifies for the bench's orders, modelled on one the sandbox really sends: create
 * one order through a router whose publicUrl points at the capture endpoint, pay it at the
 * sandbox, and rewrite the notify that arrives for every other order.
 */
import { completeAtSandbox, createOrders, orderNumbers } from "./orders.mjs";
import { distFiles } from "./paths.mjs";
import { sandboxCredentials } from "./sandbox-credentials.mjs";
import { BENCH_GATEWAY } from "./targets.mjs";
import { notifyRewriter } from "./xiangma-wire.mjs";

export const ORDER_KIND = { channel: "wechat", scene: "h5" };

/** Resolves `{ notifyFor(order) => body, contentType }`. */
export async function captureNotifyTemplate({ payUrl, sandboxUrl, capture }) {
  const [template] = await createOrders([payUrl], orderNumbers("NT", 1), ORDER_KIND);
  const arrived = capture.nextNotify();
  await completeAtSandbox(sandboxUrl, BENCH_GATEWAY, template.gatewayOrderNo);
  const notify = await arrived;
  const { key } = await sandboxCredentials(BENCH_GATEWAY);
  const { computeSign } = await import(distFiles.signing);
  return { notifyFor: notifyRewriter(notify.body, template, key, computeSign), contentType: notify.contentType ?? "application/json" };
}

/** onPaid calls per order, summed over instances, against the orders that were notified. */
export function tallyOnPaid(orderNos, countsPerInstance) {
  const calls = (orderNo) => countsPerInstance.reduce((sum, counts) => sum + (counts[orderNo] ?? 0), 0);
  const tally = { orders: orderNos.length, onPaidCalls: 0, paidOnce: 0, neverPaid: 0, paidMoreThanOnce: 0 };
  for (const orderNo of orderNos) {
    const n = calls(orderNo);
    tally.onPaidCalls += n;
    if (n === 1) tally.paidOnce += 1;
    else if (n === 0) tally.neverPaid += 1;
    else tally.paidMoreThanOnce += 1;
  }
  tally.exactlyOnce = tally.paidOnce === tally.orders;
  return tally;
}
