/**
 * The sandbox's bill book (issue 20): a day's bill derived from the sandbox's own orders and
 * refunds, as every gateway's bill would list them, with switches that inject each kind of
 * mismatch a reconciliation finds, so the demo can show one. Rows are gateway-neutral here;
 * bill-files.ts writes them in each gateway's columns, the fubei and vbao simulators serve
 * them through their bill APIs.
 *
 * A payment belongs to the Asia/Shanghai day it was paid; fubei's reconciliation lists by the
 * day an order was created (EVIDENCE.md), with unpaid orders as `pay_status` 0: `byCreation`.
 * A refund belongs to the day it was made; only succeeded refunds are listed.
 */
import type { Channel } from "@paybridge/shared";
import type { SandboxGatewayId } from "./credentials.js";
import { compactTime } from "./ids.js";
import type { OrderBook, SandboxOrder } from "./order-book.js";
import type { RefundDesk } from "./refund-desk.js";

/**
 * One switch per mismatch kind the matcher reports (MismatchKind): drop a paid row
 * (missing_in_bill), add an order nobody made (unknown_order), change a paid row's amount
 * (amount_differs), mark a paid row failed (status_differs), drop a refund row
 * (refund_missing_in_bill), change a refund's amount (refund_differs), add a refund nobody made
 * (refund_unknown). Each touches one row: the first (by time) that no other switch touched.
 */
export const BILL_MISMATCHES = ["drop-payment", "unknown-order", "change-amount", "mark-failed", "drop-refund", "change-refund", "unknown-refund"] as const;
export type BillMismatch = (typeof BILL_MISMATCHES)[number];

export function isBillMismatch(value: unknown): value is BillMismatch {
  return typeof value === "string" && (BILL_MISMATCHES as readonly string[]).includes(value);
}

export interface SandboxBillRow {
  kind: "payment" | "refund";
  orderNo: string;
  gatewayOrderNo: string;
  refundNo?: string;
  gatewayRefundNo?: string;
  amountFen: number;
  /** When it was paid or refunded; an unpaid order's creation time. */
  at: Date;
  createdAt: Date;
  status: "success" | "failed";
  /** A payment's channel (absent on refunds and invented rows). */
  channel?: Channel;
}

/** The order number of the row the `unknown-order` switch adds (and `unknown-refund` where no order is paid). */
export const UNKNOWN_ORDER_PREFIX = "SBX-UNKNOWN-";
const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `yyyy-MM-dd` → `yyyyMMdd`, or null when it is not a real day. */
export function compactDay(date: unknown): string | null {
  const match = typeof date === "string" ? DAY.exec(date) : null;
  if (!match) return null;
  const [, y, m, d] = match;
  const utc = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return utc.getUTCDate() === Number(d) && utc.getUTCMonth() === Number(m) - 1 ? `${y}${m}${d}` : null;
}

const onDay = (at: Date | undefined, day: string): boolean => at !== undefined && compactTime(at).startsWith(day);
/** Noon of the day in Asia/Shanghai (UTC+8): when the switches' invented rows happened. */
const noonOf = (day: string): Date => new Date(Date.UTC(Number(day.slice(0, 4)), Number(day.slice(4, 6)) - 1, Number(day.slice(6, 8)), 4));
const otherAmount = (fen: number): number => (fen > 1 ? fen - 1 : fen + 1);

export class BillBook {
  readonly #switches = new Map<SandboxGatewayId, readonly BillMismatch[]>();
  readonly #orders: (gateway: SandboxGatewayId) => OrderBook;
  readonly #refunds: RefundDesk;

  constructor(orders: (gateway: SandboxGatewayId) => OrderBook, refunds: RefundDesk, switches: Partial<Record<SandboxGatewayId, readonly BillMismatch[]>> = {}) {
    this.#orders = orders;
    this.#refunds = refunds;
    for (const [gateway, kinds] of Object.entries(switches) as [SandboxGatewayId, readonly BillMismatch[]][]) this.setMismatches(gateway, kinds);
  }

  /** Replaces the gateway's switches (an empty list turns them off). */
  setMismatches(gateway: SandboxGatewayId, kinds: readonly BillMismatch[]): void {
    if (kinds.length === 0) this.#switches.delete(gateway);
    else this.#switches.set(gateway, Object.freeze([...new Set(kinds)]));
  }

  mismatches(gateway: SandboxGatewayId): readonly BillMismatch[] {
    return this.#switches.get(gateway) ?? [];
  }

  /** The day's rows (`day` yyyyMMdd), by time, with the gateway's switches applied. */
  rows(gateway: SandboxGatewayId, day: string, options: { byCreation?: boolean } = {}): SandboxBillRow[] {
    const rows: SandboxBillRow[] = [];
    for (const order of this.#orders(gateway).all()) {
      const paid = order.status === "paid";
      if (options.byCreation ? onDay(order.createdAt, day) : paid && onDay(order.completedAt, day)) rows.push(paymentRow(order));
      for (const refund of this.#refunds.refundsOf(order)) {
        if (refund.status !== "succeeded" || !onDay(refund.createdAt, day)) continue;
        const { refundNo, gatewayRefundNo, amountFen, createdAt } = refund;
        rows.push({ kind: "refund", orderNo: order.orderNo, gatewayOrderNo: order.gatewayOrderNo, refundNo, gatewayRefundNo, amountFen, at: createdAt, createdAt, status: "success" });
      }
    }
    rows.sort((a, b) => a.at.getTime() - b.at.getTime());
    return this.#inject(gateway, day, rows);
  }

  #inject(gateway: SandboxGatewayId, day: string, rows: SandboxBillRow[]): SandboxBillRow[] {
    const touched = new Set<SandboxBillRow>();
    const pick = (kind: SandboxBillRow["kind"]): SandboxBillRow | undefined => {
      const row = rows.find((candidate) => candidate.kind === kind && candidate.status === "success" && !touched.has(candidate));
      if (row) touched.add(row);
      return row;
    };
    let out = rows;
    for (const kind of this.mismatches(gateway)) {
      switch (kind) {
        case "drop-payment":
        case "drop-refund": {
          const row = pick(kind === "drop-payment" ? "payment" : "refund");
          out = out.filter((candidate) => candidate !== row);
          break;
        }
        case "change-amount":
        case "change-refund": {
          const row = pick(kind === "change-amount" ? "payment" : "refund");
          if (row) out = out.map((candidate) => (candidate === row ? { ...row, amountFen: otherAmount(row.amountFen) } : candidate));
          break;
        }
        case "mark-failed": {
          const row = pick("payment");
          if (row) out = out.map((candidate) => (candidate === row ? { ...row, status: "failed" } : candidate));
          break;
        }
        case "unknown-order": {
          const at = noonOf(day);
          out = [...out, { kind: "payment", orderNo: `${UNKNOWN_ORDER_PREFIX}${day}`, gatewayOrderNo: `SBXU${day}0001`, amountFen: 100, at, createdAt: at, status: "success" }];
          break;
        }
        case "unknown-refund": {
          const paid = out.find((row) => row.kind === "payment" && row.status === "success");
          const at = noonOf(day);
          const order = paid ?? { orderNo: `${UNKNOWN_ORDER_PREFIX}${day}`, gatewayOrderNo: `SBXU${day}0001` };
          out = [...out, { kind: "refund", orderNo: order.orderNo, gatewayOrderNo: order.gatewayOrderNo, refundNo: `${UNKNOWN_ORDER_PREFIX}R${day}`, gatewayRefundNo: `SBXUR${day}0001`, amountFen: 1, at, createdAt: at, status: "success" }];
          break;
        }
      }
    }
    return out;
  }
}

function paymentRow(order: SandboxOrder): SandboxBillRow {
  const paid = order.status === "paid" && order.completedAt !== undefined;
  const at = paid ? (order.completedAt as Date) : order.createdAt;
  return { kind: "payment", orderNo: order.orderNo, gatewayOrderNo: order.gatewayOrderNo, amountFen: order.amountFen, at, createdAt: order.createdAt, status: paid ? "success" : "failed", channel: order.channel };
}
