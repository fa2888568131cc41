/**
 * The status route's answer: only with the order's status token, a pending order asks its
 * gateway (at most once per interval, src/engine/query.ts) and closes once expired, and a paid
 * order whose onPaid threw runs it again.
 */
import type { OrderStatusResponse } from "@paybridge/shared";
import { isPaidStatus } from "@paybridge/shared";
import type { EngineContext } from "./context.js";
import type { Expiry } from "./expiry.js";
import { notFound, optional } from "./order-fields.js";
import { queryFallback } from "./query.js";
import { refundedFen } from "./refunds/ledger.js";
import { settle } from "./settle.js";

export class StatusService {
  readonly #ctx: EngineContext;
  readonly #expiry: Expiry;

  constructor(ctx: EngineContext, expiry: Expiry) {
    this.#ctx = ctx;
    this.#expiry = expiry;
  }

  async status(orderNo: string, token: unknown): Promise<OrderStatusResponse> {
    const ctx = this.#ctx;
    // A bad token answers exactly as an unknown order, so order numbers cannot be probed.
    if (!ctx.tokens.verify(orderNo, token)) throw notFound();
    let record = await ctx.options.store.get(orderNo);
    if (!record) throw notFound();
    if (record.status === "pending") record = await queryFallback(ctx, record);
    // A payment only the query found has no gateway retry behind it: if onPaid threw, the
    // payer's next poll is what runs it again.
    else if (isPaidStatus(record.status) && record.fulfilment !== "done") await settle(ctx, record, {});
    if (record.status === "pending") record = await this.#expiry.touch(record);
    const refunded = refundedFen(record);
    return {
      orderNo,
      status: record.status,
      amountFen: record.amountFen,
      ...optional("paidAt", record.paidAt),
      ...optional("gatewayOrderNo", record.gatewayOrderNo),
      ...(refunded > 0 ? { refundedFen: refunded } : {}),
    };
  }
}
