/**
 * `router.close(orderNo)`: stops a pending order. At the gateway first where it has a close API
 * (so the payer can no longer pay it there), then in the store by compare-and-set from pending
 * only. Money that still arrives afterwards wins, as it always has: a verified payment notify
 * moves a closed order to paid and onPaid runs (src/engine/settle.ts).
 */
import { PaybridgeError } from "../errors.js";
import type { OrderRecord } from "../store/contract.js";
import type { CloseResult } from "../types.js";
import type { EngineContext } from "./context.js";
import { checkOrderNo } from "./input.js";
import { notFound } from "./order-fields.js";

export class CloseService {
  readonly #ctx: EngineContext;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  async close(orderNo: string): Promise<CloseResult> {
    checkOrderNo(orderNo);
    const record = await this.#ctx.options.store.get(orderNo);
    if (!record) throw notFound();
    return this.closeRecord(record);
  }

  /** Closes `record` if it is pending; throws the gateway's error when its close API refuses (the order stays pending). */
  async closeRecord(record: OrderRecord): Promise<CloseResult> {
    if (record.status !== "pending") return { orderNo: record.orderNo, status: record.status };
    const adapter = this.#ctx.adapters.get(record.gateway);
    // No action yet: the gateway order is still being created (or never was); closing the record
    // makes its creator answer order_closed, and the gateway order, if made, is never shown to a payer.
    const atGateway = adapter?.closeOrder !== undefined && record.action !== undefined;
    if (atGateway) {
      try {
        await adapter.closeOrder!({ orderNo: record.orderNo, ...(record.gatewayOrderNo ? { gatewayOrderNo: record.gatewayOrderNo } : {}) }, this.#ctx.gatewayClient(record.gateway));
      } catch (error) {
        if (error instanceof PaybridgeError) this.#ctx.reportGatewayError(record.gateway, record.orderNo, "close", error);
        else this.#ctx.logError("closeOrder threw", error, { gateway: record.gateway, orderNo: record.orderNo });
        throw error;
      }
    }
    const { record: after, changed } = await this.#ctx.transition(
      record.orderNo,
      (current) => (current.status === "pending" ? { status: "closed" } : undefined),
      record,
    );
    if (!after) throw notFound();
    if (changed) this.#ctx.emit("order.failed", { orderNo: after.orderNo, gateway: after.gateway, status: "closed" });
    return changed ? { orderNo: after.orderNo, status: after.status, closedAt: atGateway ? "gateway" : "local" } : { orderNo: after.orderNo, status: after.status };
  }
}
