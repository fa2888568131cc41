/**
 * The matching of one partition (docs/reconciliation.md, "Matching"): our rows of its orders
 * held in a Map, the bill's rows of the same orders streamed past it. A bill row whose order is
 * not among ours is looked up in the store before it is called unknown (paid here on another
 * day); our rows left unmatched and inside the day are missing in the bill.
 */
import { isPaidStatus } from "@paybridge/shared";
import type { BillRow } from "../../bills/contract.js";
import { BillFormatError } from "../../errors.js";
import type { OrderRecord, RefundEntry, TimeWindow } from "../../store/contract.js";
import type { Mismatch, MismatchKind } from "../../types.js";
import { billRowKey, ourPayment, ourRefund, type OurPayment, type OurRefund, type OurRow } from "./rows.js";
import type { Tally } from "./tally.js";

export interface MatchScope {
  readonly gateway: string;
  readonly merchantId: string | undefined;
  /** The bill's day: our rows inside it must be in the bill. */
  readonly day: TimeWindow;
  /** The store's record of an order (a bill row not among ours). */
  lookup(orderNo: string): Promise<OrderRecord | null>;
  /** The inbox's unmatched notify for an order, if one came. */
  unmatchedNotify(orderNo: string): string | undefined;
  /** Keeps a mismatch (spilled; reported once the whole bill matched). */
  report(mismatch: Mismatch): Promise<void>;
  readonly tally: Tally;
}

interface OrderRows {
  payment?: OurPayment;
  paymentMatched?: boolean;
  refunds: OurRefund[];
  matchedRefunds?: Set<OurRefund>;
}

/** Our side of a mismatch: an OurRow, or an order not paid here (no time). */
interface OurSide {
  a: number;
  s: OrderRecord["status"] | RefundEntry["status"];
  t?: number;
  r?: string;
}

const iso = (ms: number): string => new Date(ms).toISOString();
const inside = (day: TimeWindow, at: number): boolean => at >= day.from && at < day.to;

export async function matchPartition(scope: MatchScope, ours: AsyncIterable<OurRow> | Iterable<OurRow>, bill: AsyncIterable<BillRow> | Iterable<BillRow>): Promise<void> {
  const { tally, day } = scope;
  const orders = new Map<string, OrderRows>();
  for await (const row of ours) {
    let entry = orders.get(row.o);
    if (!entry) orders.set(row.o, (entry = { refunds: [] }));
    if (row.k === "p") {
      entry.payment = row;
      if (inside(day, row.t)) (tally.ours.payments++, (tally.ours.paymentFen += row.a));
    } else {
      entry.refunds.push(row);
      if (inside(day, row.t) && row.s === "succeeded") (tally.ours.refunds++, (tally.ours.refundFen += row.a));
    }
  }
  const seen = new Map<string, number>();
  for await (const row of bill) {
    const key = billRowKey(row);
    if (key !== undefined) {
      const first = seen.get(key);
      if (first !== undefined) throw new BillFormatError(row.line, `the same ${row.kind} as line ${first} (listed twice)`);
      seen.set(key, row.line);
    }
    const success = row.status === "success";
    tally.bill.feeFen += row.feeFen ?? 0;
    if (row.kind === "payment") {
      if (success) (tally.bill.payments++, (tally.bill.paymentFen += row.amountFen));
      await matchPayment(scope, orders.get(row.orderNo), row);
    } else {
      if (success) (tally.bill.refunds++, (tally.bill.refundFen += row.amountFen));
      await matchRefund(scope, orders.get(row.orderNo), row);
    }
  }
  for (const [orderNo, entry] of orders) {
    const { payment } = entry;
    if (payment && !entry.paymentMatched && inside(day, payment.t)) await scope.report(mismatch(scope, "missing_in_bill", orderNo, undefined, payment));
    for (const refund of entry.refunds) {
      if (refund.s !== "succeeded" || entry.matchedRefunds?.has(refund) || !inside(day, refund.t)) continue;
      await scope.report(mismatch(scope, "refund_missing_in_bill", orderNo, undefined, refund));
    }
  }
}

async function matchPayment(scope: MatchScope, entry: OrderRows | undefined, row: BillRow): Promise<void> {
  let payment = entry?.payment;
  if (entry && payment) entry.paymentMatched = true;
  else {
    const record = await scope.lookup(row.orderNo);
    if (!record) {
      if (row.status === "success") await scope.report(mismatch(scope, "unknown_order", row.orderNo, row));
      return;
    }
    if (!isPaidStatus(record.status)) {
      // A failed row for an order not paid here: both sides agree nothing was paid.
      if (row.status === "success") await scope.report(mismatch(scope, "unpaid_here", row.orderNo, row, { a: record.amountFen, s: record.status }));
      return;
    }
    payment = ourPayment(record);
  }
  if (row.status !== "success") await scope.report(mismatch(scope, "status_differs", row.orderNo, row, payment));
  else if (row.amountFen !== payment.a) await scope.report(mismatch(scope, "amount_differs", row.orderNo, row, payment));
  else scope.tally.matched.payments++;
}

/** Our refund a bill refund row is: by refund number, else the gateway's, else the first unmatched one of the same amount. */
function findRefund(refunds: readonly OurRefund[], row: BillRow, taken: (refund: OurRefund) => boolean): OurRefund | undefined {
  const free = refunds.filter((refund) => !taken(refund));
  return (
    (row.refundNo !== undefined ? free.find((refund) => refund.r === row.refundNo) : undefined) ??
    (row.gatewayRefundNo !== undefined ? free.find((refund) => refund.g === row.gatewayRefundNo) : undefined) ??
    free.find((refund) => refund.a === row.amountFen)
  );
}

async function matchRefund(scope: MatchScope, entry: OrderRows | undefined, row: BillRow): Promise<void> {
  let refund = entry && findRefund(entry.refunds, row, (candidate) => entry.matchedRefunds?.has(candidate) === true);
  if (entry && refund) (entry.matchedRefunds ??= new Set()).add(refund);
  else {
    // Not among the day's refunds: one of this order's refunds listed at another time?
    const record = await scope.lookup(row.orderNo);
    const listed = new Set(entry?.refunds.map((candidate) => candidate.r));
    const ledger = (record?.refunds ?? []).filter((candidate) => !listed.has(candidate.refundNo)).map((candidate) => ourRefund(row.orderNo, candidate));
    refund = findRefund(ledger, row, () => false);
    if (!refund) {
      if (row.status === "success") await scope.report(mismatch(scope, "refund_unknown", row.orderNo, row));
      return;
    }
  }
  const billSucceeded = row.status === "success";
  if (billSucceeded !== (refund.s === "succeeded")) {
    // Both sides failed (or unknown and not succeeded here): they agree no money moved.
    if (billSucceeded || refund.s === "succeeded") await scope.report(mismatch(scope, "status_differs", row.orderNo, row, refund));
  } else if (row.amountFen !== refund.a) await scope.report(mismatch(scope, "refund_differs", row.orderNo, row, refund));
  else if (billSucceeded) scope.tally.matched.refunds++;
}

function mismatch(scope: MatchScope, kind: MismatchKind, orderNo: string, row?: BillRow, ours?: OurSide): Mismatch {
  const refundNo = row?.refundNo ?? ours?.r;
  const notifyId = kind === "unknown_order" ? scope.unmatchedNotify(orderNo) : undefined;
  return {
    kind,
    orderNo,
    ...(refundNo === undefined ? {} : { refundNo }),
    gateway: scope.gateway,
    ...(scope.merchantId === undefined ? {} : { merchantId: scope.merchantId }),
    ...(row ? { bill: { amountFen: row.amountFen, at: iso(row.at), line: row.line, status: row.status } } : {}),
    ...(ours ? { ours: { amountFen: ours.a, status: ours.s, ...(ours.t === undefined || Number.isNaN(ours.t) ? {} : { at: iso(ours.t) }) } } : {}),
    ...(notifyId === undefined ? {} : { notifyId }),
  };
}
