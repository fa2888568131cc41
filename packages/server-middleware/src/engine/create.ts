/**
 * Creating an order: the merchant's resolveOrder gives the amount (never the browser), routing
 * picks the gateway and scene, a pending record without an action claims the creation (others
 * posting the same order wait for it, src/engine/creation.ts), and the gateway's answer is
 * written by compare-and-set.
 */
import type { Channel, CreateOrderRequest, CreateOrderResponse } from "@paybridge/shared";
import { isPaidStatus } from "@paybridge/shared";
import { GatewayError, GatewayTimeoutError, InvalidRequestError, PaybridgeError, StoreFullError } from "../errors.js";
import type { GatewayAdapter } from "../gateways/contract.js";
import type { OrderRecord } from "../store/contract.js";
import type { ResolvedOrder } from "../types.js";
import type { EngineContext } from "./context.js";
import { awaitCreated, discardUncreated } from "./creation.js";
import type { Expiry } from "./expiry.js";
import { checkResolved, notFound, optional } from "./order-fields.js";
import { queryFallback } from "./query.js";
import { CreateRateLimiter } from "./rate-limit.js";
import { routeOrder, sceneAt } from "./routing.js";
import type { RecordFields } from "./transition.js";

export interface CreateResult {
  /** 201 for a new gateway order, 200 for an existing one. */
  httpStatus: 200 | 201;
  body: CreateOrderResponse;
}

/** Expired orders a full store closes to make room, at most, per attempt. */
const MAKE_ROOM_COUNT = 16;

export class CreateService {
  readonly #ctx: EngineContext;
  readonly #expiry: Expiry;
  readonly #limiter: CreateRateLimiter | undefined;
  /** One attempt at a time to make room in a full store; concurrent creates wait for it. */
  #makingRoom: Promise<number> | undefined;

  constructor(ctx: EngineContext, expiry: Expiry) {
    this.#ctx = ctx;
    this.#expiry = expiry;
    const limit = ctx.options.createRateLimit;
    this.#limiter = limit === undefined ? undefined : new CreateRateLimiter(limit);
  }

  /**
   * `req` is the host's request, handed to resolveOrder untouched. `resolved`: what resolveOrder
   * already answered (with several merchants it is asked first, to find the merchant).
   */
  async create(request: CreateOrderRequest, req: unknown, resolved0?: ResolvedOrder | null): Promise<CreateResult> {
    const { options, adapters } = this.#ctx;
    const { orderNo } = request;
    this.#limiter?.take(req);
    const resolved = checkResolved(resolved0 !== undefined ? resolved0 : await options.resolveOrder({ orderNo, req }));
    if (!resolved) throw notFound();
    const channel = request.channel ?? options.defaultChannel;
    const order = { orderNo, amountFen: resolved.amountFen, channel, ...(request.scene ? { scene: request.scene } : {}) };
    const adapter = await routeOrder(options, adapters, order);
    const scene = sceneAt(adapters, adapter, channel, request.scene);
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
      if (await this.#insert(record)) return this.#createAtGateway(record, adapter, request.appId);
      const found = await awaitCreated(options, orderNo);
      const existing = found?.status === "pending" ? await this.#expiry.touch(found) : found;
      // Gone: its creator failed at the gateway (or died); this request creates it afresh.
      if (existing) return this.#answerExisting(existing, request.channel);
    }
  }

  /**
   * Inserts the pending record. A full memory store (StoreFullError) first closes expired pending
   * orders — at their gateway, where it has a close API, so none a payer could still pay there
   * is dropped — which lets the store evict them; then the insert is tried once more. Still
   * full: 503 with Retry-After to the browser, the store's own words to the log.
   */
  async #insert(record: RecordFields): Promise<boolean> {
    const { store, logger, timeoutMs } = this.#ctx.options;
    try {
      return await store.insert(record);
    } catch (error) {
      if (!(error instanceof StoreFullError)) throw error;
      this.#makingRoom ??= this.#expiry.closeOldest(MAKE_ROOM_COUNT, timeoutMs).finally(() => (this.#makingRoom = undefined));
      if ((await this.#makingRoom) > 0) {
        try {
          return await store.insert(record);
        } catch (again) {
          if (!(again instanceof StoreFullError)) throw again;
        }
      }
      logger.error("the order store is full; a new order was refused with 503", { orderNo: record.orderNo, reason: error.message });
      throw error;
    }
  }

  async #createAtGateway(record: RecordFields, adapter: GatewayAdapter, appId: string | undefined): Promise<CreateResult> {
    const ctx = this.#ctx;
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
          notifyUrl: ctx.notifyUrl(adapter.id),
          expiresAt: this.#expiry.expiresAt(record.createdAt),
        },
        ctx.gatewayClient(adapter.id),
      );
    } catch (error) {
      await discardUncreated(ctx.options, record.orderNo);
      if (error instanceof GatewayError || error instanceof GatewayTimeoutError) {
        ctx.reportGatewayError(adapter.id, record.orderNo, "create", error);
      }
      throw error;
    }
    const { action, gatewayOrderNo } = created;
    const { record: stored, changed } = await ctx.transition(record.orderNo, (current) =>
      current.status === "pending" && !current.action ? { action, gatewayOrderNo } : undefined,
    );
    if (changed) {
      ctx.emit("order.created", { orderNo: record.orderNo, gateway: adapter.id, gatewayOrderNo, channel: record.channel, amountFen: record.amountFen });
      // The gateway says it is paid already: believe its query (this order, equal amount), not the word.
      if (created.alreadyPaid && stored) return this.#answerExisting(await queryFallback(ctx, stored), record.channel);
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
      statusToken: this.#ctx.tokens.issue(record.orderNo, Date.parse(record.createdAt)),
    };
  }
}
