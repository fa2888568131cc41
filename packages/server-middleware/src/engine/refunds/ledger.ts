/**
 * The refund ledger on an order record, as pure functions: what a refund may reserve, how an
 * answer from the gateway changes one entry, and what the order's status becomes. The refund
 * service applies them inside compare-and-set loops, so two instances never both reserve the
 * last fen.
 */
import { isFen, isPaidStatus, type OrderStatus } from "@paybridge/shared";
import { GatewayError, InvalidRequestError, PaybridgeError } from "../../errors.js";
import type { RefundAnswer, RefundRules } from "../../gateways/contract.js";
import { redactGatewayText } from "../../redact.js";
import type { OrderRecord, RefundEntry } from "../../store/contract.js";
import type { RefundRequest } from "../../types.js";
import { checkOrderNo, checkRefundNo } from "../input.js";

/** A ledger holds at most this many refunds (the record is rewritten whole on each change). */
export const MAX_LEDGER_ENTRIES = 1_000;
const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_REASON = 80;

export const notAllowed = (message: string, field?: string): PaybridgeError =>
  new PaybridgeError("refund_not_allowed", message, field === undefined ? {} : { field });

export function findRefund(record: OrderRecord, refundNo: string): RefundEntry | undefined {
  return record.refunds?.find((entry) => entry.refundNo === refundNo);
}

/** Fen held by refunds that succeeded or may still succeed. */
export function reservedFen(record: OrderRecord): number {
  let sum = 0;
  for (const entry of record.refunds ?? []) if (entry.status !== "failed") sum += entry.amountFen;
  return sum;
}

export function refundedFen(record: Pick<OrderRecord, "refunds">): number {
  let sum = 0;
  for (const entry of record.refunds ?? []) if (entry.status === "succeeded") sum += entry.amountFen;
  return sum;
}

/** paid, partially_refunded or refunded, from the succeeded refunds. */
export function paidStatusOf(amountFen: number, refunds: readonly RefundEntry[]): OrderStatus {
  const refunded = refundedFen({ refunds });
  return refunded === 0 ? "paid" : refunded >= amountFen ? "refunded" : "partially_refunded";
}

export function withEntry(refunds: readonly RefundEntry[], next: RefundEntry): RefundEntry[] {
  return refunds.map((entry) => (entry.refundNo === next.refundNo ? next : entry));
}

/** `entry` without the given optional fields (absent, not undefined, so JSON and memory agree). */
export function without(entry: RefundEntry, ...keys: Array<"sendLeaseUntil" | "fulfilmentLeaseUntil" | "fulfilmentClaim">): RefundEntry {
  const copy: RefundEntry = { ...entry };
  for (const key of keys) delete copy[key];
  return copy;
}

/**
 * The ledger after `request` claims sending (a new entry reserving its amount, or an existing
 * processing one nobody is sending), or undefined when there is nothing to claim. Throws
 * refund_conflict / refund_not_allowed, writing nothing.
 */
export function claimSend(
  current: OrderRecord,
  request: RefundRequest,
  rules: RefundRules | undefined,
  now: number,
  leaseMs: number,
): RefundEntry[] | undefined {
  const refunds = current.refunds ?? [];
  const existing = findRefund(current, request.refundNo);
  if (existing) {
    if (request.amountFen !== undefined && request.amountFen !== existing.amountFen) {
      throw new PaybridgeError("refund_conflict", `refund ${request.refundNo} exists for ${existing.amountFen} fen`, { field: "refundNo" });
    }
    if (existing.status !== "processing" || (existing.sendLeaseUntil ?? 0) > now) return undefined;
    return withEntry(refunds, { ...existing, attempts: existing.attempts + 1, sendLeaseUntil: now + leaseMs });
  }
  if (!isPaidStatus(current.status)) throw notAllowed(`order is ${current.status}, not paid`);
  if (current.status === "refunded") throw notAllowed("order is refunded in full");
  const left = current.amountFen - reservedFen(current);
  const amountFen = request.amountFen ?? left;
  if (amountFen < 1) throw notAllowed("nothing is left to refund (other refunds hold the rest)", "amountFen");
  if (amountFen > left) throw notAllowed(`${amountFen} fen is more than the ${left} fen left to refund`, "amountFen");
  if (refunds.length >= MAX_LEDGER_ENTRIES) throw notAllowed(`an order holds at most ${MAX_LEDGER_ENTRIES} refunds`);
  const live = refunds.filter((entry) => entry.status !== "failed").length;
  if (rules?.maxRefunds !== undefined && live >= rules.maxRefunds) {
    throw notAllowed(`${current.gateway} allows at most ${rules.maxRefunds} refunds per order`);
  }
  if (rules?.windowDays !== undefined && current.paidAt !== undefined && now - Date.parse(current.paidAt) > rules.windowDays * DAY_MS) {
    throw notAllowed(`${current.gateway} refunds only within ${rules.windowDays} days of payment`);
  }
  const entry: RefundEntry = {
    refundNo: request.refundNo,
    amountFen,
    status: "processing",
    ...(request.reason !== undefined ? { reason: request.reason } : {}),
    requestedAt: new Date(now).toISOString(),
    attempts: 1,
    sendLeaseUntil: now + leaseMs,
    fulfilment: "none",
  };
  return [...refunds, entry];
}

/** The entry after a gateway answer or notify; undefined when it changes nothing (a finished refund stays finished). */
export function answered(entry: RefundEntry, answer: Pick<RefundAnswer, "status" | "gatewayRefundNo" | "failure">, now: number): RefundEntry | undefined {
  if (entry.status !== "processing") return undefined;
  if (answer.status === "processing") return entry.sendLeaseUntil === undefined ? undefined : without(entry, "sendLeaseUntil");
  const gatewayRefundNo = entry.gatewayRefundNo ?? answer.gatewayRefundNo;
  return {
    ...without(entry, "sendLeaseUntil"),
    status: answer.status,
    finishedAt: new Date(now).toISOString(),
    ...(gatewayRefundNo !== undefined ? { gatewayRefundNo } : {}),
    // Gateway text: kept (and emitted) only with secrets cut out, as every gateway text is.
    ...(answer.status === "failed" ? { failure: redactGatewayText(answer.failure ?? "refused").slice(0, 128) } : {}),
  };
}

export function checkRequest(request: RefundRequest): void {
  if (typeof request !== "object" || request === null) throw new InvalidRequestError("refund request must be an object", "request");
  const { amountFen, reason } = request;
  checkOrderNo(request.orderNo);
  checkRefundNo(request.refundNo);
  if (amountFen !== undefined && (!isFen(amountFen) || amountFen < 1)) throw new InvalidRequestError("amountFen must be a whole number of fen, at least 1", "amountFen");
  if (reason !== undefined && (typeof reason !== "string" || reason.length === 0 || reason.length > MAX_REASON)) {
    throw new InvalidRequestError(`reason must be a string of 1-${MAX_REASON} characters`, "reason");
  }
}

/** An answer about another refund, or for another amount, is unreadable, not a result. */
export function checkAnswer(gateway: string, entry: RefundEntry, answer: RefundAnswer): RefundAnswer {
  if (answer.refundNo !== undefined && answer.refundNo !== entry.refundNo) throw new GatewayError(gateway, "refund answer names another refund");
  if (answer.amountFen !== undefined && answer.amountFen !== entry.amountFen) throw new GatewayError(gateway, "refund answer states another amount");
  return answer;
}
