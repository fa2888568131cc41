/**
 * The order service: create, status and settle, independent of HTTP and of any one gateway.
 * Every state change is a compare-and-set loop on the store, so concurrent requests — or
 * several processes sharing a store — never both move an order out of the same state, and
 * the merchant's onPaid runs once per order unless it throws.
 */
import { randomBytes } from "node:crypto";
import { EventEmitter } from "node:events";
import type { Channel, CreateOrderRequest, CreateOrderResponse, OrderStatusResponse, Scene } from "@paybridge/shared";
import { isFen, isPaidStatus } from "@paybridge/shared";
import { ConfigError, GatewayError, GatewayTimeoutError, InvalidRequestError, NotifyRejectedError, PaybridgeError } from "./errors.js";
import type { GatewayAdapter, GatewayHttp, NotifyInput, NotifyReply, QueryResult, VerifiedNotify } from "./gateways/types.js";
import type { TypedEventEmitter } from "./events.js";
import { createGatewayHttp } from "./http.js";
import type { Payment, ResolvedOptions, ResolveOrderInput, ResolvedOrder } from "./options.js";
import type { RefundResult } from "./refunds.js";
import { createStatusTokens, type StatusTokens } from "./status-token.js";
import type { OrderRecord } from "./store/types.js";

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

/**
 * A fulfilment claim's token: this process's random prefix and a counter, so no two claims,
 * in any process sharing the store, carry the same one.
 */
const CLAIM_PREFIX = randomBytes(9).toString("base64url");
let claimCount = 0;
const newClaimToken = (): string => `${CLAIM_PREFIX}.${(claimCount += 1)}`;
/** How often a request for an order another request is creating looks again. */
const CREATION_POLL_MS = 25;

export interface CreateResult {
  /** 201 for a new gateway order, 200 for an existing one. */
  httpStatus: 200 | 201;
  body: CreateOrderResponse;
}

type RecordFields = Omit<OrderRecord, "version">;
type Fulfilment = "done" | "busy" | "failed";

const notFound = (): PaybridgeError => new PaybridgeError("order_not_found", "order not found");

/** Set by the router: the lifecycle modules beside this service (src/refunds.ts, src/expiry.ts). */
export interface OrderHooks {
  /** Answers a notify that is a refund notify; null for a payment notify. */
  refundNotify?: (adapter: GatewayAdapter, input: NotifyInput, reject: (reason: string, orderNo?: string) => NotifyReply) => Promise<NotifyReply | null>;
  /** A pending order read by a request: closes it if it has expired; resolves the record as it now is. */
  touch?: (record: OrderRecord) => Promise<OrderRecord>;
  /** ISO 8601 expiry of an order created now, sent to the gateway. */
  expiresAt?: (createdAt: string) => string;
}

export class OrderService {
  readonly events: PaybridgeEvents = new EventEmitter() as PaybridgeEvents;
  readonly hooks: OrderHooks = {};
  readonly #options: ResolvedOptions;
  readonly #adapters: ReadonlyMap<string, GatewayAdapter>;
  readonly #http: ReadonlyMap<string, GatewayHttp>;
  readonly #tokens: StatusTokens;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#adapters = new Map(options.gateways.map((adapter) => [adapter.id, adapter]));
    this.#http = new Map(options.gateways.map((adapter) => [adapter.id, createGatewayHttp(adapter.id, options.timeoutMs, options.maxGatewayResponseBytes)]));
    this.#tokens = createStatusTokens(options.statusTokenSecret, options.statusTokenTtlMs);
  }

  hasGateway(id: string): boolean {
    return this.#adapters.has(id);
  }

  async create(request: CreateOrderRequest, req: ResolveOrderInput["req"]): Promise<CreateResult> {
    const { orderNo } = request;
    const resolved = checkResolved(await this.#options.resolveOrder({ orderNo, req }));
    if (!resolved) throw notFound();
    const channel = request.channel ?? this.#options.defaultChannel;
    const adapter = await this.#route({ orderNo, amountFen: resolved.amountFen, channel, ...(request.scene ? { scene: request.scene } : {}) });
    const scene = this.#sceneAt(adapter, channel, request.scene);
    const record: RecordFields = {
      orderNo,
      status: "pending",
      amountFen: resolved.amountFen,
      gateway: adapter.id,
      channel,
      scene,
      ...optional("description", resolved.description),
      ...optional("attach", resolved.attach),
      ...optional("openId", resolved.openId ?? request.openId),
      createdAt: new Date().toISOString(),
      fulfilment: "none",
    };
    for (;;) {
      if (await this.#options.store.insert(record)) return this.#createAtGateway(record, adapter, request.appId);
      const found = await this.#awaitCreated(orderNo);
      const existing = found?.status === "pending" && this.hooks.touch ? await this.hooks.touch(found) : found;
      // Gone: its creator failed at the gateway (or died); this request creates it afresh.
      if (existing) return this.#answerExisting(existing, request.channel);
    }
  }

  async status(orderNo: string, token: unknown): Promise<OrderStatusResponse> {
    // A bad token answers exactly as an unknown order, so order numbers cannot be probed.
    if (!this.#tokens.verify(orderNo, token)) throw notFound();
    let record = await this.#options.store.get(orderNo);
    if (!record) throw notFound();
    if (record.status === "pending") record = await this.#queryFallback(record);
    // A payment only the query found has no gateway retry behind it: if onPaid threw, the
    // payer's next poll is what runs it again.
    else if (isPaidStatus(record.status) && record.fulfilment !== "done") await this.#settle(record, {});
    if (record.status === "pending" && this.hooks.touch) record = await this.hooks.touch(record);
    const refundedFen = refundedOf(record);
    return {
      orderNo,
      status: record.status,
      amountFen: record.amountFen,
      ...optional("paidAt", record.paidAt),
      ...optional("gatewayOrderNo", record.gatewayOrderNo),
      ...(refundedFen > 0 ? { refundedFen } : {}),
    };
  }

  /** Handles a notify for a configured gateway; answers with that gateway's exact reply. */
  async notify(gatewayId: string, input: NotifyInput): Promise<NotifyReply> {
    const adapter = this.#adapter(gatewayId);
    const reject = (reason: string, orderNo?: string): NotifyReply => this.rejectNotify(gatewayId, reason, orderNo);
    if (adapter.verifyRefundNotify && this.hooks.refundNotify) {
      const refundReply = await this.hooks.refundNotify(adapter, input, reject);
      if (refundReply) return refundReply;
    }
    let notice: VerifiedNotify;
    try {
      notice = adapter.verifyNotify(input);
    } catch (error) {
      if (error instanceof NotifyRejectedError) return reject(error.message);
      this.#logError("verifyNotify threw", error, { gateway: gatewayId });
      return reject("unreadable notify");
    }
    const record = await this.#options.store.get(notice.orderNo);
    if (!record) return reject("unknown order", notice.orderNo);
    if (record.gateway !== gatewayId) return reject(`order belongs to gateway ${record.gateway}`, notice.orderNo);
    if (record.amountFen !== notice.amountFen) return reject("amount does not match the order", notice.orderNo);

    if (notice.outcome === "failed") await this.#markClosed(record, "failed");
    if (notice.outcome !== "paid") return adapter.notifyReply.success;
    // Starts from the record just read: a gateway's retry for a paid, fulfilled order costs that one read.
    const fulfilment = await this.#settle(record, notice);
    if (fulfilment === "done") return adapter.notifyReply.success;
    // The gateway retries a failure reply: then onPaid runs again (or finishes in the meantime).
    return { ...adapter.notifyReply.failure, status: retryStatus(adapter.notifyReply.failure.status) };
  }

  /** The gateway's failure reply with a 4xx, for a notify that changes nothing. */
  rejectNotify(gatewayId: string, reason: string, orderNo?: string): NotifyReply {
    const { failure } = this.#adapter(gatewayId).notifyReply;
    this.#options.logger.warn("notify rejected", { gateway: gatewayId, reason, ...optional("orderNo", orderNo) });
    this.#emit("notify.rejected", { gateway: gatewayId, reason, ...optional("orderNo", orderNo) });
    return { ...failure, status: clientErrorStatus(failure.status) };
  }

  async #route(order: { orderNo: string; amountFen: number; channel: Channel; scene?: Scene }): Promise<GatewayAdapter> {
    const { routing } = this.#options;
    const gatewayId = typeof routing === "function" ? await routing(order) : routing[order.channel];
    if (gatewayId === undefined) throw new InvalidRequestError(`channel ${order.channel} is not offered`, "channel");
    const adapter = this.#adapters.get(gatewayId);
    if (!adapter) throw new ConfigError("routing", `chose "${String(gatewayId)}", which is not a configured gateway`);
    if (!adapter.supports[order.channel]?.length) {
      throw new InvalidRequestError(`channel ${order.channel} is not offered by ${adapter.id}`, "channel");
    }
    return adapter;
  }

  /**
   * The payer's environment (`jsapi` in a wallet's own browser, `mini` in a mini-program, `h5`
   * elsewhere), when the routed gateway can serve it there; else a 400 that names the
   * configured gateways that can, so the merchant knows how to route it.
   */
  #sceneAt(adapter: GatewayAdapter, channel: Channel, requested: Scene | undefined): Scene {
    const scenes = adapter.supports[channel] ?? [];
    const scene = requested ?? scenes[0];
    if (scene !== undefined && scenes.includes(scene)) return scene;
    const able = [...this.#adapters.values()].filter((other) => other !== adapter && scene !== undefined && other.supports[channel]?.includes(scene));
    const alternative = able.length > 0 ? `; configured gateways that can: ${able.map((other) => other.id).join(", ")}` : "; no configured gateway can";
    throw new InvalidRequestError(
      `${adapter.id} cannot serve ${channel} in scene ${String(scene)} (it serves ${scenes.join(", ")})${alternative}`,
      "scene",
    );
  }

  async #createAtGateway(record: RecordFields, adapter: GatewayAdapter, appId: string | undefined): Promise<CreateResult> {
    let created;
    try {
      created = await adapter.createOrder(
        {
          orderNo: record.orderNo,
          amountFen: record.amountFen,
          channel: record.channel,
          scene: record.scene,
          ...optional("description", record.description),
          ...optional("attach", record.attach),
          ...optional("openId", record.openId),
          ...optional("appId", appId),
          notifyUrl: `${this.#options.publicUrl}/notify/${adapter.id}`,
          ...optional("expiresAt", this.hooks.expiresAt?.(record.createdAt)),
        },
        this.#httpFor(adapter.id),
      );
    } catch (error) {
      await this.#discardUncreated(record.orderNo);
      if (error instanceof GatewayError || error instanceof GatewayTimeoutError) {
        this.#reportGatewayError(adapter.id, record.orderNo, "create", error);
      }
      throw error;
    }
    const { action, gatewayOrderNo } = created;
    const { record: stored, changed } = await this.#transition(record.orderNo, (current) =>
      current.status === "pending" && !current.action ? { action, gatewayOrderNo } : undefined,
    );
    if (changed) {
      this.#emit("order.created", { orderNo: record.orderNo, gateway: adapter.id, gatewayOrderNo, channel: record.channel, amountFen: record.amountFen });
      // The gateway says it is paid already: believe its query (this order, equal amount), not the word.
      if (created.alreadyPaid && stored) return this.#answerExisting(await this.#queryFallback(stored), record.channel);
    } else if (stored) {
      // Settled meanwhile by a notify, or taken over as abandoned and created again.
      return this.#answerExisting(stored, record.channel);
    }
    return { httpStatus: 201, body: this.#createBody({ ...record, action, gatewayOrderNo }) };
  }

  /** After a failed create: delete the record so the order can be posted again. */
  async #discardUncreated(orderNo: string): Promise<void> {
    for (;;) {
      const current = await this.#options.store.get(orderNo);
      if (!current || current.status !== "pending" || current.action) return;
      if (await this.#options.store.compareAndDelete(orderNo, current.version)) return;
    }
  }

  /** Waits while another request creates the gateway order; null if the record went away. */
  async #awaitCreated(orderNo: string): Promise<OrderRecord | null> {
    // A creator waits at most two gateway requests (vbao's mini scene sends two); past that it died.
    const creationLeaseMs = 2 * this.#options.timeoutMs + 1_000;
    for (;;) {
      const current = await this.#options.store.get(orderNo);
      if (!current || current.action || current.status !== "pending") return current;
      if (Date.now() - Date.parse(current.createdAt) > creationLeaseMs) {
        if (await this.#options.store.compareAndDelete(orderNo, current.version)) return null;
        continue;
      }
      await new Promise((resolve) => setTimeout(resolve, CREATION_POLL_MS));
    }
  }

  #answerExisting(record: OrderRecord, requestedChannel: Channel | undefined): CreateResult {
    if (isPaidStatus(record.status)) return { httpStatus: 200, body: this.#createBody(record) };
    if (record.status !== "pending") throw new PaybridgeError("order_closed", `order is ${record.status}`);
    if (requestedChannel !== undefined && requestedChannel !== record.channel) {
      throw new InvalidRequestError(`order is already pending in channel ${record.channel}`, "channel");
    }
    return { httpStatus: 200, body: this.#createBody(record) };
  }

  #createBody(record: RecordFields): CreateOrderResponse {
    return {
      orderNo: record.orderNo,
      status: record.status,
      gateway: record.gateway,
      ...optional("gatewayOrderNo", record.gatewayOrderNo),
      amountFen: record.amountFen,
      channel: record.channel,
      // A paid order is not paid again.
      ...(record.status === "pending" ? optional("action", record.action) : {}),
      statusToken: this.#tokens.issue(record.orderNo, Date.parse(record.createdAt)),
    };
  }

  /** The status route's fallback when no notify has come: ask the gateway, at most once per interval per order. */
  async #queryFallback(record: OrderRecord): Promise<OrderRecord> {
    const adapter = this.#adapters.get(record.gateway);
    if (!adapter?.queryOrder || !record.action) return record;
    const now = Date.now();
    const { queryIntervalMs } = this.#options;
    // Claiming by compare-and-set means one query per interval, however many instances poll.
    const claim = await this.#transition(record.orderNo, (current) =>
      current.status === "pending" && (current.lastQueriedAt === undefined || now - current.lastQueriedAt >= queryIntervalMs)
        ? { lastQueriedAt: now }
        : undefined,
    );
    if (!claim.changed || !claim.record) return claim.record ?? record;
    let result;
    try {
      result = await adapter.queryOrder(
        { orderNo: record.orderNo, ...optional("gatewayOrderNo", record.gatewayOrderNo) },
        this.#httpFor(adapter.id),
      );
    } catch (error) {
      if (error instanceof PaybridgeError) this.#reportGatewayError(adapter.id, record.orderNo, "query", error);
      else this.#logError("queryOrder threw", error, { gateway: adapter.id, orderNo: record.orderNo });
      return claim.record;
    }
    const mismatch = queryMismatch(claim.record, result);
    if (mismatch !== undefined) {
      this.#options.logger.warn(`query answer ${mismatch}`, { gateway: adapter.id, orderNo: record.orderNo });
      return claim.record;
    }
    if (result.status === "paid") await this.#settle(claim.record, result);
    else if (result.status !== "pending") await this.#markClosed(claim.record, result.status);
    return (await this.#options.store.get(record.orderNo)) ?? claim.record;
  }

  /**
   * Moves the order to paid and claims running onPaid in one compare-and-set, then runs onPaid
   * unless it has run or another caller holds a live claim. A verified payment wins over
   * `failed`/`closed` too: a payer may retry after a failed attempt, and money taken must reach onPaid.
   */
  async #settle(from: OrderRecord, paid: { gatewayOrderNo?: string; paidAt?: string }): Promise<Fulfilment> {
    const now = Date.now();
    // Set by the attempt whose compare-and-set stuck (the last one `change` was called for).
    let becamePaid = false;
    let claimed = false;
    const claim = newClaimToken();
    const { record, changed } = await this.#transition(
      from.orderNo,
      (current) => {
        // Refunded (wholly or partly) is paid too: a late retry must not undo the ledger's status.
        becamePaid = !isPaidStatus(current.status);
        claimed = current.fulfilment !== "done" && !(current.fulfilment === "running" && (current.fulfilmentLeaseUntil ?? 0) > now);
        if (!becamePaid && !claimed) return undefined;
        // Assigned, not spread from conditional literals: this runs on every first notify.
        const patch: Partial<RecordFields> = {};
        if (becamePaid) {
          patch.status = "paid";
          patch.paidAt = paid.paidAt ?? new Date(now).toISOString();
          // The number the gateway gave at creation wins: a notify's signature covers only the
          // joined `k=v&…` text, so a re-split genuine notify could carry a mangled one.
          const gatewayOrderNo = current.gatewayOrderNo ?? paid.gatewayOrderNo;
          if (gatewayOrderNo !== undefined) patch.gatewayOrderNo = gatewayOrderNo;
        }
        if (claimed) {
          patch.fulfilment = "running";
          patch.fulfilmentLeaseUntil = now + this.#options.fulfilmentLeaseMs;
          patch.fulfilmentClaim = claim;
        }
        return patch;
      },
      from,
    );
    if (!record) return "busy";
    // Only built for listeners: most merchants use onPaid alone.
    if (changed && becamePaid && this.events.listenerCount("order.paid") > 0) this.#emit("order.paid", paymentOf(record));
    if (!changed || !claimed) return record.fulfilment === "done" ? "done" : "busy";
    // Fenced: only while the record still carries this claim may this run finish it. Past the
    // lease another run may have claimed the order; its claim is not this run's to end.
    const holds = (current: OrderRecord): boolean => current.fulfilment === "running" && current.fulfilmentClaim === claim;
    try {
      await this.#options.onPaid(paymentOf(record));
    } catch (error) {
      this.#logError("onPaid threw; the gateway's retry runs it again", error, { orderNo: record.orderNo });
      await this.#transition(
        record.orderNo,
        (current) => (holds(current) ? { fulfilment: "none", fulfilmentLeaseUntil: undefined, fulfilmentClaim: undefined } : undefined),
        record,
      );
      return "failed";
    }
    const finished = await this.#transition(
      record.orderNo,
      (current) => (holds(current) ? { fulfilment: "done", fulfilmentLeaseUntil: undefined, fulfilmentClaim: undefined } : undefined),
      record,
    );
    if (finished.changed) return "done";
    // The lease ran out during onPaid and another run holds the order now: that run marks it
    // done; until then the gateway is asked to retry (a merchant's onPaid is idempotent by orderNo).
    if (finished.record?.fulfilment === "done") return "done";
    this.#options.logger.warn("onPaid finished after its fulfilment lease ran out; another run holds the order", { orderNo: record.orderNo });
    return "busy";
  }

  async #markClosed(from: OrderRecord, status: "failed" | "closed"): Promise<void> {
    const { record, changed } = await this.#transition(from.orderNo, (current) => (current.status === "pending" ? { status } : undefined), from);
    if (changed && record) this.#emit("order.failed", { orderNo: record.orderNo, gateway: record.gateway, status });
  }

  /**
   * Compare-and-set loop: applies `change` to the latest record until it sticks, or `change`
   * declines. `from`, a record the caller already read, saves the first read: a stale one only
   * loses its compare-and-set, and the loop reads again.
   */
  async #transition(
    orderNo: string,
    change: (current: OrderRecord) => Partial<RecordFields> | undefined,
    from?: OrderRecord,
  ): Promise<{ record: OrderRecord | null; changed: boolean }> {
    let current = from ?? (await this.#options.store.get(orderNo));
    for (;;) {
      if (!current) return { record: null, changed: false };
      const patch = change(current);
      if (!patch) return { record: current, changed: false };
      const stored = await this.#options.store.compareAndSet(orderNo, current.version, nextFields(current, patch));
      if (stored) return { record: stored, changed: true };
      current = await this.#options.store.get(orderNo);
    }
  }

  #adapter(id: string): GatewayAdapter {
    const adapter = this.#adapters.get(id);
    if (!adapter) throw notFound();
    return adapter;
  }

  #httpFor(id: string): GatewayHttp {
    const http = this.#http.get(id);
    if (!http) throw new ConfigError("gateways", `no HTTP client for gateway "${id}"`);
    return http;
  }

  #reportGatewayError(gateway: string, orderNo: string, operation: "create" | "query", error: PaybridgeError): void {
    this.#options.logger.warn(`gateway ${operation} failed`, { gateway, orderNo, code: error.code, message: error.message });
    this.#emit("gateway.error", { gateway, orderNo, operation, error });
  }

  #logError(message: string, error: unknown, fields: Readonly<Record<string, string>>): void {
    this.#options.logger.error(message, { ...fields, ...describeError(error), err: error });
  }

  #emit<K extends keyof PaybridgeEventMap>(event: K, ...args: PaybridgeEventMap[K]): void {
    try {
      // Node's typings cannot relate a generic K to its own argument list; the signature above does.
      (this.events.emit as (event: K, ...args: PaybridgeEventMap[K]) => boolean)(event, ...args);
    } catch (error) {
      this.#logError(`a listener of ${event} threw`, error, {});
    }
  }
}

/** Fen of the refunds that succeeded (the ledger is src/refund-ledger.ts). */
function refundedOf(record: OrderRecord): number {
  let sum = 0;
  for (const refund of record.refunds ?? []) if (refund.status === "succeeded") sum += refund.amountFen;
  return sum;
}

/** What resolveOrder returned, checked: the amount must be a whole, positive number of fen. */
function checkResolved(resolved: ResolvedOrder | null): ResolvedOrder | null {
  if (resolved === null || resolved === undefined) return null;
  if (typeof resolved !== "object") throw new TypeError("resolveOrder must return an object or null");
  if (!isFen(resolved.amountFen) || resolved.amountFen < 1) {
    throw new InvalidRequestError("resolveOrder's amountFen must be a whole number of fen, at least 1", "amountFen");
  }
  for (const field of ["description", "attach", "openId"] as const) {
    if (resolved[field] !== undefined && typeof resolved[field] !== "string") {
      throw new InvalidRequestError(`resolveOrder's ${field} must be a string`, field);
    }
  }
  return resolved;
}

/**
 * Why a query answer may not change this order, or undefined when it may. An answer that names
 * another order (by either number) or states another amount changes nothing; one that says
 * "paid" must also name this order — our order number, or the gateway order number stored at
 * creation — and state the order's amount: absent or null is no match, never "trust it".
 */
function queryMismatch(record: OrderRecord, result: QueryResult): string | undefined {
  if (result.orderNo !== undefined && result.orderNo !== record.orderNo) return "names another order";
  if (result.gatewayOrderNo !== undefined && record.gatewayOrderNo !== undefined && result.gatewayOrderNo !== record.gatewayOrderNo) {
    return "names another gateway order";
  }
  if (result.amountFen !== undefined && result.amountFen !== record.amountFen) return "amount does not match the order";
  if (result.status !== "paid") return undefined;
  const named = result.orderNo === record.orderNo || (record.gatewayOrderNo !== undefined && result.gatewayOrderNo === record.gatewayOrderNo);
  if (!named) return "does not name the order";
  if (result.amountFen === undefined) return "states no amount";
  return undefined;
}

/**
 * `record` with `patch` applied: what compareAndSet takes. A plain spread, which V8 copies
 * fastest; the stale `version` it carries is ignored, as every store sets the version itself.
 */
function nextFields(record: OrderRecord, patch: Partial<RecordFields>): RecordFields {
  return { ...record, ...patch };
}

function paymentOf(record: OrderRecord): Payment {
  // Assigned, not spread from conditional literals: this runs on every first notify.
  const payment: Payment = {
    orderNo: record.orderNo,
    amountFen: record.amountFen,
    gateway: record.gateway,
    channel: record.channel,
    paidAt: record.paidAt ?? new Date().toISOString(),
  };
  if (record.gatewayOrderNo !== undefined) payment.gatewayOrderNo = record.gatewayOrderNo;
  if (record.attach !== undefined) payment.attach = record.attach;
  return payment;
}

/** `{ [key]: value }` when value is defined, else `{}`: keeps absent fields absent in JSON and in records. */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A rejected notify is the gateway's fault: a 4xx, whatever status the adapter's failure reply has. */
function clientErrorStatus(status: number): number {
  return status >= 400 && status < 500 ? status : 400;
}

/** A failure the gateway should retry (onPaid threw, or is still running elsewhere). */
function retryStatus(status: number): number {
  return status >= 400 ? status : 500;
}

/** Name and message only: a stack is for the merchant's own tools, not the log line's reader. */
function describeError(error: unknown): Record<string, string> {
  return error instanceof Error ? { error: error.name, reason: error.message } : { error: typeof error };
}
