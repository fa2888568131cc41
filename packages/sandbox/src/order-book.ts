/** The sandbox's own order book: one per gateway, keyed by both order numbers. Amounts in fen. */
import type { Channel } from "@paybridge/shared";

export type SandboxOrderStatus = "pending" | "paid" | "failed";

export interface SandboxOrder {
  /** The merchant's order number, unique per gateway like at the real ones. */
  orderNo: string;
  gatewayOrderNo: string;
  amountFen: number;
  channel: Channel;
  /** Where the notify goes; absent when the request gave none (then only the query tells). */
  notifyUrl?: string;
  attach?: string;
  /** The payer's id as the request gave it. */
  openId?: string;
  status: SandboxOrderStatus;
  createdAt: Date;
  completedAt?: Date;
  /** Simulator-specific values (vbao's payInfo, xiangma's pay_time, ...). */
  extra: Record<string, string>;
}

export class OrderBook {
  readonly #byOrderNo = new Map<string, SandboxOrder>();
  readonly #byGatewayOrderNo = new Map<string, SandboxOrder>();

  /**
   * Stores a new order and returns it. A merchant order number used before is refused (null),
   * unless it is the same unpaid order submitted again — same amount, channel and payer — which
   * answers the stored order, as WeChat Pay's unified order does: a merchant whose first attempt
   * timed out or could not be verified can retry without a new order number.
   */
  admit(order: SandboxOrder): SandboxOrder | null {
    const existing = this.#byOrderNo.get(order.orderNo);
    if (existing) return isResubmission(existing, order) ? existing : null;
    this.#byOrderNo.set(order.orderNo, order);
    this.#byGatewayOrderNo.set(order.gatewayOrderNo, order);
    return order;
  }

  byOrderNo(orderNo: string): SandboxOrder | undefined {
    return this.#byOrderNo.get(orderNo);
  }

  byGatewayOrderNo(gatewayOrderNo: string): SandboxOrder | undefined {
    return this.#byGatewayOrderNo.get(gatewayOrderNo);
  }

  /** Every order, in the order they were admitted (the bill book derives a day's bill from them). */
  all(): SandboxOrder[] {
    return [...this.#byOrderNo.values()];
  }

  find(predicate: (order: SandboxOrder) => boolean): SandboxOrder | undefined {
    for (const order of this.#byOrderNo.values()) if (predicate(order)) return order;
    return undefined;
  }
}

function isResubmission(existing: SandboxOrder, submitted: SandboxOrder): boolean {
  return (
    existing.status === "pending" &&
    existing.amountFen === submitted.amountFen &&
    existing.channel === submitted.channel &&
    existing.openId === submitted.openId
  );
}
