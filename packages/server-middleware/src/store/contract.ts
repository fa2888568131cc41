/**
 * The order store. Every change is a compare-and-set on `version`, so two requests (or two
 * processes sharing Redis) can never both move an order out of the same state, and the
 * merchant's onPaid runs once per order however notifies race.
 */
import type { Channel, OrderStatus, PayAction, Scene } from "@paybridge/shared";

export interface OrderRecord {
  /** The store key: the order number, or `m:<merchantId>:<orderNo>` for a merchant's order (src/engine/merchant-store.ts). */
  orderNo: string;
  /** Incremented by every successful compareAndSet; 1 when inserted. */
  version: number;
  status: OrderStatus;
  amountFen: number;
  gateway: string;
  channel: Channel;
  scene: Scene;
  /** Absent while the gateway order is being created. */
  action?: PayAction;
  gatewayOrderNo?: string;
  description?: string;
  attach?: string;
  openId?: string;
  /** ISO 8601. */
  createdAt: string;
  paidAt?: string;
  /**
   * The merchant's onPaid hook for a paid order: `none` not yet run (or it threw),
   * `running` claimed by one caller until `fulfilmentLeaseUntil`, `done` ran without throwing.
   */
  fulfilment: "none" | "running" | "done";
  /** Epoch ms; a `running` claim past this is abandoned (its process died) and may be retaken. */
  fulfilmentLeaseUntil?: number;
  /**
   * The token of the `running` claim: only the run that took it may mark the order done or
   * release it, so a run that outlived its lease cannot end a newer run's claim.
   */
  fulfilmentClaim?: string;
  /** Epoch ms of the last query sent to the gateway for this order (the status route's fallback). */
  lastQueriedAt?: number;
  /** Epoch ms of the last close of this expired order that a poll or a sweep tried (claimed by compare-and-set). */
  lastCloseAttemptAt?: number;
  /** The refund ledger, oldest first; absent until the first refund. See src/engine/refunds/. */
  refunds?: readonly RefundEntry[];
}

/**
 * One refund of an order. Its amount is reserved (counted against the paid amount) from the
 * moment it is written as `processing`; a `failed` refund releases it.
 */
export interface RefundEntry {
  /** The merchant's refund number: unique within the order, sent to the gateway. */
  refundNo: string;
  amountFen: number;
  status: "processing" | "succeeded" | "failed";
  reason?: string;
  /** ISO 8601. */
  requestedAt: string;
  /** How many times a caller claimed sending it to the gateway (a resend reuses refundNo). */
  attempts: number;
  /** Epoch ms: until then one caller is talking to the gateway about this refund. */
  sendLeaseUntil?: number;
  gatewayRefundNo?: string;
  /** ISO 8601, when it succeeded or failed. */
  finishedAt?: string;
  /** Why the gateway refused it (its code or a short reason), for a failed refund. */
  failure?: string;
  /** The merchant's onRefunded for a succeeded refund: as the order's `fulfilment`. */
  fulfilment: "none" | "running" | "done";
  fulfilmentLeaseUntil?: number;
  /** The fencing token of the live onRefunded claim: only its holder may finish it. */
  fulfilmentClaim?: string;
}

/** A position in pendingBefore's order: an order's creation time (epoch ms) and number. */
export interface PendingCursor {
  createdAt: number;
  orderNo: string;
}

/** A half-open time window `[from, to)`, epoch ms. */
export interface TimeWindow {
  from: number;
  to: number;
}

/** A position in a listing's order (time, then store key): the last item of the previous page. */
export interface ListCursor {
  at: number;
  orderNo: string;
  /** Refund listings: the refund number within the order. */
  refundNo?: string;
}

/** One refund as listed by time, with the order it belongs to. */
export interface ListedRefund {
  order: OrderRecord;
  refund: RefundEntry;
}

export interface OrderStore {
  /**
   * True when every record get and compareAndSet resolve is a new object, the caller's to
   * change (nested objects may be shared and frozen): what every built-in store does. A
   * merchant's view of the store then renames a record in place instead of copying it again.
   * Leave it unset if the store may hand out an object it keeps.
   */
  readonly recordsAreCopies?: boolean;
  get(orderNo: string): Promise<OrderRecord | null>;
  /** Stores a new record with version 1. Resolves false, changing nothing, if the order exists. */
  insert(record: Omit<OrderRecord, "version">): Promise<boolean>;
  /**
   * Replaces the record with `next` (version becomes expectedVersion + 1) only if the stored
   * version is still `expectedVersion`. Resolves the stored record, or null if it lost the race.
   */
  compareAndSet(orderNo: string, expectedVersion: number, next: Omit<OrderRecord, "version">): Promise<OrderRecord | null>;
  /** Deletes only if the stored version is still `expectedVersion` (a failed create, so it can be retried). */
  compareAndDelete(orderNo: string, expectedVersion: number): Promise<boolean>;
  /**
   * Order numbers of pending orders created before `createdBefore` (epoch ms), at most `limit`,
   * in the order of (createdAt, orderNo): what the expiry sweep closes. With `after`, only those
   * past that position, so a sweep goes on where the last one stopped instead of meeting the same
   * oldest orders (ones whose gateway refuses to close them) again. Optional; without it only the
   * next touch closes an expired order.
   */
  pendingBefore?(createdBefore: number, limit: number, after?: PendingCursor): Promise<string[]>;
  /**
   * Paid orders (status `paid`, or refunded after being paid) whose `paidAt` falls in the window,
   * at most `limit` (1 to 10,000, else RangeError), in the order of (paidAt, orderNo), strictly
   * after the cursor (the last item of the previous page; a page shorter than `limit` is the
   * last): from an index, never a scan (reconciliation lists a day's payments in pages). With
   * `keyPrefix`, only store keys that start with it (one merchant's orders: `m:<merchantId>:`).
   * Order numbers compare by UTF-16 code unit, as `<` does, in every store.
   */
  listPaid?(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<OrderRecord[]>;
  /**
   * Refunds whose time — `finishedAt` once finished, else `requestedAt` — falls in the window, at
   * most `limit`, in the order of (that time, orderNo, refundNo), after the cursor (with its
   * refundNo); from an index. Refunds of every status: processing, succeeded and failed.
   */
  listRefunds?(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<ListedRefund[]>;
  /**
   * Drops finished orders past the store's own retention; resolves how many. Optional: a store
   * whose database expires records itself (Redis TTLs) has nothing to do here.
   */
  prune?(): Promise<number>;
  /** Resolves when the store's backend answers (health()); without it health() reads an order number no order can have. */
  ping?(): Promise<void>;
  /** Releases connections; the router never calls it. */
  close?(): Promise<void>;
  /** Where every notify that reached the route is kept (src/engine/inbox.ts). Optional: without it none is kept. */
  readonly inbox?: NotifyInbox;
}

/** What became of a notify: the last time it was processed (received or replayed). */
export type NotifyVerdict = "accepted" | "rejected" | "unmatched" | "retry";

/** One notify as it reached the route, and what became of it. */
export interface NotifyEntry {
  /** Unique, and sorts by receipt time (`<ms, base 36, 9 digits>-<random>`). */
  id: string;
  gateway: string;
  /** ISO 8601. */
  receivedAt: string;
  /** The raw bytes, base64; empty when the body was refused unread (too large, encoded). */
  body: string;
  /** The headers a verification may read (content type, signature headers), lower-case, bounded. */
  headers: Readonly<Record<string, string>>;
  verdict: NotifyVerdict;
  /** Why it was refused or not applied; our own words, never the gateway's text. */
  reason?: string;
  /** The order it names, once verified (or as the refusal named it). */
  orderNo?: string;
  /** With several merchants: whose notify URL it came to (its replay runs with that merchant's keys). */
  merchantId?: string;
  /** How many times it was replayed. */
  replays: number;
  /** ISO 8601 of the last processing. */
  processedAt: string;
}

export interface NotifyQuery {
  /** Received at or after (ISO 8601 or epoch ms). */
  since?: string | number | undefined;
  /** Received before. */
  until?: string | number | undefined;
  gateway?: string | undefined;
  verdict?: NotifyVerdict | undefined;
  /** Entries after this id (the last id of the previous page). */
  after?: string | undefined;
  /** At most this many, oldest first. Default 100, at most 1,000. */
  limit?: number | undefined;
}

/** The notify inbox: written once per notify, rewritten by a replay; kept for its own retention. */
export interface NotifyInbox {
  put(entry: NotifyEntry): Promise<void>;
  get(id: string): Promise<NotifyEntry | null>;
  list(query: NotifyQuery): Promise<NotifyEntry[]>;
  /** Drops entries received before `receivedBefore` (epoch ms); resolves how many. */
  prune(receivedBefore: number): Promise<number>;
}
