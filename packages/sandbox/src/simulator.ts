/** What every gateway simulator provides to the sandbox app. */
import type { Request, Router } from "express";
import type { BillBook } from "./bill-book.js";
import type { SandboxGatewayId } from "./credentials.js";
import type { OrderBook, SandboxOrder } from "./order-book.js";
import type { RefundDesk, SandboxRefund } from "./refund-desk.js";

/** A notify exactly as the gateway would POST it. */
export interface NotifyMessage {
  contentType: string;
  body: string;
}

export interface NotifyAnswer {
  status: number;
  body: string;
}

export interface GatewaySimulator {
  readonly id: SandboxGatewayId;
  /** The gateway's API, mounted at `/{id}`; request bodies arrive raw (a Buffer). */
  readonly router: Router;
  readonly orders: OrderBook;
  /** The signed notify for an order that has just been completed. */
  notify(order: SandboxOrder): NotifyMessage;
  /** The gateway's own notify retry schedule, when its document gives one. */
  readonly retryDelaysMs?: readonly number[];
  /** Whether the merchant's answer is the text the gateway takes as "received". */
  isAcknowledged(answer: NotifyAnswer): boolean;
  /** The signed refund notify for a refund just finished, where the gateway sends one (vbao). */
  refundNotify?(order: SandboxOrder, refund: SandboxRefund): NotifyMessage;
}

/** Shared by every simulator: where the sandbox is reachable for the request being served. */
export interface SimulatorContext {
  /** Absolute URL of the sandbox mount (protocol + host + mount path), no trailing slash. */
  sandboxUrl(req: Request): string;
  /** The refund and close desk (refund-desk.ts) the simulators with those APIs share. */
  refunds: RefundDesk;
  /** The day's bills derived from the orders and refunds (bill-book.ts), for the simulators with a bill API. */
  bills: BillBook;
}

/** The redirect page of an order (UnionPay pre_pay_url, xiangma code_url, vbao launchUrl). */
export function pageUrl(sandboxUrl: string, gateway: SandboxGatewayId, gatewayOrderNo: string): string {
  return `${sandboxUrl}/page/${gateway}/${encodeURIComponent(gatewayOrderNo)}`;
}
