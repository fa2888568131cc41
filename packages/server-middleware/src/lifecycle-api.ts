/**
 * Wires the modules beside the order service — refunds, close, expiry — to it, and answers the
 * methods the router exposes. One call, so whichever front end builds the order service (the
 * Express router, a web-standard handler) gets the same lifecycle.
 */
import { CloseService, type CloseResult } from "./close.js";
import { Expiry, type SweepResult } from "./expiry.js";
import { lifecycleDeps } from "./lifecycle.js";
import type { ResolvedOptions } from "./options.js";
import type { OrderService } from "./orders.js";
import { RefundService, type RefundRequest, type RefundResult } from "./refunds.js";

export interface LifecycleApi {
  /** Refunds a paid order, wholly or partly (server-side only: no route serves it). Idempotent on refundNo. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Closes a pending order, at its gateway where it has a close API. */
  close(orderNo: string): Promise<CloseResult>;
  /** Closes expired pending orders and prunes finished ones past retention. */
  sweepExpired(): Promise<SweepResult>;
  /** Stops the sweep timer (when `sweepIntervalMs` started one). */
  stopSweeping(): void;
}

export function attachLifecycle(orders: OrderService, options: ResolvedOptions): LifecycleApi {
  const deps = lifecycleDeps(options, orders.events);
  const refunds = new RefundService(deps);
  const closer = new CloseService(deps);
  const expiry = new Expiry(deps, closer);
  orders.hooks.refundNotify = (adapter, input, reject) => refunds.notify(adapter, input, reject);
  orders.hooks.touch = (record) => expiry.touch(record);
  orders.hooks.expiresAt = (createdAt) => expiry.expiresAt(createdAt);
  expiry.start(options.sweepIntervalMs);
  return {
    refund: (request) => refunds.refund(request),
    close: (orderNo) => closer.close(orderNo),
    sweepExpired: () => expiry.sweep(),
    stopSweeping: () => expiry.stop(),
  };
}
