/**
 * What every store's listing by paid / refund time shares: which records and refunds are
 * listed, at what time, in what order, and the bounds on a caller's window and page size.
 */
import { isPaidStatus } from "@paybridge/shared";
import type { ListCursor, OrderRecord, RefundEntry, TimeWindow } from "./contract.js";

/** At most this many items per page: one page is read into memory at once. */
export const MAX_LIST_LIMIT = 10_000;

/** A position in a listing: time (epoch ms), store key, and refund number ("" for orders). */
export interface ListKey {
  at: number;
  orderNo: string;
  refundNo: string;
}

/** When the order was paid (epoch ms), if it was: a paid or refunded status and a paidAt. */
export function paidAtMs(record: Pick<OrderRecord, "status" | "paidAt">): number | undefined {
  return isPaidStatus(record.status) && record.paidAt !== undefined ? Date.parse(record.paidAt) : undefined;
}

/** A refund's listing time: when it finished once it did, else when it was requested. */
export function refundAtMs(refund: Pick<RefundEntry, "requestedAt" | "finishedAt">): number {
  return Date.parse(refund.finishedAt ?? refund.requestedAt);
}

/** The listing keys of a record: its paid key (if paid) and one per refund. */
export function listKeysOf(record: OrderRecord): { paid: ListKey | undefined; refunds: ListKey[] } {
  const at = paidAtMs(record);
  return {
    paid: at === undefined ? undefined : { at, orderNo: record.orderNo, refundNo: "" },
    refunds: (record.refunds ?? []).map((refund) => ({ at: refundAtMs(refund), orderNo: record.orderNo, refundNo: refund.refundNo })),
  };
}

/** Strings by UTF-16 code unit, as `<` does (and as Redis, MySQL's *_bin and PostgreSQL's "C" do for ASCII keys). */
function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The listing order: time, then store key, then refund number. */
export function compareListKeys(a: ListKey, b: ListKey): number {
  return a.at - b.at || compareText(a.orderNo, b.orderNo) || compareText(a.refundNo, b.refundNo);
}

/** The cursor as a key; a refund cursor without a refund number stands before that order's refunds. */
export function cursorKey(after: ListCursor): ListKey {
  return { at: after.at, orderNo: after.orderNo, refundNo: after.refundNo ?? "" };
}

/** Throws RangeError for a window or limit no listing can answer (the caller's bug, not the store's). */
export function checkListArgs(window: TimeWindow, limit: number, after: ListCursor | undefined): void {
  if (!Number.isSafeInteger(window.from) || !Number.isSafeInteger(window.to)) throw new RangeError("window.from and window.to must be whole epoch ms");
  if (!Number.isSafeInteger(limit) || limit <= 0 || limit > MAX_LIST_LIMIT) throw new RangeError(`limit must be a whole number from 1 to ${MAX_LIST_LIMIT}`);
  if (after !== undefined && (!Number.isSafeInteger(after.at) || typeof after.orderNo !== "string")) throw new RangeError("after must be { at: epoch ms, orderNo }");
}
