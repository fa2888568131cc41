/**
 * What a reconciliation adds up while it matches: both sides' totals in integer fen, the
 * matched counts, a count per mismatch kind, and the first `maxListed` mismatches in bill order
 * (by line; those without a bill row after, by order number), the same however the rows were
 * partitioned.
 */
import type { Mismatch, MismatchKind, ReconcileResult, ReconcileTotals } from "../../types.js";

export const MISMATCH_KINDS: readonly MismatchKind[] = [
  "missing_in_bill",
  "unknown_order",
  "unpaid_here",
  "amount_differs",
  "refund_missing_in_bill",
  "refund_unknown",
  "refund_differs",
  "status_differs",
];

const totals = (): ReconcileTotals => ({ payments: 0, paymentFen: 0, refunds: 0, refundFen: 0 });

function compareListed(a: Mismatch, b: Mismatch): number {
  const lineA = a.bill?.line ?? Number.MAX_SAFE_INTEGER;
  const lineB = b.bill?.line ?? Number.MAX_SAFE_INTEGER;
  if (lineA !== lineB) return lineA - lineB;
  if (a.orderNo !== b.orderNo) return a.orderNo < b.orderNo ? -1 : 1;
  const [refundA, refundB] = [a.refundNo ?? "", b.refundNo ?? ""];
  if (refundA !== refundB) return refundA < refundB ? -1 : 1;
  return a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0;
}

export class Tally {
  readonly bill = { ...totals(), feeFen: 0 };
  readonly ours = totals();
  readonly matched = { payments: 0, refunds: 0 };
  readonly counts = Object.fromEntries(MISMATCH_KINDS.map((kind) => [kind, 0])) as Record<MismatchKind, number>;
  readonly #listed: Mismatch[] = [];
  readonly #maxListed: number;
  #total = 0;

  constructor(maxListed: number) {
    this.#maxListed = maxListed;
  }

  mismatch(mismatch: Mismatch): void {
    this.counts[mismatch.kind]++;
    this.#total++;
    const listed = this.#listed;
    if (this.#maxListed === 0) return;
    if (listed.length === this.#maxListed && compareListed(mismatch, listed[listed.length - 1]!) >= 0) return;
    // Binary search for its place; the list stays at most maxListed long.
    let low = 0;
    let high = listed.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (compareListed(listed[middle]!, mismatch) <= 0) low = middle + 1;
      else high = middle;
    }
    listed.splice(low, 0, mismatch);
    if (listed.length > this.#maxListed) listed.pop();
  }

  result(date: string, gateway: string, merchantId: string | undefined): ReconcileResult {
    return {
      date,
      gateway,
      ...(merchantId === undefined ? {} : { merchantId }),
      bill: { ...this.bill },
      ours: { ...this.ours },
      matched: { ...this.matched },
      counts: { ...this.counts },
      mismatches: [...this.#listed],
      truncated: this.#total > this.#listed.length,
    };
  }
}
