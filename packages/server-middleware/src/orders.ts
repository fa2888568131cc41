/**
 * The order service: create, status and settle, independent of HTTP and of any one gateway.
 * Every state change is a compare-and-set loop on the store, so concurrent requests — or
 * several processes sharing a store — never both move an order out of the same state, and
 * the merchant's onPaid runs once per order unless it throws. Settling and onPaid are
 * src/fulfilment.ts; the status route's gateway query is src/query-fallback.ts.
 */
import { EventEmitter } from "node:events";
import type { Channel, CreateOrderRequest, CreateOrderResponse, OrderStatusResponse } from "@paybridge/shared";
import { isPaidStatus } from "@paybridge/shared";
import { ConfigError, GatewayError, GatewayTimeoutError, InvalidRequestError, NotifyRejectedError, PaybridgeError } from "./errors.js";
import type { GatewayAdapter, GatewayHttp, NotifyInput, NotifyReply, VerifiedNotify } from "./gateways/types.js";
import type { PaybridgeEventMap, PaybridgeEvents } from "./events.js";
import { awaitCreated, discardUncreated } from "./creation.js";
import { markClosed, settle } from "./fulfilment.js";
import { createGatewayHttp } from "./http.js";
import type { ResolvedOptions, ResolveOrderInput } from "./options.js";
import type { OrderDeps } from "./order-deps.js";
import { checkResolved, clientErrorStatus, describeError, optional, retryStatus } from "./order-helpers.js";
import { refundedFen } from "./refund-ledger.js";
import { queryFallback } from "./query-fallback.js";
import { routeOrder, sceneAt } from "./routing.js";
import { createStatusTokens, type StatusTokens } from "./status-token.js";
import type { OrderRecord } from "./store/types.js";

export type { PaybridgeEventMap, PaybridgeEvents } from "./events.js";

export interface CreateResult {
  /** 201 for a new gateway order, 200 for an existing one. */
  httpStatus: 200 | 201;
  body: CreateOrderResponse;
}

type RecordFields = Omit<OrderRecord, "version">;

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
  /** What src/fulfilment.ts and src/query-fallback.ts use of this service. */
  readonly #deps: OrderDeps;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.#adapters = new Map(options.gateways.map((adapter) => [adapter.id, adapter]));
    this.#http = new Map(options.gateways.map((adapter) => [adapter.id, createGatewayHttp(adapter.id, options.timeoutMs, options.maxGatewayResponseBytes)]));
    this.#tokens = createStatusTokens(options.statusTokenSecret, options.statusTokenTtlMs);
    this.#deps = {
      options,
      adapters: this.#adapters,
      events: this.events,
      transition: (orderNo, change, from) => this.#transition(orderNo, change, from),
      httpFor: (id) => this.#httpFor(id),
      emit: <K extends keyof PaybridgeEventMap>(event: K, ...args: PaybridgeEventMap[K]) => this.#emit(event, ...args),
      logError: (message, error, fields) => this.#logError(message, error, fields),
      reportGatewayError: (gateway, orderNo, operation, error) => this.#reportGatewayError(gateway, orderNo, operation, error),
    };
  }

  hasGateway(id: string): boolean {
    return this.#adapters.has(id);
  }

  async create(request: CreateOrderRequest, req: ResolveOrderInput["req"]): Promise<CreateResult> {
    const { orderNo } = request;
    const resolved = checkResolved(await this.#options.resolveOrder({ orderNo, req }));
    if (!resolved) throw notFound();
    const channel = request.channel ?? this.#options.defaultChannel;
    const order = { orderNo, amountFen: resolved.amountFen, channel, ...(request.scene ? { scene: request.scene } : {}) };
    const adapter = await routeOrder(this.#options, this.#adapters, order);
    const scene = sceneAt(this.#adapters, adapter, channel, request.scene);
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
      const found = await awaitCreated(this.#options, orderNo);
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
    if (record.status === "pending") record = await queryFallback(this.#deps, record);
    // A payment only the query found has no gateway retry behind it: if onPaid threw, the
    // payer's next poll is what runs it again.
    else if (isPaidStatus(record.status) && record.fulfilment !== "done") await settle(this.#deps, record, {});
    if (record.status === "pending" && this.hooks.touch) record = await this.hooks.touch(record);
    const refunded = refundedFen(record);
    return {
      orderNo,
      status: record.status,
      amountFen: record.amountFen,
      ...optional("paidAt", record.paidAt),
      ...optional("gatewayOrderNo", record.gatewayOrderNo),
      ...(refunded > 0 ? { refundedFen: refunded } : {}),
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

    if (notice.outcome === "failed") await markClosed(this.#deps, record, "failed");
    if (notice.outcome !== "paid") return adapter.notifyReply.success;
    // Starts from the record just read: a gateway's retry for a paid, fulfilled order costs that one read.
    const fulfilment = await settle(this.#deps, record, notice);
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
      await discardUncreated(this.#options, record.orderNo);
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
      if (created.alreadyPaid && stored) return this.#answerExisting(await queryFallback(this.#deps, stored), record.channel);
    } else if (stored) {
      // Settled meanwhile by a notify, or taken over as abandoned and created again.
      return this.#answerExisting(stored, record.channel);
    }
    return { httpStatus: 201, body: this.#createBody({ ...record, action, gatewayOrderNo }) };
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

/**
 * `record` with `patch` applied: what compareAndSet takes. A plain spread, which V8 copies
 * fastest; the stale `version` it carries is ignored, as every store sets the version itself.
 */
function nextFields(record: OrderRecord, patch: Partial<RecordFields>): RecordFields {
  return { ...record, ...patch };
}
