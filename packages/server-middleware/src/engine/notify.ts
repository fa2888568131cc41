/**
 * A gateway's notify, verified by its adapter on the raw bytes: a refund notify goes to the
 * refund service; a payment notify must name a known order of this gateway for its amount, or
 * it changes nothing. Every answer is the gateway's own reply text.
 */
import { NotifyRejectedError } from "../errors.js";
import type { GatewayAdapter, NotifyInput, NotifyReply, VerifiedNotify } from "../gateways/types.js";
import type { EngineContext } from "./context.js";
import { clientErrorStatus, notFound, optional, retryStatus } from "./order-fields.js";
import type { RefundService } from "./refunds/service.js";
import { markClosed, settle } from "./settle.js";

export class NotifyService {
  readonly #ctx: EngineContext;
  readonly #refunds: RefundService;

  constructor(ctx: EngineContext, refunds: RefundService) {
    this.#ctx = ctx;
    this.#refunds = refunds;
  }

  hasGateway(id: string): boolean {
    return this.#ctx.adapters.has(id);
  }

  /** Handles a notify for a configured gateway; answers with that gateway's exact reply. */
  async notify(gatewayId: string, input: NotifyInput): Promise<NotifyReply> {
    const ctx = this.#ctx;
    const adapter = this.#adapter(gatewayId);
    const reject = (reason: string, orderNo?: string): NotifyReply => this.reject(gatewayId, reason, orderNo);
    if (adapter.verifyRefundNotify) {
      const refundReply = await this.#refunds.notify(adapter, input, reject);
      if (refundReply) return refundReply;
    }
    let notice: VerifiedNotify;
    try {
      notice = adapter.verifyNotify(input);
    } catch (error) {
      if (error instanceof NotifyRejectedError) return reject(error.message);
      ctx.logError("verifyNotify threw", error, { gateway: gatewayId });
      return reject("unreadable notify");
    }
    const record = await ctx.options.store.get(notice.orderNo);
    if (!record) return reject("unknown order", notice.orderNo);
    if (record.gateway !== gatewayId) return reject(`order belongs to gateway ${record.gateway}`, notice.orderNo);
    if (record.amountFen !== notice.amountFen) return reject("amount does not match the order", notice.orderNo);
    ctx.telemetry.notifyAccepted(gatewayId);

    if (notice.outcome === "failed") await markClosed(ctx, record, "failed");
    if (notice.outcome !== "paid") return adapter.notifyReply.success;
    // Starts from the record just read: a gateway's retry for a paid, fulfilled order costs that one read.
    const fulfilment = await settle(ctx, record, notice);
    if (fulfilment === "done") return adapter.notifyReply.success;
    // The gateway retries a failure reply: then onPaid runs again (or finishes in the meantime).
    return { ...adapter.notifyReply.failure, status: retryStatus(adapter.notifyReply.failure.status) };
  }

  /** The gateway's failure reply with a 4xx, for a notify that changes nothing. */
  reject(gatewayId: string, reason: string, orderNo?: string): NotifyReply {
    const { failure } = this.#adapter(gatewayId).notifyReply;
    this.#ctx.options.logger.warn("notify rejected", { gateway: gatewayId, reason, ...optional("orderNo", orderNo) });
    this.#ctx.emit("notify.rejected", { gateway: gatewayId, reason, ...optional("orderNo", orderNo) });
    return { ...failure, status: clientErrorStatus(failure.status) };
  }

  #adapter(id: string): GatewayAdapter {
    const adapter = this.#ctx.adapters.get(id);
    if (!adapter) throw notFound();
    return adapter;
  }
}
