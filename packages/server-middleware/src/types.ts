/**
 * The public types of @paybridge/server-middleware in one place: the options, what the
 * merchant's hooks receive, what the server-side operations answer, and the events. No
 * implementation lives here, and nothing here names a host framework: `Req` is the host's
 * request type (Express's under `paybridge()`, the fetch API's under `paybridgeHandler()`).
 */
import type { EventEmitter } from "node:events";
import type { Channel, OrderStatus, Scene } from "@paybridge/shared";
import type { PaybridgeError } from "./errors.js";
import type { GatewayAdapter } from "./gateways/types.js";
import type { OrderStore, RefundEntry } from "./store/contract.js";

/** What the merchant's `resolveOrder` is asked about: the order number the browser posted. */
export interface ResolveOrderInput<Req = unknown> {
  orderNo: string;
  /** The browser's request, for the merchant's session or auth: Express's `req`, or the fetch API's `Request` under the web handler. */
  req: Req;
}

/** The merchant's own view of an order. The amount comes from here, never from the browser. */
export interface ResolvedOrder {
  /** Integer fen, at least 1. */
  amountFen: number;
  /** Shown to the payer where the gateway supports it. */
  description?: string | undefined;
  /** Passed to the gateway and back to onPaid. */
  attach?: string | undefined;
  /** The payer's WeChat openid / Alipay user id; preferred to one the browser posted. */
  openId?: string | undefined;
}

/** A confirmed payment, as the merchant's `onPaid` receives it. */
export interface Payment {
  orderNo: string;
  amountFen: number;
  /** The id of the gateway that took the money. */
  gateway: string;
  gatewayOrderNo?: string;
  channel: Channel;
  /** ISO 8601. */
  paidAt: string;
  attach?: string;
}

/** What a routing function chooses a gateway for. */
export interface RoutingOrder {
  orderNo: string;
  amountFen: number;
  channel: Channel;
  /** The scene the browser asked for, if any. */
  scene?: Scene;
}

/** Gateway id by channel, or a function choosing one per order. */
export type Routing = Readonly<Partial<Record<Channel, string>>> | ((order: RoutingOrder) => string | Promise<string>);

export type LogFields = Readonly<Record<string, unknown>>;

/**
 * Where paybridge writes: pino, winston and console work as they are (pino is called
 * `(fields, message)`, the others `(message, fields)`). Errors arrive as the Error object
 * under `err`. It is never given a secret, a signature or a key.
 */
export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

export interface PaybridgeOptions<Req = unknown> {
  /** The configured gateway adapters (`upaas({...})`, ...); at least one, ids unique. */
  gateways: readonly GatewayAdapter[];
  /**
   * Which gateway serves a channel: `{ wechat: "fubei", alipay: "upaas" }` (each entry must
   * name a configured gateway that supports that channel), or a function of the order.
   */
  routing: Routing;
  /** Absolute http(s) URL where this router is reachable; notify URL = publicUrl + "/notify/" + id. */
  publicUrl: string;
  /** Looks the order up in the merchant's system; null when there is no such payable order (→ 404). */
  resolveOrder: (input: ResolveOrderInput<Req>) => ResolvedOrder | null | Promise<ResolvedOrder | null>;
  /** Fulfils a paid order. Runs once per order; if it throws, the notify is answered with failure and it runs again on the gateway's retry. */
  onPaid: (payment: Payment) => void | Promise<void>;
  /** Runs once per refund that succeeded (router.refund, a refund notify). If it throws, the next refund call or notify for that refund runs it again. */
  onRefunded?: ((refund: Refund) => void | Promise<void>) | undefined;
  /** A pending order older than this many ms is closed on its next touch and by router.sweepExpired(). Default 2 hours. */
  expireAfterMs?: number | undefined;
  /** Runs router.sweepExpired() every this many ms on an unref'd timer. Default 0: off (call it yourself). */
  sweepIntervalMs?: number | undefined;
  /** Signs the status tokens; at least 32 characters, kept on the server. */
  statusTokenSecret: string;
  /** Where orders live. Default: a new MemoryOrderStore (one process only; use RedisOrderStore for several). */
  store?: OrderStore | undefined;
  /** Default: warn and error as one JSON line each on stderr; info dropped. */
  logger?: Logger | undefined;
  /** Milliseconds allowed per outbound gateway request. Default 10 000. */
  timeoutMs?: number | undefined;
  /** The status route asks the gateway's query API at most once per this many ms per order. Default 5 000. */
  queryIntervalMs?: number | undefined;
  /** The channel of a create request that names none. Default "wechat". */
  defaultChannel?: Channel | undefined;
  /** Largest request body accepted, in bytes, on both the create and the notify route. Default 16 KiB. */
  bodyLimit?: number | undefined;
  /**
   * How long a status token works, in ms from the order's creation: a payment's whole life
   * (the payer paying, the notify, the payer coming back). Default 24 h.
   */
  statusTokenTtlMs?: number | undefined;
  /**
   * How long one run of onPaid holds an order before another may run it again (its process is
   * taken for dead). Default 60 000. Past it a gateway's retry starts a second run while a slow
   * first one may still be going: onPaid must be idempotent by orderNo (see README).
   */
  fulfilmentLeaseMs?: number | undefined;
  /** The most a gateway's answer may be, in bytes (read no further; the request fails with 502). Default 1 MiB. */
  maxGatewayResponseBytes?: number | undefined;
}

/** A refund to make, server-side only (`router.refund`). */
export interface RefundRequest {
  orderNo: string;
  /** The merchant's refund number: 1-64 letters, digits or _-.|*@. Reuse it to retry. */
  refundNo: string;
  /** Integer fen; absent = all that is left to refund. */
  amountFen?: number | undefined;
  reason?: string | undefined;
}

/** What the merchant's onRefunded receives: one refund that succeeded. */
export interface Refund {
  orderNo: string;
  refundNo: string;
  amountFen: number;
  gateway: string;
  gatewayRefundNo?: string;
  reason?: string;
  /** ISO 8601. */
  refundedAt: string;
  /** The order's paid amount, and the fen refunded of it so far (this refund included). */
  orderAmountFen: number;
  refundedFen: number;
  attach?: string;
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
  /** Expired orders whose gateway refused or failed to close them (they stay pending; the next sweep tries again). */
  failed: number;
  /** Finished orders dropped past their retention (memory store). */
  pruned: number;
}

/** The server-side operations every host exposes beside its routes (never routes themselves). */
export interface PaybridgeOperations {
  /** Refunds a paid order, wholly or partly (server-side only: no route serves it). Idempotent on refundNo. */
  refund(request: RefundRequest): Promise<RefundResult>;
  /** Closes a pending order, at its gateway where it has a close API. */
  close(orderNo: string): Promise<CloseResult>;
  /** Closes expired pending orders and prunes finished ones past retention. */
  sweepExpired(): Promise<SweepResult>;
  /** Stops the sweep timer (when `sweepIntervalMs` started one). */
  stopSweeping(): void;
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

/** The calls paybridge makes to a gateway. */
export type GatewayOperation = "create" | "query" | "refund" | "close";

/** The events on `router.events`. Listeners that throw are logged and do not disturb an order. */
export interface PaybridgeEventMap {
  "order.created": [order: { orderNo: string; gateway: string; gatewayOrderNo: string; channel: Channel; amountFen: number }];
  "order.paid": [payment: Payment];
  "order.failed": [order: { orderNo: string; gateway: string; status: "failed" | "closed" }];
  "notify.rejected": [notice: { gateway: string; reason: string; orderNo?: string }];
  "gateway.error": [fault: { gateway: string; orderNo: string; operation: GatewayOperation; error: PaybridgeError }];
  /** A refund the gateway confirmed; onRefunded runs for it. */
  "refund.succeeded": [refund: RefundResult & { gateway: string }];
  /** A refund the gateway refused; its amount is free again. */
  "refund.failed": [refund: RefundResult & { gateway: string }];
}

/** A listener of event `K`. */
export type EventListener<Events extends { [K in keyof Events]: unknown[] }, K extends keyof Events> = (...args: Events[K]) => void;

/**
 * A Node EventEmitter whose listener methods know the event names and their arguments, so a
 * misspelt event reads "Argument of type '"order.piad"' is not assignable to parameter of type
 * 'keyof PaybridgeEventMap'". It extends the plain (non-generic) EventEmitter, so it
 * type-checks with any @types/node.
 */
export interface TypedEventEmitter<Events extends { [K in keyof Events]: unknown[] }> extends EventEmitter {
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

/** `router.events`: a Node EventEmitter typed by PaybridgeEventMap. */
export type PaybridgeEvents = TypedEventEmitter<PaybridgeEventMap>;
