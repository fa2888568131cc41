/**
 * A gateway's notify, verified by its adapter on the raw bytes: a refund notify goes to the
 * refund service; a payment notify must name a known order of this gateway for its amount, or
 * it changes nothing. Every answer is the gateway's own reply text, and every notify is kept in
 * the store's inbox with what became of it (src/engine/inbox.ts), so it can be replayed.
 */
import { NotifyRejectedError, PaybridgeError } from "../errors.js";
import type { GatewayAdapter, NotifyInput, NotifyReply, VerifiedNotify } from "../gateways/contract.js";
import type { NotifyEntry } from "../store/contract.js";
import type { ReplayResult } from "../types.js";
import type { EngineContext } from "./context.js";
import { NotifyRecorder, newNotifyId, type NotifyOutcome } from "./inbox.js";
import { clientErrorStatus, notFound, optional, retryStatus } from "./order-fields.js";
import type { RefundService } from "./refunds/service.js";
import { markClosed, settle } from "./settle.js";

interface Processed extends NotifyOutcome {
  reply: NotifyReply;
}

export class NotifyService {
  readonly #ctx: EngineContext;
  readonly #refunds: RefundService;
  readonly #recorder: NotifyRecorder;

  constructor(ctx: EngineContext, refunds: RefundService) {
    this.#ctx = ctx;
    this.#refunds = refunds;
    this.#recorder = new NotifyRecorder(ctx);
  }

  hasGateway(id: string): boolean {
    return this.#ctx.adapters.has(id);
  }

  /** Handles a notify for a configured gateway; answers with that gateway's exact reply. */
  async notify(gatewayId: string, input: NotifyInput): Promise<NotifyReply> {
    const receivedAt = Date.now();
    const id = newNotifyId(receivedAt);
    let processed: Processed;
    try {
      processed = await this.#process(gatewayId, input, id);
    } catch (error) {
      // The store could not be reached (or failed): what the notify says is not recorded yet,
      // so the gateway's own failure reply, with a 5xx, makes it retry.
      this.#ctx.logError("notify could not be handled; the gateway retries it", error, { gateway: gatewayId });
      const { failure } = this.#adapter(gatewayId).notifyReply;
      return { ...failure, status: retryStatus(failure.status) };
    }
    const { reply, ...outcome } = processed;
    await this.#recorder.keep(this.#recorder.entry(id, gatewayId, input, receivedAt, outcome));
    return reply;
  }

  /** A notify refused before verification (too large, encoded, parsed by another): kept without its bytes. */
  async refuse(gatewayId: string, reason: string, headers: NotifyInput["headers"]): Promise<NotifyReply> {
    const receivedAt = Date.now();
    const { reply, ...outcome } = this.#reject(gatewayId, reason);
    await this.#recorder.keep(this.#recorder.entry(newNotifyId(receivedAt), gatewayId, undefined, receivedAt, outcome, headers));
    return reply;
  }

  /**
   * Runs a kept notify again through verification and application: idempotent, as a
   * gateway's own retry is (a paid order whose onPaid completed stays as it is).
   */
  async replay(id: string): Promise<ReplayResult> {
    const { inbox } = this.#ctx.options.store;
    const entry: NotifyEntry | null = inbox && typeof id === "string" ? await inbox.get(id) : null;
    if (!inbox || !entry) throw new PaybridgeError("invalid_request", "no notify with that id in the inbox", { field: "id" });
    if (entry.body === "") throw new PaybridgeError("invalid_request", "that notify was refused unread; there is nothing to replay", { field: "id" });
    if (!this.hasGateway(entry.gateway)) throw new PaybridgeError("invalid_request", `gateway ${entry.gateway} is not configured`, { field: "id" });
    const input: NotifyInput = { rawBody: Buffer.from(entry.body, "base64"), headers: entry.headers };
    const { reply, ...outcome } = await this.#process(entry.gateway, input, entry.id);
    const { reason: _reason, orderNo: _orderNo, ...kept } = entry;
    await this.#recorder.keep({ ...kept, ...outcome, replays: entry.replays + 1, processedAt: new Date().toISOString() });
    return { id: entry.id, gateway: entry.gateway, ...outcome, replyStatus: reply.status };
  }

  async #process(gatewayId: string, input: NotifyInput, notifyId: string): Promise<Processed> {
    const ctx = this.#ctx;
    const adapter = this.#adapter(gatewayId);
    let refused: Processed | undefined;
    const reject = (reason: string, orderNo?: string): NotifyReply => (refused = this.#reject(gatewayId, reason, orderNo)).reply;
    if (adapter.verifyRefundNotify) {
      const refundReply = await this.#refunds.notify(adapter, input, reject);
      if (refundReply) return refused ?? { reply: refundReply, verdict: refundReply.status >= 500 ? "retry" : "accepted" };
    }
    let notice: VerifiedNotify;
    try {
      notice = adapter.verifyNotify(input);
    } catch (error) {
      if (error instanceof NotifyRejectedError) return this.#reject(gatewayId, error.message);
      ctx.logError("verifyNotify threw", error, { gateway: gatewayId });
      return this.#reject(gatewayId, "unreadable notify");
    }
    const { orderNo } = notice;
    const record = await ctx.options.store.get(orderNo);
    if (!record) return this.#unknownOrder(gatewayId, notice, notifyId);
    if (record.gateway !== gatewayId) return this.#reject(gatewayId, `order belongs to gateway ${record.gateway}`, orderNo);
    if (record.amountFen !== notice.amountFen) return this.#reject(gatewayId, "amount does not match the order", orderNo);
    ctx.telemetry.notifyAccepted(gatewayId);

    if (notice.outcome === "failed") await markClosed(ctx, record, "failed");
    if (notice.outcome !== "paid") return { reply: adapter.notifyReply.success, verdict: "accepted", orderNo };
    // Starts from the record just read: a gateway's retry for a paid, fulfilled order costs that one read.
    const fulfilment = await settle(ctx, record, notice);
    if (fulfilment === "done") return { reply: adapter.notifyReply.success, verdict: "accepted", orderNo };
    // The gateway retries a failure reply: then onPaid runs again (or finishes in the meantime).
    const reply = { ...adapter.notifyReply.failure, status: retryStatus(adapter.notifyReply.failure.status) };
    return { reply, verdict: "retry", reason: fulfilment === "busy" ? "onPaid is running elsewhere" : "onPaid threw", orderNo };
  }

  /**
   * A verified payment for an order this store does not know (a store restored from an old
   * backup, records lost): refused so the gateway keeps retrying, and raised, never lost.
   */
  #unknownOrder(gatewayId: string, notice: VerifiedNotify, notifyId: string): Processed {
    const refused = this.#reject(gatewayId, "unknown order", notice.orderNo);
    if (notice.outcome !== "paid") return refused;
    const payment = { gateway: gatewayId, orderNo: notice.orderNo, amountFen: notice.amountFen, ...optional("gatewayOrderNo", notice.gatewayOrderNo) };
    this.#ctx.options.logger.error("a verified payment names an order this store does not know; kept in the notify inbox", payment);
    this.#ctx.emit("payment.unmatched", { ...payment, notifyId });
    return { ...refused, verdict: "unmatched" };
  }

  /** The gateway's failure reply with a 4xx, for a notify that changes nothing. */
  #reject(gatewayId: string, reason: string, orderNo?: string): Processed {
    const { failure } = this.#adapter(gatewayId).notifyReply;
    this.#ctx.options.logger.warn("notify rejected", { gateway: gatewayId, reason, ...optional("orderNo", orderNo) });
    this.#ctx.emit("notify.rejected", { gateway: gatewayId, reason, ...optional("orderNo", orderNo) });
    return { reply: { ...failure, status: clientErrorStatus(failure.status) }, verdict: "rejected", reason, ...optional("orderNo", orderNo) };
  }

  #adapter(id: string): GatewayAdapter {
    const adapter = this.#ctx.adapters.get(id);
    if (!adapter) throw notFound();
    return adapter;
  }
}
