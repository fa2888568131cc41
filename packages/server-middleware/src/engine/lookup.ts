/**
 * `order(orderNo)` and `queryOrder(orderNo)`: an operator's look at one order (the `paybridge`
 * command line). Reading goes through the engine's store (a merchant's engine reads its own
 * scoped keys); a query goes through the status route's own query path (src/engine/query.ts),
 * so its answer changes the order only by the transition loop, and only when it names the order.
 */
import type { OrderRecord } from "../store/contract.js";
import type { OrderQueryResult, OrderView } from "../types.js";
import type { EngineContext } from "./context.js";
import { checkOrderNo } from "./input.js";
import { notFound, optional } from "./order-fields.js";
import { queryFallback } from "./query.js";
import { refundedFen } from "./refunds/ledger.js";

export class OrderLookup {
  readonly #ctx: EngineContext;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  async order(orderNo: string): Promise<OrderView | null> {
    const record = await this.#ctx.options.store.get(checkOrderNo(orderNo));
    return record ? this.#view(record) : null;
  }

  async queryOrder(orderNo: string): Promise<OrderQueryResult> {
    const record = await this.#ctx.options.store.get(checkOrderNo(orderNo));
    if (!record) throw notFound();
    if (record.status !== "pending") return { order: this.#view(record), queried: false };
    const after = await queryFallback(this.#ctx, record);
    // queryFallback claims the query by writing lastQueriedAt: a new value means it asked.
    return { order: this.#view(after), queried: after.lastQueriedAt !== record.lastQueriedAt };
  }

  /** The record without the engine's own fields: the payer's pay parameters, claim tokens and leases. */
  #view(record: OrderRecord): OrderView {
    return {
      orderNo: record.orderNo,
      ...optional("merchantId", this.#ctx.merchantId),
      status: record.status,
      amountFen: record.amountFen,
      refundedFen: refundedFen(record),
      gateway: record.gateway,
      channel: record.channel,
      scene: record.scene,
      ...optional("gatewayOrderNo", record.gatewayOrderNo),
      ...optional("description", record.description),
      ...optional("attach", record.attach),
      ...optional("openId", record.openId),
      createdAt: record.createdAt,
      ...optional("paidAt", record.paidAt),
      fulfilment: record.fulfilment,
      ...optional("lastQueriedAt", record.lastQueriedAt === undefined ? undefined : new Date(record.lastQueriedAt).toISOString()),
      version: record.version,
      refunds: (record.refunds ?? []).map((refund) => ({
        refundNo: refund.refundNo,
        amountFen: refund.amountFen,
        status: refund.status,
        ...optional("reason", refund.reason),
        requestedAt: refund.requestedAt,
        attempts: refund.attempts,
        ...optional("gatewayRefundNo", refund.gatewayRefundNo),
        ...optional("finishedAt", refund.finishedAt),
        ...optional("failure", refund.failure),
        fulfilment: refund.fulfilment,
      })),
    };
  }
}
