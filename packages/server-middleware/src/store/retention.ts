/**
 * Retention: which orders are finished (nothing more will happen to them unless a gateway
 * surprises us), and the memory store's record of when each finished, oldest first, so it can
 * drop those past their retention and, at its bound, evict the oldest finished one. A pending
 * order, one whose onPaid or onRefunded has not completed, or one with a refund in flight is
 * never finished, so never dropped.
 */
import { isPaidStatus } from "@paybridge/shared";
import type { OrderRecord } from "./contract.js";

/** Finished orders are kept this long after they finished, by default: 30 days. */
export const DEFAULT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

export function isFinished(record: OrderRecord): boolean {
  if (record.status === "failed" || record.status === "closed") return true;
  if (!isPaidStatus(record.status) || record.fulfilment !== "done") return false;
  const { refunds } = record;
  if (refunds === undefined) return true;
  for (const refund of refunds) {
    if (refund.status === "processing" || (refund.status === "succeeded" && refund.fulfilment !== "done")) return false;
  }
  return true;
}

/** Finished orders by the time they finished, oldest first (a Map keeps insertion order). */
export class FinishedOrders {
  readonly #finishedAt = new Map<string, number>();

  get size(): number {
    return this.#finishedAt.size;
  }

  /**
   * Notes a record as written: finished now (if it was not), or in progress again. `previous`,
   * the record it replaces, saves a lookup: an order is tracked exactly while its record is finished.
   */
  track(record: OrderRecord, now: number, previous?: OrderRecord): void {
    const finished = isFinished(record);
    const known = previous === undefined ? this.#finishedAt.has(record.orderNo) : isFinished(previous);
    if (finished && !known) this.#finishedAt.set(record.orderNo, now);
    else if (!finished && known) this.#finishedAt.delete(record.orderNo);
  }

  forget(orderNo: string): void {
    this.#finishedAt.delete(orderNo);
  }

  /** The oldest finished order, if it finished at or before `finishedBy` (any age when omitted). */
  oldest(finishedBy = Number.POSITIVE_INFINITY): string | undefined {
    for (const [orderNo, finishedAt] of this.#finishedAt) return finishedAt <= finishedBy ? orderNo : undefined;
    return undefined;
  }
}
