/**
 * Small pure helpers over an order's fields, shared by the engine's services: checking what
 * resolveOrder returned, building the merchant's Payment, optional fields, and the status codes
 * of notify replies.
 */
import { isFen, isPaidStatus } from "@paybridge/shared";
import { InvalidRequestError, PaybridgeError } from "../errors.js";
import type { OrderRecord } from "../store/contract.js";
import type { Payment, ResolvedOrder } from "../types.js";
import { refundedFen } from "./refunds/ledger.js";

/** What resolveOrder returned, checked: the amount must be a whole, positive number of fen. */
export function checkResolved(resolved: ResolvedOrder | null): ResolvedOrder | null {
  if (resolved === null || resolved === undefined) return null;
  if (typeof resolved !== "object") throw new TypeError("resolveOrder must return an object or null");
  if (!isFen(resolved.amountFen) || resolved.amountFen < 1) {
    throw new InvalidRequestError("resolveOrder's amountFen must be a whole number of fen, at least 1", "amountFen");
  }
  for (const field of ["description", "attach", "openId"] as const) {
    if (resolved[field] !== undefined && typeof resolved[field] !== "string") {
      throw new InvalidRequestError(`resolveOrder's ${field} must be a string`, field);
    }
  }
  return resolved;
}

export function paymentOf(record: OrderRecord): Payment {
  // Assigned, not spread from conditional literals: this runs on every first notify.
  const payment: Payment = {
    orderNo: record.orderNo,
    amountFen: record.amountFen,
    gateway: record.gateway,
    channel: record.channel,
    paidAt: record.paidAt ?? new Date().toISOString(),
    // Refunds that succeeded before onPaid completed (it threw, the merchant refunded, the gateway retried).
    status: isPaidStatus(record.status) ? record.status : "paid",
    refundedFen: record.refunds === undefined ? 0 : refundedFen(record),
  };
  if (record.gatewayOrderNo !== undefined) payment.gatewayOrderNo = record.gatewayOrderNo;
  if (record.attach !== undefined) payment.attach = record.attach;
  return payment;
}

/** `{ [key]: value }` when value is defined, else `{}`: keeps absent fields absent in JSON and in records. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A rejected notify is the gateway's fault: a 4xx, whatever status the adapter's failure reply has. */
export function clientErrorStatus(status: number): number {
  return status >= 400 && status < 500 ? status : 400;
}

/** A failure the gateway should retry (onPaid threw, or is still running elsewhere). */
export function retryStatus(status: number): number {
  return status >= 400 ? status : 500;
}

/** Unknown order, and every answer that must look exactly like one (a bad status token). */
export const notFound = (): PaybridgeError => new PaybridgeError("order_not_found", "order not found");
