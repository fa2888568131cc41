/**
 * The engine: every service built once by its constructor from the one context, in the order
 * they depend on each other. Hosts (src/http/core.ts, and through it the Express router and the
 * web handler) call only this.
 */
import type { CreateOrderRequest, OrderStatusResponse } from "@paybridge/shared";
import type { ResolvedOptions } from "../config/options.js";
import type { NotifyInput, NotifyReply } from "../gateways/contract.js";
import type { NotifyEntry, NotifyQuery, OrderStore } from "../store/contract.js";
import type { CloseResult, HealthOptions, HealthReport, ResolvedOrder, PaybridgeEvents, PaybridgeOperations, ReconcileRequest, ReconcileResult, RefundRequest, RefundResult, ReplayResult, SweepResult } from "../types.js";
import { CloseService } from "./close.js";
import { createContext, type EngineScope } from "./context.js";
import { CreateService, type CreateResult } from "./create.js";
import { Expiry, type ListedSweep } from "./expiry.js";
import { HealthService } from "./health.js";
import { OrderLookup } from "./lookup.js";
import { NotifyService } from "./notify.js";
import { ReconcileService } from "./reconcile/service.js";
import { RefundService } from "./refunds/service.js";
import { StatusService } from "./status.js";
import type { OrderQueryResult, OrderView } from "../types.js";

export type { CreateResult } from "./create.js";

export class Engine implements PaybridgeOperations {
  readonly events: PaybridgeEvents;
  readonly store: OrderStore;
  readonly #creates: CreateService;
  readonly #statuses: StatusService;
  readonly #notifies: NotifyService;
  readonly #refunds: RefundService;
  readonly #closer: CloseService;
  readonly #expiry: Expiry;
  readonly #health: HealthService;
  readonly #lookup: OrderLookup;
  readonly #reconciler: ReconcileService;

  /** `scope`: with several merchants, the merchant this engine serves (src/engine/merchants/). */
  constructor(options: ResolvedOptions, scope?: EngineScope) {
    const ctx = createContext(options, scope);
    this.events = ctx.events;
    this.store = options.store;
    this.#closer = new CloseService(ctx);
    this.#expiry = new Expiry(ctx, this.#closer);
    this.#refunds = new RefundService(ctx);
    this.#creates = new CreateService(ctx, this.#expiry);
    this.#statuses = new StatusService(ctx, this.#expiry);
    this.#notifies = new NotifyService(ctx, this.#refunds);
    this.#health = new HealthService(options.store, () => [...ctx.adapters.keys()]);
    this.#lookup = new OrderLookup(ctx);
    this.#reconciler = new ReconcileService(ctx);
    this.#expiry.start(options.sweepIntervalMs);
  }

  create(request: CreateOrderRequest, req: unknown, resolved?: ResolvedOrder | null): Promise<CreateResult> {
    return this.#creates.create(request, req, resolved);
  }

  status(orderNo: string, token: unknown): Promise<OrderStatusResponse> {
    return this.#statuses.status(orderNo, token);
  }

  hasGateway(id: string): boolean {
    return this.#notifies.hasGateway(id);
  }

  notify(gatewayId: string, input: NotifyInput): Promise<NotifyReply> {
    return this.#notifies.notify(gatewayId, input);
  }

  /** The gateway's failure reply, for a notify refused before it reached verification (kept in the inbox without its bytes). */
  refuseNotify(gatewayId: string, reason: string, headers: NotifyInput["headers"]): Promise<NotifyReply> {
    return this.#notifies.refuse(gatewayId, reason, headers);
  }

  replay(notifyId: string): Promise<ReplayResult> {
    return this.#notifies.replay(notifyId);
  }

  async listNotifies(query: NotifyQuery = {}): Promise<NotifyEntry[]> {
    return (await this.store.inbox?.list(query)) ?? [];
  }

  refund(request: RefundRequest): Promise<RefundResult> {
    return this.#refunds.refund(request);
  }

  close(orderNo: string): Promise<CloseResult> {
    return this.#closer.close(orderNo);
  }

  order(orderNo: string): Promise<OrderView | null> {
    return this.#lookup.order(orderNo);
  }

  queryOrder(orderNo: string): Promise<OrderQueryResult> {
    return this.#lookup.queryOrder(orderNo);
  }

  sweepExpired(): Promise<SweepResult> {
    return this.#expiry.sweep();
  }

  /** Closes the expired ones of these orders (a sweep across merchants hands each merchant its share). */
  sweepListed(orderNos: readonly string[], deadline: number): Promise<ListedSweep> {
    return this.#expiry.closeListed(orderNos, deadline);
  }

  stopSweeping(): void {
    this.#expiry.stop();
  }

  health(options?: HealthOptions): Promise<HealthReport> {
    return this.#health.check(options);
  }

  reconcile(request: ReconcileRequest): Promise<ReconcileResult> {
    return this.#reconciler.reconcile(request);
  }

  /** The server-side operations as plain functions, for a host to expose on itself. */
  operations(): PaybridgeOperations {
    return {
      refund: (request) => this.refund(request),
      close: (orderNo) => this.close(orderNo),
      order: (orderNo) => this.order(orderNo),
      queryOrder: (orderNo) => this.queryOrder(orderNo),
      sweepExpired: () => this.sweepExpired(),
      stopSweeping: () => this.stopSweeping(),
      replay: (notifyId) => this.replay(notifyId),
      listNotifies: (query) => this.listNotifies(query),
      health: (options) => this.health(options),
      reconcile: (request) => this.reconcile(request),
    };
  }
}
