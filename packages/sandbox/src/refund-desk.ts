/**
 * The sandbox's refund and close desk, shared by the gateway simulators that have those APIs
 * (each speaks its own wire format in its own file and asks this desk what happened). A real
 * gateway's rules: only a paid order is refunded, refunds never pass the order's amount, a refund
 * number is one refund (the same one again answers it; with another amount it is refused), and
 * only an unpaid order closes.
 *
 * Outcomes are set by `POST /control/refund-outcome`: `succeeded` (default), `processing`
 * (finished later by `POST /control/complete-refund`, which sends the gateway's refund notify
 * where it has one) or `failed` (a refusal). Faults (`/control/fault`) apply to these routes too.
 */
import express, { Router, type Response } from "express";
import { isSandboxGatewayId, type SandboxGatewayId } from "./credentials.js";
import { isJsonObject } from "./fields.js";
import type { SandboxOrder } from "./order-book.js";

export type SandboxRefundStatus = "succeeded" | "processing" | "failed";

export interface SandboxRefund {
  refundNo: string;
  gatewayRefundNo: string;
  amountFen: number;
  status: SandboxRefundStatus;
  createdAt: Date;
}

/** What a refund request gets: the refund, or the reason the gateway refuses it. */
export type RefundDecision = { refund: SandboxRefund } | { refused: string };

/** Sends a simulator's refund notify for a refund finished by the control route, when it has one. */
export type RefundNotifier = (gateway: SandboxGatewayId, order: SandboxOrder, refund: SandboxRefund) => Promise<unknown>;

export class RefundDesk {
  readonly #refunds = new WeakMap<SandboxOrder, Map<string, SandboxRefund>>();
  readonly #outcomes = new Map<SandboxGatewayId, { outcome: SandboxRefundStatus; remaining: number }>();
  readonly #orderOf = new Map<string, SandboxOrder>();
  #sequence = 0;

  /** The next `times` refunds at `gateway` end this way. */
  setOutcome(gateway: SandboxGatewayId, outcome: SandboxRefundStatus, times: number): void {
    this.#outcomes.set(gateway, { outcome, remaining: times });
  }

  refundsOf(order: SandboxOrder): SandboxRefund[] {
    return [...(this.#refunds.get(order)?.values() ?? [])];
  }

  find(order: SandboxOrder, refundNo: string): SandboxRefund | undefined {
    return this.#refunds.get(order)?.get(refundNo);
  }

  refund(gateway: SandboxGatewayId, order: SandboxOrder, refundNo: string, amountFen: number): RefundDecision {
    const existing = this.find(order, refundNo);
    if (existing) return existing.amountFen === amountFen ? { refund: existing } : { refused: "refund number already used for another amount" };
    if (order.status !== "paid") return { refused: "order is not paid" };
    if (!Number.isSafeInteger(amountFen) || amountFen < 1) return { refused: "refund amount must be at least 1 fen" };
    const held = this.refundsOf(order).reduce((sum, refund) => sum + (refund.status === "failed" ? 0 : refund.amountFen), 0);
    if (held + amountFen > order.amountFen) return { refused: "refund amount exceeds what is left of the order" };
    const outcome = this.#takeOutcome(gateway);
    this.#sequence += 1;
    const refund: SandboxRefund = {
      refundNo,
      gatewayRefundNo: `${gateway.toUpperCase()}R${Date.now().toString(36)}${String(this.#sequence).padStart(6, "0")}`,
      amountFen,
      status: outcome,
      createdAt: new Date(),
    };
    let book = this.#refunds.get(order);
    if (!book) this.#refunds.set(order, (book = new Map()));
    book.set(refundNo, refund);
    this.#orderOf.set(`${gateway}\n${refundNo}`, order);
    return { refund };
  }

  /** A refund by its merchant number at one gateway, with its order. */
  lookup(gateway: SandboxGatewayId, refundNo: string): { order: SandboxOrder; refund: SandboxRefund } | undefined {
    const order = this.#orderOf.get(`${gateway}\n${refundNo}`);
    const refund = order && this.find(order, refundNo);
    return order && refund ? { order, refund } : undefined;
  }

  /** A refund by the gateway's own refund number, with its order. */
  lookupByGatewayNo(gateway: SandboxGatewayId, gatewayRefundNo: string): { order: SandboxOrder; refund: SandboxRefund } | undefined {
    for (const key of this.#orderOf.keys()) {
      if (!key.startsWith(`${gateway}\n`)) continue;
      const found = this.lookup(gateway, key.slice(gateway.length + 1));
      if (found?.refund.gatewayRefundNo === gatewayRefundNo) return found;
    }
    return undefined;
  }

  /** Closes an unpaid order; the reason when the gateway refuses. */
  close(order: SandboxOrder): string | null {
    if (order.status === "paid") return "order is paid";
    order.status = "failed";
    order.extra.closed = "true";
    return null;
  }

  /** A processing refund finished by the control route; null when there is none by that number. */
  complete(gateway: SandboxGatewayId, refundNo: string, outcome: "succeeded" | "failed"): { order: SandboxOrder; refund: SandboxRefund } | null {
    const found = this.lookup(gateway, refundNo);
    if (!found) return null;
    if (found.refund.status === "processing") found.refund.status = outcome;
    return found;
  }

  #takeOutcome(gateway: SandboxGatewayId): SandboxRefundStatus {
    const next = this.#outcomes.get(gateway);
    if (!next) return "succeeded";
    next.remaining -= 1;
    if (next.remaining <= 0) this.#outcomes.delete(gateway);
    return next.outcome;
  }
}

function reject(res: Response, status: number, message: string, field?: string): void {
  res.status(status).json({ error: { message, ...(field ? { field } : {}) } });
}

/** POST /control/refund-outcome and /control/complete-refund. */
export function refundControlRouter(desk: RefundDesk, notifyRefund: RefundNotifier): Router {
  const router = Router();
  router.use(express.json({ limit: "16kb" }));
  router.post("/refund-outcome", (req, res) => {
    const body: unknown = req.body;
    if (!isJsonObject(body)) return reject(res, 400, "body must be a JSON object");
    const { gateway, outcome, times } = body;
    if (!isSandboxGatewayId(gateway)) return reject(res, 400, "unknown gateway", "gateway");
    if (outcome !== "succeeded" && outcome !== "processing" && outcome !== "failed") {
      return reject(res, 400, "outcome must be succeeded, processing or failed", "outcome");
    }
    if (times !== undefined && !(typeof times === "number" && Number.isSafeInteger(times) && times >= 1 && times <= 1000)) {
      return reject(res, 400, "times must be a whole number from 1 to 1000", "times");
    }
    desk.setOutcome(gateway, outcome, (times as number | undefined) ?? 1);
    res.json({ gateway, outcome, times: (times as number | undefined) ?? 1 });
  });
  router.post("/complete-refund", async (req, res) => {
    const body: unknown = req.body;
    if (!isJsonObject(body)) return reject(res, 400, "body must be a JSON object");
    const { gateway, refundNo, outcome } = body;
    if (!isSandboxGatewayId(gateway)) return reject(res, 400, "unknown gateway", "gateway");
    if (typeof refundNo !== "string" || refundNo.length === 0 || refundNo.length > 64) return reject(res, 400, "refundNo must be a string", "refundNo");
    if (outcome !== "succeeded" && outcome !== "failed") return reject(res, 400, 'outcome must be "succeeded" or "failed"', "outcome");
    const done = desk.complete(gateway, refundNo, outcome);
    if (!done) return reject(res, 404, `no ${gateway} refund ${refundNo}`, "refundNo");
    const delivery = await notifyRefund(gateway, done.order, done.refund);
    res.json({ refundNo, status: done.refund.status, notify: delivery ?? null });
  });
  return router;
}
