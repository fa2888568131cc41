/**
 * The public types of @paybridge/server-middleware in one place: the options, what the
 * merchant's hooks receive, what the server-side operations answer, and the events. No
 * implementation lives here, and nothing here names a host framework: `Req` is the host's
 * request type (Express's under `paybridge()`, the fetch API's under `paybridgeHandler()`).
 */
import type { Channel, PaidStatus, Scene } from "@paybridge/shared";
import type { PaybridgeError } from "./errors.js";
import type { TypedEventEmitter } from "./typed-events.js";
import type { Mismatch, ReconcileResult, RefundResult } from "./operation-types.js";

export type {
  RefundRequest,
  RefundResult,
  CloseResult,
  SweepResult,
  ReplayResult,
  PaybridgeOperations,
  MerchantOperations,
  HealthOptions,
  HealthReport,
  ReconcileRequest,
  ReconcileResult,
  ReconcileTotals,
  Mismatch,
  MismatchKind,
} from "./operation-types.js";
export type { OrderView, OrderQueryResult } from "./operation-types.js";
import type { GatewayAdapter } from "./gateways/contract.js";
import type { OrderStore } from "./store/contract.js";

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
  /**
   * With `merchants`: the shop this order belongs to (decided here, on the server, never by the
   * browser). Its credentials pay, query, refund and close the order. Required then; ignored without `merchants`.
   */
  merchantId?: string | undefined;
}

/** With `merchants`: which merchant an order, event or payment belongs to. Absent in a single-shop setup. */
export interface MerchantTag {
  merchantId?: string;
}

/** One merchant's gateways, as the merchant's `merchants` function returns them. */
export interface MerchantSetup {
  /** This merchant's adapters, built with its own credentials; ids unique within the merchant. */
  gateways: readonly GatewayAdapter[];
  /** This merchant's routing; default: the top-level `routing`. */
  routing?: Routing | undefined;
}

/** Looks up a merchant's setup by id; null/undefined for no such merchant. Cached for `merchantCacheTtlMs`. */
export type MerchantsResolver = (merchantId: string) => MerchantSetup | null | undefined | Promise<MerchantSetup | null | undefined>;

/** A confirmed payment, as the merchant's `onPaid` receives it. */
export interface Payment extends MerchantTag {
  orderNo: string;
  amountFen: number;
  /** The id of the gateway that took the money. */
  gateway: string;
  gatewayOrderNo?: string;
  channel: Channel;
  /** ISO 8601. */
  paidAt: string;
  attach?: string;
  /**
   * The order's status as onPaid runs: `paid`, or `partially_refunded` / `refunded` when refunds
   * succeeded before onPaid completed (it threw, the merchant refunded, the gateway retried).
   * onPaid still runs then — the money was taken — so the books can record it; skip shipping.
   */
  status: PaidStatus;
  /** Fen refunded of this order so far (succeeded refunds); 0 when none. */
  refundedFen: number;
}

/**
 * The second argument of onPaid and onRefunded. `signal` fires when this run has lost its claim
 * on the order (another run took it over, or the store failed to renew it for a lease): stop
 * what can be stopped; another run does, or will do, the work.
 */
export interface FulfilmentContext {
  signal: AbortSignal;
}

/**
 * A per-client limit on create requests (`createRateLimit`), kept in this process's memory. Past
 * it, a client's create answers 429 with Retry-After until its window ends.
 */
export interface CreateRateLimit<Req = unknown> {
  /**
   * Who is asking, from the host's request: a session or user id, or the IP address the merchant
   * trusts (behind a proxy, from its header). undefined or "": this request is not limited.
   */
  clientKey: (req: Req) => string | undefined;
  /** Create requests one client may make per window. Default 30. */
  max?: number | undefined;
  /** The window, in ms. Default 60 000. */
  windowMs?: number | undefined;
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
  /** The configured gateway adapters (`upaas({...})`, ...); at least one, ids unique. Required without `merchants`; not allowed with it. */
  gateways?: readonly GatewayAdapter[] | undefined;
  /**
   * Which gateway serves a channel: `{ wechat: "fubei", alipay: "upaas" }` (each entry must
   * name a configured gateway that supports that channel), or a function of the order.
   * Required without `merchants`; with it, the default for merchants that bring none.
   */
  routing?: Routing | undefined;
  /**
   * Several merchants in one process: each order's merchant comes from resolveOrder's
   * `merchantId`, and this function gives that merchant's gateways (credentials stay on the
   * server). Notify URLs become publicUrl + "/notify/" + gateway + "/" + merchantId.
   */
  merchants?: MerchantsResolver | undefined;
  /** How long a merchant's setup is cached, in ms. Default 5 minutes. `invalidateMerchant(id)` drops it sooner. */
  merchantCacheTtlMs?: number | undefined;
  /** The most the `merchants` function may take, in ms; past it the request answers 503 (a notify: the gateway retries). Default 5 000. */
  merchantTimeoutMs?: number | undefined;
  /** Absolute http(s) URL where this router is reachable; notify URL = publicUrl + "/notify/" + id. */
  publicUrl: string;
  /** Looks the order up in the merchant's system; null when there is no such payable order (→ 404). */
  resolveOrder: (input: ResolveOrderInput<Req>) => ResolvedOrder | null | Promise<ResolvedOrder | null>;
  /**
   * Fulfils a paid order. Runs once per order; if it throws, the notify is answered with failure
   * and it runs again on the gateway's retry. `payment.status` / `refundedFen` tell an order
   * refunded meanwhile; `context.signal` fires if this run loses its claim (see fulfilmentLeaseMs).
   */
  onPaid: (payment: Payment, context: FulfilmentContext) => void | Promise<void>;
  /** Runs once per refund that succeeded (router.refund, a refund notify). If it throws, the next refund call or notify for that refund runs it again. */
  onRefunded?: ((refund: Refund, context: FulfilmentContext) => void | Promise<void>) | undefined;
  /** A pending order older than this many ms is closed on its next touch and by router.sweepExpired(). Default 2 hours. */
  expireAfterMs?: number | undefined;
  /** Runs router.sweepExpired() every this many ms on an unref'd timer. Default 0: off (call it yourself). */
  sweepIntervalMs?: number | undefined;
  /** How many expired orders one sweep closes at once. Default 8. */
  sweepConcurrency?: number | undefined;
  /**
   * A sweep starts no new close after this many ms (the ones under way finish, each within
   * timeoutMs); the next sweep goes on where it stopped. Default 60 000.
   */
  sweepTimeLimitMs?: number | undefined;
  /** Signs the status tokens; at least 32 characters, kept on the server. */
  statusTokenSecret: string;
  /** Where orders live. Default: a new MemoryOrderStore (one process only; use RedisOrderStore for several). */
  store?: OrderStore | undefined;
  /** Default: warn and error as one JSON line each on stderr; info dropped. */
  logger?: Logger | undefined;
  /** Milliseconds allowed per outbound gateway request. Default 10 000. */
  timeoutMs?: number | undefined;
  /**
   * The status route asks the gateway's query API at most once per this many ms per order; an
   * expired order's close is asked (by a poll or a sweep) at most as often. Default 5 000.
   */
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
   * The lease of one run of onPaid (or onRefunded) on its order. The run renews it every third
   * of it while it runs, so only a run whose process died, or which could not reach the store
   * for a lease, loses its claim; another may then run the hook again, and the first's
   * `context.signal` fires. Default 60 000. onPaid must still be idempotent by orderNo (see README).
   */
  fulfilmentLeaseMs?: number | undefined;
  /**
   * How long one caller may be sending a refund (a refund query, then the refund call) before
   * another may send it again under the same refundNo. At least 2 × timeoutMs + 1 000 (the
   * default): a shorter lease lets a retry send a refund whose first send is still under way.
   */
  refundSendLeaseMs?: number | undefined;
  /** Limits how many orders one client creates (the memory store's defence against one client filling it). Default: none. */
  createRateLimit?: CreateRateLimit<Req> | undefined;
  /** The most a gateway's answer may be, in bytes (read no further; the request fails with 502). Default 1 MiB. */
  maxGatewayResponseBytes?: number | undefined;
  /** The sweep drops notifies from the store's inbox this long after they arrived. Default 30 days. */
  notifyRetentionMs?: number | undefined;
}

/** What the merchant's onRefunded receives: one refund that succeeded. */
export interface Refund extends MerchantTag {
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

/** The calls paybridge makes to a gateway. */
export type GatewayOperation = "create" | "query" | "refund" | "close";

/** The events on `router.events`. Listeners that throw are logged and do not disturb an order. */
export interface PaybridgeEventMap {
  "order.created": [order: MerchantTag & { orderNo: string; gateway: string; gatewayOrderNo: string; channel: Channel; amountFen: number }];
  "order.paid": [payment: Payment];
  "order.failed": [order: MerchantTag & { orderNo: string; gateway: string; status: "failed" | "closed" }];
  "notify.rejected": [notice: MerchantTag & { gateway: string; reason: string; orderNo?: string }];
  "gateway.error": [fault: MerchantTag & { gateway: string; orderNo: string; operation: GatewayOperation; error: PaybridgeError }];
  /** A refund the gateway confirmed; onRefunded runs for it. */
  "refund.succeeded": [refund: RefundResult & MerchantTag & { gateway: string }];
  /** A refund the gateway refused; its amount is free again. */
  "refund.failed": [refund: RefundResult & MerchantTag & { gateway: string }];
  /**
   * A verified payment for an order the store does not know (records lost or restored from an
   * old backup): the notify is kept in the inbox under `notifyId` and refused, so the gateway
   * retries; replay it once the order is back.
   */
  "payment.unmatched": [payment: MerchantTag & { gateway: string; orderNo: string; amountFen: number; gatewayOrderNo?: string; notifyId: string }];
  /** One difference between a gateway's bill and the store; emitted only once the whole bill matched. */
  "reconcile.mismatch": [mismatch: Mismatch];
  /** A reconciliation finished: its totals and the first mismatches (after every reconcile.mismatch). */
  "reconcile.done": [result: ReconcileResult];
}

/** `router.events`: a Node EventEmitter typed by PaybridgeEventMap. */
export type PaybridgeEvents = TypedEventEmitter<PaybridgeEventMap>;
