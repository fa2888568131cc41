/**
 * A Node EventEmitter whose listener methods know the event names and their arguments, so a
 * misspelt event reads "Argument of type '"order.piad"' is not assignable to parameter of type
 * 'keyof PaybridgeEventMap'" instead of an error about `never`. It extends the plain
 * (non-generic) EventEmitter, so it type-checks with any @types/node.
 */
import type { EventEmitter } from "node:events";
import type { Channel } from "@paybridge/shared";
import type { PaybridgeError } from "./errors.js";
import type { Payment } from "./options.js";
import type { RefundResult } from "./refunds.js";

/** Event name → the arguments its listeners receive. */
export type EventArgs<Events> = { [K in keyof Events]: unknown[] };

/** A listener of event `K`. */
export type EventListener<Events extends EventArgs<Events>, K extends keyof Events> = (...args: Events[K]) => void;

export interface TypedEventEmitter<Events extends EventArgs<Events>> extends EventEmitter {
  on<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  once<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  off<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  addListener<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  prependListener<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  prependOnceListener<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  removeListener<K extends keyof Events & string>(event: K, listener: EventListener<Events, K>): this;
  removeAllListeners(event?: keyof Events & string): this;
  emit<K extends keyof Events & string>(event: K, ...args: Events[K]): boolean;
  listenerCount(event: keyof Events & string): number;
}

/** The events on `router.events`. Listeners that throw are logged and do not disturb an order. */
export interface PaybridgeEventMap {
  "order.created": [order: { orderNo: string; gateway: string; gatewayOrderNo: string; channel: Channel; amountFen: number }];
  "order.paid": [payment: Payment];
  "order.failed": [order: { orderNo: string; gateway: string; status: "failed" | "closed" }];
  "notify.rejected": [notice: { gateway: string; reason: string; orderNo?: string }];
  "gateway.error": [fault: { gateway: string; orderNo: string; operation: "create" | "query" | "refund" | "close"; error: PaybridgeError }];
  /** A refund the gateway confirmed (src/refunds.ts); onRefunded runs for it. */
  "refund.succeeded": [refund: RefundResult & { gateway: string }];
  /** A refund the gateway refused; its amount is free again. */
  "refund.failed": [refund: RefundResult & { gateway: string }];
}
/** `router.events`: a Node EventEmitter typed by PaybridgeEventMap. */
export type PaybridgeEvents = TypedEventEmitter<PaybridgeEventMap>;
