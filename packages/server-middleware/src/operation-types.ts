/**
 * The public types of the server-side operations (refund, close, sweep, replay): what they take
 * and what they answer. Re-exported by types.ts, with every other public type.
 */
import type { OrderStatus } from "@paybridge/shared";
import type { NotifyEntry, NotifyQuery, NotifyVerdict, OrderRecord, RefundEntry } from "./store/contract.js";
import type { BillRow } from "./bills/contract.js";

/** A refund to make, server-side only (`router.refund`). */
export interface RefundRequest {
  /** With `merchants`: whose order it is (required then). */
  merchantId?: string | undefined;
  orderNo: string;
  /** The merchant's refund number: 1-64 letters, digits or _-.|*@. Reuse it to retry. */
  refundNo: string;
  /** Integer fen; absent = all that is left to refund. */
  amountFen?: number | undefined;
  reason?: string | undefined;
}

/** What router.refund resolves with: the refund's state as the ledger holds it. */
export interface RefundResult {
  orderNo: string;
  refundNo: string;
  amountFen: number;
  status: RefundEntry["status"];
  gatewayRefundNo?: string;
  /** The gateway's reason, for a failed refund. */
  failure?: string;
  /** The order's refunded fen (succeeded refunds). */
  refundedFen: number;
  /** For a succeeded refund: onRefunded has completed. False: it threw or runs elsewhere; call again to finish. */
  fulfilled: boolean;
}

export interface CloseResult {
  orderNo: string;
  /** The order's status afterwards: `closed`, or what it already was (paid, failed…): close changes only a pending order. */
  status: OrderStatus;
  /** Where it was closed: `gateway` (its close API, then locally) or `local` (the gateway has none, or no gateway order was made yet). */
  closedAt?: "gateway" | "local";
}

export interface SweepResult {
  /** Expired orders closed. */
  closed: number;
  /** Expired orders whose gateway refused or failed to close them (they stay pending; a later sweep tries again after queryIntervalMs). */
  failed: number;
  /** Expired orders this sweep left for a later one: its time limit ran out, or their close was tried within queryIntervalMs. */
  deferred: number;
  /** Finished orders dropped past their retention (memory and SQL stores); Redis: expired orders whose listing entries went. */
  pruned: number;
  /** Notifies dropped from the inbox past `notifyRetentionMs`. */
  prunedNotifies: number;
}

/** What `replay(id)` did with a kept notify. */
export interface ReplayResult {
  id: string;
  gateway: string;
  verdict: NotifyVerdict;
  reason?: string;
  orderNo?: string;
  /** The HTTP status the gateway would have been answered. */
  replyStatus: number;
}

/** A day to reconcile: a gateway's bill against the store (`router.reconcile`). */
export interface ReconcileRequest {
  /** The day, `yyyy-MM-dd`, in Asia/Shanghai. */
  date: string;
  gateway: string;
  /** With `merchants`: whose day (required then). */
  merchantId?: string | undefined;
  /** The bill's rows (e.g. `readBillCsv(...)` of a downloaded file). Absent: fetched with the gateway's bill API. */
  bill?: AsyncIterable<BillRow> | Iterable<BillRow> | undefined;
  /** Called every few thousand rows (a progress bar). */
  onProgress?: ((progress: { billRows: number; ourRows: number }) => void) | undefined;
  /** How many mismatches the result lists (all are emitted as events and kept in the report). Default 1,000. */
  maxListed?: number | undefined;
  signal?: AbortSignal | undefined;
  /**
   * Every mismatch, once the whole bill was read and matched (never for a refused bill), before
   * the result resolves; awaited, so a slow writer (`reconcileReport`'s CSV) holds the replay back.
   */
  onMismatch?: ((mismatch: Mismatch) => void | Promise<void>) | undefined;
  /** How far (ms) our paid time may lie from the bill's day and still be matched without a lookup. Default 15 minutes. */
  toleranceMs?: number | undefined;
  /** Tries of the gateway's bill API before the reconciliation fails (BillFetchError). Default 3. */
  fetchAttempts?: number | undefined;
  /** The wait before the first retry, in ms, doubled for each next one. Default 1 000. */
  retryDelayMs?: number | undefined;
  /** Rows held in memory at most, per side, before rows spill to temporary files. Default 200,000. */
  rowBudget?: number | undefined;
}

/**
 * What can differ between a bill and the store: paid here but not in the bill; in the bill but
 * unknown here (an inbox payment.unmatched names it when one came); in the bill as paid but not
 * paid here; the paid amount; a refund missing on either side or differing in amount; a status
 * the two sides disagree on (a refund still processing here that the bill shows succeeded).
 */
export type MismatchKind =
  | "missing_in_bill"
  | "unknown_order"
  | "unpaid_here"
  | "amount_differs"
  | "refund_missing_in_bill"
  | "refund_unknown"
  | "refund_differs"
  | "status_differs";

export interface Mismatch {
  kind: MismatchKind;
  orderNo: string;
  refundNo?: string;
  gateway: string;
  merchantId?: string;
  /** What the bill says (absent when the bill has no such row). */
  bill?: { amountFen: number; at: string; line: number; status: BillRow["status"] };
  /** What the store says (absent when the store has no such order or refund). */
  ours?: { amountFen: number; status: OrderRecord["status"] | RefundEntry["status"]; at?: string };
  /** For unknown_order: the inbox's unmatched notify for this order, if one came. */
  notifyId?: string;
}

/** Totals of one side: counts and integer fen. */
export interface ReconcileTotals {
  payments: number;
  paymentFen: number;
  refunds: number;
  refundFen: number;
}

export interface ReconcileResult {
  date: string;
  gateway: string;
  merchantId?: string;
  bill: ReconcileTotals & { feeFen: number };
  ours: ReconcileTotals;
  matched: { payments: number; refunds: number };
  /** How many of each kind (every kind present, 0 when none). */
  counts: Record<MismatchKind, number>;
  /** The first `maxListed` mismatches, bill order. */
  mismatches: Mismatch[];
  /** More mismatches than `maxListed` were found. */
  truncated: boolean;
}

/** The server-side operations every host exposes beside its routes (never routes themselves). */
export interface PaybridgeOperations {
  /** Refunds a paid order, wholly or partly (server-side only: no route serves it). Idempotent on refundNo. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Closes a pending order, at its gateway where it has a close API. With `merchants`, name the merchant. */
  close(orderNo: string, merchantId?: string): Promise<CloseResult>;
  /** The order as stored, read-only (no gateway call); null when there is none. With `merchants`, name the merchant. */
  order(orderNo: string, merchantId?: string): Promise<OrderView | null>;
  /** A pending order: asks its gateway (at most once per `queryIntervalMs`, as the status route does) and applies the answer. */
  queryOrder(orderNo: string, merchantId?: string): Promise<OrderQueryResult>;
  /** Closes expired pending orders and prunes finished ones past retention. */
  sweepExpired(): Promise<SweepResult>;
  /** Stops the sweep timer (when `sweepIntervalMs` started one). */
  stopSweeping(): void;
  /** Runs a notify kept in the store's inbox again through verification and application (idempotent). */
  replay(notifyId: string): Promise<ReplayResult>;
  /** The notifies kept in the store's inbox, oldest first, in pages (`after` = the last id of the previous page). */
  listNotifies(query?: NotifyQuery): Promise<NotifyEntry[]>;
  /**
   * Matches a gateway's bill for a day against the store (docs/reconciliation.md). With
   * `merchants`, name the merchant. Throws BillFormatError for a malformed bill (nothing reported),
   * BillFetchError when the gateway's bill API kept failing.
   */
  reconcile(request: ReconcileRequest): Promise<ReconcileResult>;
  /** Whether this instance can serve: its store answers (a readiness probe; see README "Operations"). */
  health(options?: HealthOptions): Promise<HealthReport>;
}

export interface HealthOptions {
  /** How long the store may take to answer, in ms, before it counts as down. Default 2 000. */
  timeoutMs?: number | undefined;
}

/** What health() answers. Never a secret: a store's error is its class name and redacted message. */
export interface HealthReport {
  /** The store answered within the timeout. */
  ok: boolean;
  store: { ok: boolean; latencyMs: number; error?: string };
  /** The configured gateways' ids. */
  gateways: string[];
}

/** With `merchants`: dropping a merchant's cached setup (a no-op without merchants). */
export interface MerchantOperations {
  /** The next request for this merchant asks `merchants` again: after a key rotation step, or a shop leaving. */
  invalidateMerchant(merchantId: string): void;
}

/**
 * An order as an operator sees it (`order()`): the stored record without what is the engine's
 * own (the payer's pay parameters, claim tokens, leases). What the merchant gave (description,
 * attach) is as stored.
 */
export interface OrderView {
  orderNo: string;
  merchantId?: string;
  status: OrderStatus;
  amountFen: number;
  /** Succeeded refunds, integer fen. */
  refundedFen: number;
  gateway: string;
  channel: OrderRecord["channel"];
  scene: OrderRecord["scene"];
  gatewayOrderNo?: string;
  description?: string;
  attach?: string;
  openId?: string;
  createdAt: string;
  paidAt?: string;
  /** Whether onPaid has completed (`done`), is running, or has not (yet). */
  fulfilment: OrderRecord["fulfilment"];
  /** ISO 8601 of the last query sent to the gateway. */
  lastQueriedAt?: string;
  /** The store's compare-and-set version. */
  version: number;
  refunds: Array<Pick<RefundEntry, "refundNo" | "amountFen" | "status" | "reason" | "requestedAt" | "attempts" | "gatewayRefundNo" | "finishedAt" | "failure" | "fulfilment">>;
}

/** What `queryOrder()` did: the order afterwards, and whether its gateway was asked. */
export interface OrderQueryResult {
  order: OrderView;
  /**
   * False when nothing was sent: the order is not pending, its gateway has no query API or no
   * gateway order yet, or it was queried less than `queryIntervalMs` ago.
   */
  queried: boolean;
}
