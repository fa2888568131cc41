/**
 * `router.close(orderNo)`: stops a pending order. At the gateway first where it has a close API
 * (so the payer can no longer pay it there), then in the store by compare-and-set from pending
 * only. Money that still arrives afterwards wins, as it always has: a verified payment notify
 * moves a closed order to paid and onPaid runs (src/fulfilment.ts settle).
 */
import type { OrderStatus } from "@paybridge/shared";
import { PaybridgeError } from "./errors.js";
import type { LifecycleDeps } from "./lifecycle.js";
import type { OrderRecord } from "./store/types.js";
import { transition } from "./transition.js";

export interface CloseResult {
  orderNo: string;
  /** The order's status afterwards: `closed`, or what it already was (paid, failed…): close changes only a pending order. */
  status: OrderStatus;
  /** Where it was closed: `gateway` (its close API, then locally) or `local` (the gateway has none, or no gateway order was made yet). */
  closedAt?: "gateway" | "local";
}

export class CloseService {
  readonly #deps: LifecycleDeps;

  constructor(deps: LifecycleDeps) {
    this.#deps = deps;
  }

  async close(orderNo: string): Promise<CloseResult> {
    if (typeof orderNo !== "string" || orderNo.length === 0 || orderNo.length > 64) {
      throw new PaybridgeError("invalid_request", "orderNo must be a string of 1-64 characters", { field: "orderNo" });
    }
    const record = await this.#deps.options.store.get(orderNo);
    if (!record) throw new PaybridgeError("order_not_found", "order not found");
    return this.closeRecord(record);
  }

  /** Closes `record` if it is pending; throws the gateway's error when its close API refuses (the order stays pending). */
  async closeRecord(record: OrderRecord): Promise<CloseResult> {
    if (record.status !== "pending") return { orderNo: record.orderNo, status: record.status };
    const adapter = this.#deps.adapters.get(record.gateway);
    // No action yet: the gateway order is still being created (or never was); closing the record
    // makes its creator answer order_closed, and the gateway order, if made, is never shown to a payer.
    const atGateway = adapter?.closeOrder !== undefined && record.action !== undefined;
    if (atGateway) {
      try {
        await adapter.closeOrder!({ orderNo: record.orderNo, ...(record.gatewayOrderNo ? { gatewayOrderNo: record.gatewayOrderNo } : {}) }, this.#deps.httpFor(record.gateway));
      } catch (error) {
        if (error instanceof PaybridgeError) this.#deps.reportGatewayError(record.gateway, record.orderNo, "close", error);
        else this.#deps.logError("closeOrder threw", error, { gateway: record.gateway, orderNo: record.orderNo });
        throw error;
      }
    }
    const { record: after, changed } = await transition(
      this.#deps.options.store,
      record.orderNo,
      (current) => (current.status === "pending" ? { status: "closed" } : undefined),
      record,
    );
    if (!after) throw new PaybridgeError("order_not_found", "order not found");
    if (changed) this.#deps.emit("order.failed", { orderNo: after.orderNo, gateway: after.gateway, status: "closed" });
    return changed ? { orderNo: after.orderNo, status: after.status, closedAt: atGateway ? "gateway" : "local" } : { orderNo: after.orderNo, status: after.status };
  }
}
