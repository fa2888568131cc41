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

  /** Resolves false, storing nothing, when the merchant order number was used before. */
  add(order: SandboxOrder): boolean {
    if (this.#byOrderNo.has(order.orderNo)) return false;
    this.#byOrderNo.set(order.orderNo, order);
    this.#byGatewayOrderNo.set(order.gatewayOrderNo, order);
    return true;
  }

  byOrderNo(orderNo: string): SandboxOrder | undefined {
    return this.#byOrderNo.get(orderNo);
  }

  byGatewayOrderNo(gatewayOrderNo: string): SandboxOrder | undefined {
    return this.#byGatewayOrderNo.get(gatewayOrderNo);
  }

  find(predicate: (order: SandboxOrder) => boolean): SandboxOrder | undefined {
    for (const order of this.#byOrderNo.values()) if (predicate(order)) return order;
    return undefined;
  }
}
