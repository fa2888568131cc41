import { EventEmitter } from "eventemitter3";
import type { Channel, CreateOrderRequest, CreateOrderResponse, PayAction } from "@paybridge/shared";
import { isPaidStatus } from "@paybridge/shared";
import { serverApi, type ServerApi } from "./api.js";
import { confirmPaid } from "./confirm.js";
import { detectEnvironment } from "./environment.js";
import { PayError } from "./errors.js";
import { assertLaunchable, launch } from "./launchers/index.js";
import type { LaunchSettings } from "./launchers/types.js";
import { clearPendingOrder, loadPendingOrder, type PendingOrder } from "./pending-order.js";
import { defaultGlobals, type PayGlobals } from "./platform.js";
import type { Transport } from "./transport.js";
import { kyTransport } from "./transports/ky.js";

export interface PayClientOptions {
  /** Where the paybridge router is mounted, e.g. "/pay" or "https://shop.example.com/pay". */
  endpoint: string;
  /** HTTP for the whole client; default ky. In a mini-program pass `wxTransport()` / `myTransport()`. */
  transport?: Transport;
  /** The fetch ky uses when no transport is given (tests, odd environments). */
  fetch?: typeof fetch;
  /** How long `pay()` / `resume()` ask the server for the result before answering pending. Default 10 000. */
  confirmTimeoutMs?: number;
  /** How long to wait for WeixinJSBridgeReady / AlipayJSBridgeReady. Default 5 000. */
  readyTimeoutMs?: number;
  /** The native page a WeChat mini-program web-view hands payment to. Default "/pages/pay/index" (the example's page). */
  miniProgramPayPage?: string;
  /** How to leave for a payment page; default `location.assign`. */
  navigate?: (url: string) => void;
  /** Where bridges, globals and the user agent are read; default `globalThis`. */
  globals?: PayGlobals;
}

/** `channel` and `scene` are detected when not given. The amount is always the server's. */
export type PayOptions = CreateOrderRequest;

export interface PayResult {
  status: "paid" | "cancelled" | "pending";
  orderNo: string;
  channel: Channel;
}

/** The `created` event: the server's order, without its status token. */
export type OrderCreatedEvent = Omit<CreateOrderResponse, "statusToken">;

export interface PayClientEvents {
  created: (order: OrderCreatedEvent) => void;
  launched: (launch: { orderNo: string; channel: Channel; action: PayAction["type"] }) => void;
  paid: (result: PayResult) => void;
  cancelled: (result: PayResult) => void;
  pending: (result: PayResult) => void;
  failed: (error: PayError, orderNo: string) => void;
}

export class PayClient extends EventEmitter<PayClientEvents> {
  readonly #api: ServerApi;
  readonly #confirmTimeoutMs: number;
  readonly #launchSettings: LaunchSettings;
  #running: { orderNo: string; result: Promise<PayResult> } | undefined;

  constructor(options: PayClientOptions) {
    super();
    const {
      globals = defaultGlobals(),
      confirmTimeoutMs = 10_000,
      readyTimeoutMs = 5_000,
      miniProgramPayPage = "/pages/pay/index",
      navigate = (url) => globals.location?.assign(url),
    } = options;
    this.#confirmTimeoutMs = confirmTimeoutMs;
    this.#launchSettings = { globals, readyTimeoutMs, miniProgramPayPage, navigate };
    this.#api = serverApi(options.endpoint, options.transport ?? kyTransport({ fetch: options.fetch }));
  }

  /**
   * Creates (or re-reads) the order on the server, launches the wallet and resolves with the
   * server-confirmed result: paid only when the server says so, pending when it has not by
   * `confirmTimeoutMs`, and pending at once after a redirect or a mini-program hand-off (then
   * `resume()` finishes on the page the payer comes back to). A second call for the same order
   * while one runs gets the same promise; one for another order rejects.
   */
  pay(options: PayOptions): Promise<PayResult> {
    return this.#once(options.orderNo, () => this.#pay(options));
  }

  /** On the page a redirect or hand-off returns to: confirms the saved order; null when none is saved. */
  resume(): Promise<PayResult | null> {
    const pending = loadPendingOrder();
    return pending ? this.#once(pending.orderNo, () => this.#resume(pending)) : Promise.resolve(null);
  }

  #once(orderNo: string, run: () => Promise<PayResult>): Promise<PayResult> {
    if (this.#running) {
      return this.#running.orderNo === orderNo
        ? this.#running.result
        : Promise.reject(new PayError("invalid_request", `order ${this.#running.orderNo} is being paid`));
    }
    // Started after a tick so #running is set before anything can settle.
    const result = Promise.resolve()
      .then(run)
      .catch((error: unknown) => {
        const payError = error instanceof PayError ? error : new PayError("internal", String(error), { cause: error });
        this.emit("failed", payError, orderNo);
        throw payError;
      })
      .finally(() => {
        this.#running = undefined;
      });
    this.#running = { orderNo, result };
    return result;
  }

  async #pay(options: PayOptions): Promise<PayResult> {
    const environment = detectEnvironment(this.#launchSettings.globals);
    const requestedChannel = options.channel ?? environment.channel;
    if (!requestedChannel) throw new PayError("unsupported_channel", "no wallet on this page: pass a channel");
    const order = await this.#api.createOrder({ ...options, channel: requestedChannel, scene: options.scene ?? environment.scene });
    const { statusToken, ...created } = order;
    this.emit("created", created);
    if (isPaidStatus(order.status)) return this.#settle("paid", order);
    const { orderNo, channel, action } = order;
    if (!action) throw new PayError("internal", `no action for order ${orderNo}`, { body: created });
    assertLaunchable(action);
    this.emit("launched", { orderNo, channel, action: action.type });
    const pending: PendingOrder = { orderNo, statusToken, channel };
    const outcome = await launch({ ...this.#launchSettings, action, order: pending }, environment);
    if (outcome === "confirm") return this.#confirm(pending);
    return this.#settle(outcome === "cancelled" ? "cancelled" : "pending", order);
  }

  async #resume(pending: PendingOrder): Promise<PayResult> {
    try {
      const result = await this.#confirm(pending);
      if (result.status === "paid") clearPendingOrder();
      return result;
    } catch (error) {
      // The order is settled otherwise (closed, unknown): nothing is left to resume.
      if (!(error instanceof PayError && error.code === "network_error")) clearPendingOrder();
      throw error;
    }
  }

  async #confirm(order: PendingOrder): Promise<PayResult> {
    const status = await confirmPaid(this.#api, order.orderNo, order.statusToken, this.#confirmTimeoutMs);
    return this.#settle(status, order);
  }

  #settle(status: PayResult["status"], order: { orderNo: string; channel: Channel }): PayResult {
    const result: PayResult = { status, orderNo: order.orderNo, channel: order.channel };
    this.emit(status, result);
    return result;
  }
}

export function createPayClient(options: PayClientOptions): PayClient {
  return new PayClient(options);
}
