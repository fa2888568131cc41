/**
 * Refunds, server-side only: `router.refund({ orderNo, refundNo, amountFen?, reason? })`.
 *
 * 1. Reserve: one compare-and-set writes a `processing` entry into the order's ledger, only
 *    while the refunds not failed stay within the paid amount; the same write claims sending
 *    it (a lease). However many calls race on however many instances, the sum cannot pass it.
 * 2. Send: the lease holder (refundSendLeaseMs) asks the gateway (a resend first queries, where
 *    the gateway can, and reuses the refundNo). A timeout or unreadable answer keeps the amount
 *    reserved: the money may have gone. Only a definite refusal fails the entry and frees its
 *    amount — and a refund never sent (the adapter refused its input before any request) is
 *    removed, as if never asked for.
 * 3. Finish: a succeeded refund moves the order to partially_refunded / refunded, then one
 *    fenced claim runs onRefunded; if it throws, the next call (or notify) runs it again.
 */
import { randomUUID } from "node:crypto";
import { InvalidRequestError, NotifyRejectedError, PaybridgeError, RefundUnsupportedError } from "../../errors.js";
import type { GatewayAdapter, GatewayHttp, NotifyInput, NotifyReply, RefundAnswer } from "../../gateways/contract.js";
import type { OrderRecord, RefundEntry } from "../../store/contract.js";
import type { Refund, RefundRequest, RefundResult } from "../../types.js";
import type { EngineContext } from "../context.js";
import { runHolding } from "../lease.js";
import { notFound, optional } from "../order-fields.js";
import { answered, checkAnswer, checkCarried, checkRequest, claimSend, findRefund, paidStatusOf, refundedFen, releaseSend, withEntry, without } from "./ledger.js";

export class RefundService {
  readonly #ctx: EngineContext;

  constructor(ctx: EngineContext) {
    this.#ctx = ctx;
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    checkRequest(request);
    const { store } = this.#ctx.options;
    const record = await store.get(request.orderNo);
    if (!record) throw notFound();
    const adapter = this.#ctx.adapters.get(record.gateway);
    if (!adapter?.refundOrder) throw new RefundUnsupportedError(record.gateway);
    checkCarried(request, adapter.refundRules, adapter.id);
    const now = Date.now();
    let claimed = false;
    const reserved = await this.#ctx.transition(
      record.orderNo,
      (current) => {
        const refunds = claimSend(current, request, adapter.refundRules, now, this.#ctx.options.refundSendLeaseMs);
        claimed = refunds !== undefined;
        return refunds && { refunds };
      },
      record,
    );
    const entry = reserved.record && findRefund(reserved.record, request.refundNo);
    if (!reserved.record || !entry) throw notFound();
    if (claimed && reserved.changed) await this.#send(reserved.record, entry, adapter);
    return this.#finish(record.orderNo, request.refundNo);
  }

  /**
   * A refund notify, when the adapter reads the notify as one (null otherwise: a payment
   * notify). Verified as a payment notify is; it must name a refund of this order in the
   * ledger, for its amount, or it changes nothing.
   */
  async notify(adapter: GatewayAdapter, input: NotifyInput, reject: (reason: string, orderNo?: string) => NotifyReply): Promise<NotifyReply | null> {
    let notice;
    try {
      notice = adapter.verifyRefundNotify?.(input) ?? null;
    } catch (error) {
      if (error instanceof NotifyRejectedError) return reject(error.message);
      this.#ctx.logError("verifyRefundNotify threw", error, { gateway: adapter.id });
      return reject("unreadable refund notify");
    }
    if (notice === null) return null;
    const record = await this.#ctx.options.store.get(notice.orderNo);
    if (!record) return reject("unknown order", notice.orderNo);
    if (record.gateway !== adapter.id) return reject(`order belongs to gateway ${record.gateway}`, notice.orderNo);
    const entry = findRefund(record, notice.refundNo);
    if (!entry) return reject("unknown refund", notice.orderNo);
    if (entry.amountFen !== notice.amountFen) return reject("amount does not match the refund", notice.orderNo);
    this.#ctx.telemetry.notifyAccepted(adapter.id);
    const after = await this.#apply(record, entry.refundNo, notice);
    if (after?.status === "failed" && notice.status === "succeeded") {
      this.#ctx.logError("a refund notify says succeeded for a refund the gateway refused before", new Error("conflict"), { orderNo: record.orderNo, refundNo: entry.refundNo });
    }
    if (after?.status !== "succeeded") return adapter.notifyReply.success;
    const done = await this.#fulfil(record.orderNo, entry.refundNo);
    return done ? adapter.notifyReply.success : { ...adapter.notifyReply.failure, status: 500 };
  }

  /** Talks to the gateway under the send lease this caller holds, then records what it said. */
  async #send(record: OrderRecord, entry: RefundEntry, adapter: GatewayAdapter): Promise<void> {
    const client = this.#ctx.gatewayClient(adapter.id);
    let requested = false;
    const http: GatewayHttp = (request) => {
      requested = true;
      return client(request);
    };
    let answer: RefundAnswer;
    try {
      answer = await this.#ask(record, entry, adapter, http);
    } catch (error) {
      // Never sent: the adapter refused the input before any request, and no earlier attempt
      // (a holder that died) may have sent it. Nothing can have moved: the reservation goes.
      if (error instanceof InvalidRequestError && !requested && entry.attempts === 1) {
        await this.#unreserve(record, entry);
        throw error;
      }
      // Unknown outcome: the amount stays reserved; this caller's lease ends so a retry resends.
      await this.#release(record, entry);
      this.#ctx.telemetry.refundOutcome(adapter.id, "processing");
      if (error instanceof PaybridgeError) this.#ctx.reportGatewayError(adapter.id, record.orderNo, "refund", error);
      else this.#ctx.logError("refundOrder threw", error, { gateway: adapter.id, orderNo: record.orderNo });
      throw error;
    }
    if (answer.status === "processing") {
      await this.#release(record, entry);
      this.#ctx.telemetry.refundOutcome(adapter.id, "processing");
    } else await this.#apply(record, entry.refundNo, answer);
  }

  /** Ends this caller's send lease (`entry` as its claim wrote it), if it still holds it. */
  async #release(from: OrderRecord, entry: RefundEntry): Promise<void> {
    await this.#ctx.transition(
      from.orderNo,
      (current) => {
        const held = findRefund(current, entry.refundNo);
        const next = held && releaseSend(held, entry.sendLeaseUntil);
        return next && { refunds: withEntry(current.refunds ?? [], next) };
      },
      from,
    );
  }

  /** Removes the entry this caller reserved and never sent, while it is still that claim's. */
  async #unreserve(from: OrderRecord, entry: RefundEntry): Promise<void> {
    await this.#ctx.transition(
      from.orderNo,
      (current) => {
        const held = findRefund(current, entry.refundNo);
        if (!held || held.attempts !== 1 || releaseSend(held, entry.sendLeaseUntil) === undefined) return undefined;
        const refunds = (current.refunds ?? []).filter((other) => other !== held);
        return { refunds };
      },
      from,
    );
  }

  async #ask(record: OrderRecord, entry: RefundEntry, adapter: GatewayAdapter, http: GatewayHttp): Promise<RefundAnswer> {
    const base = { orderNo: record.orderNo, refundNo: entry.refundNo, ...optional("gatewayOrderNo", record.gatewayOrderNo) };
    // A resend after an unknown outcome asks first where it can: a gateway may refuse a
    // refund number it has already used, which must not read as "this refund failed".
    let queriedNotFound = false;
    if (entry.attempts > 1 && adapter.queryRefund) {
      let found: Awaited<ReturnType<NonNullable<GatewayAdapter["queryRefund"]>>> | undefined;
      try {
        found = await adapter.queryRefund({ ...base, ...optional("gatewayRefundNo", entry.gatewayRefundNo) }, http);
      } catch (error) {
        // Not every gateway says "no such refund" in a readable way: resend (same refundNo),
        // and a refusal of that resend is not taken as final.
        this.#ctx.options.logger.warn("refund query failed; resending the refund under the same refundNo", {
          gateway: adapter.id,
          orderNo: record.orderNo,
          refundNo: entry.refundNo,
          ...(error instanceof PaybridgeError ? { code: error.code } : {}),
        });
      }
      if (found && found.status !== "not_found") return checkAnswer(adapter.id, entry, found);
      queriedNotFound = found?.status === "not_found";
    }
    const answer = checkAnswer(
      adapter.id,
      entry,
      await adapter.refundOrder!(
        {
          ...base,
          amountFen: entry.amountFen,
          orderAmountFen: record.amountFen,
          ...optional("reason", entry.reason),
          ...optional("paidAt", record.paidAt),
          notifyUrl: `${this.#ctx.options.publicUrl}/notify/${adapter.id}`,
        },
        http,
      ),
    );
    if (answer.status === "failed" && entry.attempts > 1 && !queriedNotFound) {
      // Possibly "refund number already used" for a first send that went through: stays processing.
      this.#ctx.options.logger.warn("gateway refused a resent refund; it stays processing until a query or notify says", {
        gateway: adapter.id,
        orderNo: record.orderNo,
        refundNo: entry.refundNo,
      });
      return { ...answer, status: "processing" };
    }
    return answer;
  }

  /** Records an answer in the ledger by compare-and-set; emits refund.succeeded / refund.failed once. */
  async #apply(from: OrderRecord, refundNo: string, answer: Pick<RefundAnswer, "status" | "gatewayRefundNo" | "failure">): Promise<RefundEntry | undefined> {
    const now = Date.now();
    const { record, changed } = await this.#ctx.transition(
      from.orderNo,
      (current) => {
        const entry = findRefund(current, refundNo);
        const next = entry && answered(entry, answer, now);
        if (!next) return undefined;
        const refunds = withEntry(current.refunds ?? [], next);
        return next.status === "succeeded" ? { refunds, status: paidStatusOf(current.amountFen, refunds) } : { refunds };
      },
      from,
    );
    const entry = record ? findRefund(record, refundNo) : undefined;
    if (changed && record && entry && entry.status !== "processing") {
      const event = entry.status === "succeeded" ? "refund.succeeded" : "refund.failed";
      this.#ctx.emit(event, { ...resultOf(record, entry), gateway: record.gateway });
    }
    return entry;
  }

  /** Runs onRefunded for a succeeded refund under a fenced claim; true once it has completed. */
  async #fulfil(orderNo: string, refundNo: string): Promise<boolean> {
    const { store } = this.#ctx.options;
    const now = Date.now();
    const claim = randomUUID();
    const claimed = await this.#ctx.transition(orderNo, (current) => {
      const entry = findRefund(current, refundNo);
      if (!entry || entry.status !== "succeeded" || entry.fulfilment === "done") return undefined;
      if (entry.fulfilment === "running" && (entry.fulfilmentLeaseUntil ?? 0) > now) return undefined;
      const next: RefundEntry = { ...entry, fulfilment: "running", fulfilmentLeaseUntil: now + this.#ctx.options.fulfilmentLeaseMs, fulfilmentClaim: claim };
      return { refunds: withEntry(current.refunds ?? [], next) };
    });
    const entry = claimed.record && findRefund(claimed.record, refundNo);
    if (!claimed.changed || !claimed.record || !entry) return entry?.fulfilment === "done";
    let outcome: RefundEntry["fulfilment"] = "done";
    // Renewed while it runs, so a slow onRefunded is not run a second time beside it.
    const renew = (current: OrderRecord, leaseUntil: number) => {
      const held = findRefund(current, refundNo);
      return held?.fulfilment === "running" && held.fulfilmentClaim === claim
        ? { refunds: withEntry(current.refunds ?? [], { ...held, fulfilmentLeaseUntil: leaseUntil }) }
        : undefined;
    };
    try {
      const refund = refundOf(claimed.record, entry);
      await runHolding(this.#ctx, orderNo, renew, (holding) => this.#ctx.options.onRefunded(refund, holding));
    } catch (error) {
      this.#ctx.logError("onRefunded threw; the next refund call or notify for it runs it again", error, { orderNo, refundNo });
      outcome = "none";
    }
    // Fenced: only the holder of this claim finishes it (a takeover after the lease holds another).
    await this.#ctx.transition(orderNo, (current) => {
      const held = findRefund(current, refundNo);
      if (held?.fulfilmentClaim !== claim) return undefined;
      return { refunds: withEntry(current.refunds ?? [], { ...without(held, "fulfilmentLeaseUntil", "fulfilmentClaim"), fulfilment: outcome }) };
    });
    return outcome === "done";
  }

  /** After sending: runs onRefunded if the refund succeeded, and answers the ledger's state. */
  async #finish(orderNo: string, refundNo: string): Promise<RefundResult> {
    const { store } = this.#ctx.options;
    let record = await store.get(orderNo);
    let entry = record && findRefund(record, refundNo);
    if (entry?.status === "succeeded" && entry.fulfilment !== "done") {
      await this.#fulfil(orderNo, refundNo);
      record = await store.get(orderNo);
      entry = record && findRefund(record, refundNo);
    }
    if (!record || !entry) throw notFound();
    return resultOf(record, entry);
  }
}

function resultOf(record: OrderRecord, entry: RefundEntry): RefundResult {
  return {
    orderNo: record.orderNo,
    refundNo: entry.refundNo,
    amountFen: entry.amountFen,
    status: entry.status,
    ...optional("gatewayRefundNo", entry.gatewayRefundNo),
    ...optional("failure", entry.failure),
    refundedFen: refundedFen(record),
    fulfilled: entry.status === "succeeded" && entry.fulfilment === "done",
  };
}

function refundOf(record: OrderRecord, entry: RefundEntry): Refund {
  return {
    orderNo: record.orderNo,
    refundNo: entry.refundNo,
    amountFen: entry.amountFen,
    gateway: record.gateway,
    ...optional("gatewayRefundNo", entry.gatewayRefundNo),
    ...optional("reason", entry.reason),
    refundedAt: entry.finishedAt ?? new Date().toISOString(),
    orderAmountFen: record.amountFen,
    refundedFen: refundedFen(record),
    ...optional("attach", record.attach),
  };
}
