/**
 * Settling an order the gateway has answered for, by a notify or the status route's query:
 * paid, and then fulfilment — running the merchant's onPaid once, under a lease whose claim
 * token fences who may finish it — or failed/closed. Every change is a compare-and-set on the
 * store (the engine's one loop), so concurrent notifies and polls, in one process or many,
 * never both run onPaid for one payment unless it throws.
 */
import { randomBytes } from "node:crypto";
import { isPaidStatus } from "@paybridge/shared";
import type { OrderRecord } from "../store/contract.js";
import type { EngineContext } from "./context.js";
import { runHolding } from "./lease.js";
import { paymentOf } from "./order-fields.js";
import type { RecordFields } from "./transition.js";

/**
 * A fulfilment claim's token: this process's random prefix and a counter, so no two claims,
 * in any process sharing the store, carry the same one.
 */
const CLAIM_PREFIX = randomBytes(9).toString("base64url");
let claimCount = 0;
const newClaimToken = (): string => `${CLAIM_PREFIX}.${(claimCount += 1)}`;

export type Fulfilment = "done" | "busy" | "failed";

/**
 * Moves the order to paid and claims running onPaid in one compare-and-set, then runs onPaid
 * unless it has run or another caller holds a live claim. A verified payment wins over
 * `failed`/`closed` too: a payer may retry after a failed attempt, and money taken must reach onPaid.
 */
export async function settle(ctx: EngineContext, from: OrderRecord, paid: { gatewayOrderNo?: string; paidAt?: string }): Promise<Fulfilment> {
  const now = Date.now();
  // Set by the attempt whose compare-and-set stuck (the last one `change` was called for).
  let becamePaid = false;
  let claimed = false;
  const claim = newClaimToken();
  const { record, changed } = await ctx.transition(
    from.orderNo,
    (current) => {
      // Refunded (wholly or partly) is paid too: a late retry must not undo the ledger's status.
      becamePaid = !isPaidStatus(current.status);
      claimed = current.fulfilment !== "done" && !(current.fulfilment === "running" && (current.fulfilmentLeaseUntil ?? 0) > now);
      if (!becamePaid && !claimed) return undefined;
      // Assigned, not spread from conditional literals: this runs on every first notify.
      const patch: Partial<RecordFields> = {};
      if (becamePaid) {
        patch.status = "paid";
        patch.paidAt = paid.paidAt ?? new Date(now).toISOString();
        // The number the gateway gave at creation wins: a notify's signature covers only the
        // joined `k=v&…` text, so a re-split genuine notify could carry a mangled one.
        const gatewayOrderNo = current.gatewayOrderNo ?? paid.gatewayOrderNo;
        if (gatewayOrderNo !== undefined) patch.gatewayOrderNo = gatewayOrderNo;
      }
      if (claimed) {
        patch.fulfilment = "running";
        patch.fulfilmentLeaseUntil = now + ctx.options.fulfilmentLeaseMs;
        patch.fulfilmentClaim = claim;
      }
      return patch;
    },
    from,
  );
  if (!record) return "busy";
  if (changed && becamePaid) ctx.telemetry.paid(record);
  // Only built for listeners: most merchants use onPaid alone.
  if (changed && becamePaid && ctx.events.listenerCount("order.paid") > 0) ctx.emit("order.paid", paymentOf(record));
  if (!changed || !claimed) return record.fulfilment === "done" ? "done" : "busy";
  // Fenced: only while the record still carries this claim may this run finish it. Past the
  // lease another run may have claimed the order; its claim is not this run's to end.
  const holds = (current: OrderRecord): boolean => current.fulfilment === "running" && current.fulfilmentClaim === claim;
  try {
    // Renewed while it runs, so a slow onPaid is not run a second time beside it.
    const payment = paymentOf(record);
    await runHolding(ctx, record.orderNo, (current, leaseUntil) => (holds(current) ? { fulfilmentLeaseUntil: leaseUntil } : undefined), (holding) =>
      ctx.options.onPaid(payment, holding),
    );
  } catch (error) {
    ctx.logError("onPaid threw; the gateway's retry runs it again", error, { orderNo: record.orderNo });
    await ctx.transition(
      record.orderNo,
      (current) => (holds(current) ? { fulfilment: "none", fulfilmentLeaseUntil: undefined, fulfilmentClaim: undefined } : undefined),
      record,
    );
    return "failed";
  }
  const finished = await ctx.transition(
    record.orderNo,
    (current) => (holds(current) ? { fulfilment: "done", fulfilmentLeaseUntil: undefined, fulfilmentClaim: undefined } : undefined),
    record,
  );
  if (finished.changed) return "done";
  // The claim was lost during onPaid (its lease could not be renewed) and another run holds the
  // order now: that run marks it done; until then the gateway is asked to retry.
  if (finished.record?.fulfilment === "done") return "done";
  ctx.options.logger.warn("onPaid finished after its claim was lost; another run holds the order", { orderNo: record.orderNo });
  return "busy";
}

/** A pending order the gateway reports failed or closed; any other status stays. */
export async function markClosed(ctx: EngineContext, from: OrderRecord, status: "failed" | "closed"): Promise<void> {
  const { record, changed } = await ctx.transition(from.orderNo, (current) => (current.status === "pending" ? { status } : undefined), from);
  if (changed && record) ctx.emit("order.failed", { orderNo: record.orderNo, gateway: record.gateway, status });
}
