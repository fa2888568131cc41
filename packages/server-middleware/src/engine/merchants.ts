/**
 * Several merchants in one process: one Engine per merchant, built from the merchant's own
 * setup (its adapters and their keys) and a view of the shared store scoped to its orders
 * (src/engine/merchant-store.ts). The merchant of an order is what resolveOrder said on create; later
 * steps find it again from the notify URL (/notify/:gateway/:merchant), the status token
 * (`<merchantId>~…`) or the merchant's own call (refund, close). Setups are cached for
 * `merchantCacheTtlMs`; `invalidateMerchant(id)` drops one sooner (a key rotated, a shop left).
 */
import type { CreateOrderRequest, OrderStatusResponse } from "@paybridge/shared";
import { validateOptions, type ResolvedOptions } from "../config/options.js";
import { MerchantUnavailableError, PaybridgeError } from "../errors.js";
import type { NotifyInput, NotifyReply } from "../gateways/contract.js";
import type { NotifyEntry, NotifyQuery, OrderStore } from "../store/contract.js";
import { ScopedOrderStore } from "./merchant-store.js";
import { MerchantSweep } from "./merchant-sweep.js";
import type { CloseResult, LogFields, Logger, MerchantOperations, PaybridgeEvents, PaybridgeOperations, ReconcileRequest, ReconcileResult, RefundRequest, RefundResult, ReplayResult, SweepResult, HealthOptions, HealthReport } from "../types.js";
import type { CreateResult } from "./create.js";
import { Engine } from "./engine.js";
import { keepNotify, newNotifyId, notifyEntry } from "./inbox.js";
import { HealthService } from "./health.js";
import { checkMerchantId, isMerchantId } from "./input.js";
import { checkResolved, clientErrorStatus, notFound } from "./order-fields.js";
import { tokenMerchant } from "./status-tokens.js";
import type { OrderQueryResult, OrderView } from "../types.js";

/**
 * Merchants cached at most. Notify URLs are the internet's to choose: without a bound, posts
 * naming a million made-up merchants would keep a million cache entries. The oldest goes first.
 */
const MAX_CACHED_MERCHANTS = 10_000;

interface Cached {
  readonly engine: Promise<Engine | null>;
  readonly until: number;
}

/** What a notify for a merchant that cannot be served answers, when no adapter of that gateway id was ever loaded. */
const NO_MERCHANT = { status: 404, contentType: "text/plain; charset=utf-8", body: "unknown merchant" } as const;

export class MerchantEngines implements PaybridgeOperations {
  readonly events: PaybridgeEvents;
  readonly store: OrderStore;
  readonly #options: ResolvedOptions;
  readonly #cache = new Map<string, Cached>();
  /** A gateway id's failure reply, learnt from any merchant's adapter: what an unservable notify answers. */
  readonly #failureReplies = new Map<string, NotifyReply>();
  #timer: NodeJS.Timeout | undefined;
  readonly #sweep: MerchantSweep;
  readonly #health: HealthService;

  constructor(options: ResolvedOptions, events: PaybridgeEvents) {
    this.#options = options;
    this.events = events;
    this.store = options.store;
    this.#health = new HealthService(options.store, () => []);
    this.#sweep = new MerchantSweep(options, (merchantId) => this.#engine(merchantId));
    if (options.sweepIntervalMs > 0) {
      this.#timer = setInterval(() => {
        this.sweepExpired().catch((error: unknown) => options.logger.error("expiry sweep failed", { err: error }));
      }, options.sweepIntervalMs);
      this.#timer.unref();
    }
  }

  /** Drops a merchant's cached setup: the next request for it asks `merchants` again. */
  invalidateMerchant(merchantId: string): void {
    this.#cache.delete(merchantId);
  }

  async create(request: CreateOrderRequest, req: unknown): Promise<CreateResult> {
    // Asked once, here: its merchantId says whose credentials create the order.
    const resolved = checkResolved(await this.#options.resolveOrder({ orderNo: request.orderNo, req }));
    if (!resolved) throw notFound();
    const merchantId = checkMerchantId(resolved.merchantId);
    return (await this.#required(merchantId)).create(request, req, resolved);
  }

  async status(orderNo: string, token: unknown): Promise<OrderStatusResponse> {
    // The token names the merchant; its engine verifies the token for that merchant's order only.
    const merchantId = tokenMerchant(token);
    if (!isMerchantId(merchantId)) throw notFound();
    const engine = await this.#engine(merchantId);
    if (!engine) throw notFound();
    return engine.status(orderNo, token);
  }

  /**
   * A notify at /notify/:gateway/:merchant, verified by that merchant's adapter only. One that
   * cannot be served (no such merchant, its setup failing) is kept in the inbox like any refusal.
   */
  async notify(gatewayId: string, merchantId: string | undefined, input: NotifyInput): Promise<NotifyReply> {
    if (!isMerchantId(merchantId)) return this.#unservable(gatewayId, merchantId, "unknown merchant", false, input);
    let engine: Engine | null;
    try {
      engine = await this.#engine(merchantId);
    } catch {
      // Logged where it failed; the gateway retries a 5xx (and the kept entry can be replayed).
      return this.#unservable(gatewayId, merchantId, "merchant not available", true, input);
    }
    if (!engine) return this.#unservable(gatewayId, merchantId, "unknown merchant", false, input);
    if (!engine.hasGateway(gatewayId)) return this.#unservable(gatewayId, merchantId, "merchant has no such gateway", false, input);
    return engine.notify(gatewayId, input);
  }

  /** A notify refused before verification (body faults): the gateway's reply when it is known; kept without its bytes. */
  rejectNotify(gatewayId: string, merchantId: string | undefined, reason: string, headers: NotifyInput["headers"] = {}): Promise<NotifyReply> {
    return this.#unservable(gatewayId, merchantId, reason, false, undefined, headers);
  }

  async refund(request: RefundRequest): Promise<RefundResult> {
    const merchantId = checkMerchantId(request.merchantId);
    return (await this.#required(merchantId)).refund(request);
  }

  /** The merchant's own day: its adapter's bill against its orders only (its scoped store). */
  async reconcile(request: ReconcileRequest): Promise<ReconcileResult> {
    return (await this.#required(checkMerchantId(request.merchantId))).reconcile(request);
  }

  async close(orderNo: string, merchantId?: string): Promise<CloseResult> {
    return (await this.#required(checkMerchantId(merchantId))).close(orderNo);
  }

  async order(orderNo: string, merchantId?: string): Promise<OrderView | null> {
    return (await this.#required(checkMerchantId(merchantId))).order(orderNo);
  }

  async queryOrder(orderNo: string, merchantId?: string): Promise<OrderQueryResult> {
    return (await this.#required(checkMerchantId(merchantId))).queryOrder(orderNo);
  }

  /** One page of the shared store's expired orders, each merchant its share (src/engine/merchant-sweep.ts). */
  sweepExpired(): Promise<SweepResult> {
    return this.#sweep.run();
  }

  /** The shared store answers (no merchant's gateways are listed: they load on demand). */
  health(options?: HealthOptions): Promise<HealthReport> {
    return this.#health.check(options);
  }

  /** A kept notify runs again with the keys of the merchant whose URL it came to. */
  async replay(notifyId: string): Promise<ReplayResult> {
    const entry = typeof notifyId === "string" ? await this.#options.store.inbox?.get(notifyId) : undefined;
    if (!entry?.merchantId) throw new PaybridgeError("invalid_request", "no notify of a merchant with that id in the inbox", { field: "id" });
    return (await this.#required(entry.merchantId)).replay(notifyId);
  }

  async listNotifies(query: NotifyQuery = {}): Promise<NotifyEntry[]> {
    return (await this.#options.store.inbox?.list(query)) ?? [];
  }

  stopSweeping(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  operations(): PaybridgeOperations & MerchantOperations {
    return {
      refund: (request) => this.refund(request),
      close: (orderNo, merchantId) => this.close(orderNo, merchantId),
      order: (orderNo, merchantId) => this.order(orderNo, merchantId),
      queryOrder: (orderNo, merchantId) => this.queryOrder(orderNo, merchantId),
      sweepExpired: () => this.sweepExpired(),
      stopSweeping: () => this.stopSweeping(),
      invalidateMerchant: (merchantId) => this.invalidateMerchant(merchantId),
      replay: (notifyId) => this.replay(notifyId),
      listNotifies: async (query) => (await this.#options.store.inbox?.list(query ?? {})) ?? [],
      health: (options) => this.health(options),
      reconcile: (request) => this.reconcile(request),
    };
  }

  async #required(merchantId: string): Promise<Engine> {
    const engine = await this.#engine(merchantId);
    if (!engine) throw notFound();
    return engine;
  }

  /** The merchant's engine (null: no such merchant); throws MerchantUnavailableError when its setup cannot be had. */
  #engine(merchantId: string): Promise<Engine | null> {
    const now = Date.now();
    const cached = this.#cache.get(merchantId);
    if (cached && cached.until > now) return cached.engine;
    const engine = this.#load(merchantId);
    const entry = { engine, until: now + this.#options.merchantCacheTtlMs };
    this.#cache.delete(merchantId);
    if (this.#cache.size >= MAX_CACHED_MERCHANTS) this.#cache.delete(this.#cache.keys().next().value as string);
    this.#cache.set(merchantId, entry);
    // A failure is not cached: the next request asks again.
    engine.catch(() => {
      if (this.#cache.get(merchantId) === entry) this.#cache.delete(merchantId);
    });
    return engine;
  }

  async #load(merchantId: string): Promise<Engine | null> {
    const options = this.#options;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`merchants did not answer within ${options.merchantTimeoutMs} ms`)), options.merchantTimeoutMs);
    });
    try {
      const setup = await Promise.race([Promise.resolve().then(() => options.merchants?.(merchantId)), timeout]);
      if (setup === null || setup === undefined) return null;
      const logger = tagLogger(options.logger, merchantId);
      const merchantOptions = validateOptions({
        ...options,
        merchants: undefined,
        gateways: setup.gateways,
        routing: setup.routing ?? options.routing,
        store: new ScopedOrderStore(options.store, merchantId),
        logger,
        // The merchant's own sweep is run by sweepExpired above, never by a timer per merchant.
        sweepIntervalMs: 0,
        onPaid: (payment, context) => options.onPaid({ ...payment, merchantId }, context),
        onRefunded: (refund, context) => options.onRefunded({ ...refund, merchantId }, context),
      });
      for (const adapter of merchantOptions.gateways) this.#failureReplies.set(adapter.id, adapter.notifyReply.failure);
      return new Engine(merchantOptions, { merchantId, events: this.events });
    } catch (error) {
      const described = error instanceof Error ? { error: error.name, reason: error.message } : { error: typeof error };
      options.logger.error("merchant setup failed", { merchantId, ...described, err: error });
      throw new MerchantUnavailableError(error);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Answers a notify no merchant's adapter verifies, and keeps it in the inbox (verdict
   * `rejected`, or `retry` when the merchant's setup failed), naming the merchant only when the
   * URL's segment is a valid merchant id, and kept only under a gateway id some merchant's adapter
   * has (never a made-up one): an entry is no larger and no cheaper to cause than a badly signed
   * notify at a real merchant's URL.
   */
  async #unservable(gatewayId: string, merchantId: string | undefined, reason: string, retry: boolean, input?: NotifyInput, headers?: NotifyInput["headers"]): Promise<NotifyReply> {
    const receivedAt = Date.now();
    const named = isMerchantId(merchantId) ? merchantId : undefined;
    const fields = { gateway: gatewayId, reason, ...(named === undefined ? {} : { merchantId: named }) };
    this.#options.logger.warn("notify rejected", fields);
    try {
      this.events.emit("notify.rejected", fields);
    } catch (error) {
      this.#options.logger.error("a listener of notify.rejected threw", { err: error });
    }
    const known = this.#failureReplies.get(gatewayId);
    if (known) {
      const outcome = { verdict: retry ? ("retry" as const) : ("rejected" as const), reason };
      const entry = notifyEntry({ id: newNotifyId(receivedAt), gateway: gatewayId, input, receivedAt, outcome, headers, merchantId: named });
      await keepNotify(this.#options.store.inbox, entry, (message, error, logged) => this.#options.logger.error(message, { ...logged, err: error }));
    }
    const failure = known ?? NO_MERCHANT;
    return { ...failure, status: retry ? 503 : clientErrorStatus(failure.status) };
  }
}

/** The logger of a merchant's engine: every line names the merchant. */
function tagLogger(logger: Logger, merchantId: string): Logger {
  const tag = (fields?: LogFields): LogFields => ({ merchantId, ...fields });
  return {
    info: (message, fields) => logger.info(message, tag(fields)),
    warn: (message, fields) => logger.warn(message, tag(fields)),
    error: (message, fields) => logger.error(message, tag(fields)),
  };
}
