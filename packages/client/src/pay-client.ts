import type { Channel, CreateOrderRequest, CreateOrderResponse, PayAction } from "@paybridge/shared";
import { confirmPaid, isPaid, paidNow } from "./confirm-paid.js";
import { detectEnvironment, type Environment } from "./environment.js";
import { PayError } from "./errors.js";
import type { PayGlobals } from "./globals.js";
import { IsolatedEmitter } from "./isolated-emitter.js";
import { assertLaunchable } from "./launchers/launchable.js";
import type { Launch, LaunchOutcome, LaunchSettings } from "./launchers/types.js";
import { clearPendingOrder, loadPendingOrder, type PendingOrder } from "./pending-order.js";
import { defaultRuntime } from "./runtimes/default.js";
import type { PayClientRuntime } from "./runtimes/types.js";
import { serverApi, type ServerApi } from "./server-api.js";
import type { Transport } from "./transports/types.js";
import { whenWalletSilent } from "./wallet-silence.js";

export interface PayClientOptions {
  /** Where the paybridge router is mounted, e.g. "/pay" or "https://shop.example.com/pay". */
  endpoint: string;
  /** HTTP for the whole client. Default: the runtime's (ky in the browser; `uni.request` / `Taro.request` / `wx.request` / `my.request` in the mini-program build). */
  transport?: Transport | undefined;
  /** How long `pay()` / `resume()` ask the server for the result, in all, before answering pending. Default 10 000. */
  confirmTimeoutMs?: number | undefined;
  /** How long a launched wallet may stay silent before the server is asked instead. Default 120 000. */
  launchTimeoutMs?: number | undefined;
  /** How long to wait for WeixinJSBridgeReady / AlipayJSBridgeReady. Default 5 000. */
  readyTimeoutMs?: number | undefined;
  /** The native page a WeChat mini-program web-view hands payment to (it may carry a query). Default "/pages/pay/index". */
  miniProgramPayPage?: string | undefined;
  /** How to leave for a payment page; default `location.assign`. */
  navigate?: ((url: string) => void) | undefined;
  /** Where bridges, globals and the user agent are read; default the window (in a mini-program, `wx` / `my`). */
  globals?: PayGlobals | undefined;
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

export type PayClientEvents = {
  created: (order: OrderCreatedEvent) => void;
  launched: (launch: { orderNo: string; channel: Channel; action: PayAction["type"] }) => void;
  paid: (result: PayResult) => void;
  cancelled: (result: PayResult) => void;
  pending: (result: PayResult) => void;
  failed: (error: PayError, orderNo: string) => void;
};

interface Run {
  orderNo: string;
  result: Promise<PayResult>;
  resume: boolean;
  stopped: boolean;
}

/** Refuses a channel this app cannot pay with, before any order exists. */
function refuseHere(channel: Channel, { kind }: Environment): void {
  if (channel === "alipay" && /^(wechat|wecom)/.test(kind)) {
    throw new PayError("open_in_browser", "Alipay cannot pay inside WeChat: open this page in a browser", { environment: kind });
  }
  if (channel === "wechat" && kind === "wecom") {
    throw new PayError("unsupported_channel", "WeCom cannot pay by WeChat JSAPI: open this page in WeChat", { environment: kind });
  }
}

/**
 * The paybridge client, one class wherever it runs: what differs between a browser and a
 * mini-program (globals, HTTP, launchers) is the runtime `createPayClient` passes (`runtimes/`).
 */
export class PayClient extends IsolatedEmitter<PayClientEvents> {
  private readonly _api: ServerApi;
  private readonly _confirmMs: number;
  private readonly _launchMs: number;
  private readonly _settings: LaunchSettings;
  private readonly _launcher: Launch;
  /** Status tokens of the orders this client created, for `check()`. */
  private readonly _known: { [orderNo: string]: PendingOrder } = {};
  private _run: Run | undefined;

  /** Prefer `createPayClient(options)`, which passes the runtime of its build (without one: `runtimes/default.ts`). */
  constructor(options: PayClientOptions, runtime: PayClientRuntime = defaultRuntime) {
    super();
    const globals = runtime.globals(options.globals);
    const {
      confirmTimeoutMs = 10000,
      launchTimeoutMs = 120000,
      readyTimeoutMs = 5000,
      miniProgramPayPage = "/pages/pay/index",
      navigate = (url) => globals.location && globals.location.assign(url),
    } = options;
    this._confirmMs = confirmTimeoutMs;
    this._launchMs = launchTimeoutMs;
    this._settings = { globals, readyTimeoutMs, miniProgramPayPage, navigate };
    this._launcher = runtime.launch;
    this._api = serverApi(options.endpoint, options.transport || runtime.transport(globals));
  }

  /**
   * Creates (or re-reads) the order on the server, launches the wallet and resolves with the
   * server-confirmed result: paid only when the server says so, pending when it has not by
   * `confirmTimeoutMs`, and pending at once after a redirect or a mini-program hand-off (then
   * `resume()` finishes on the page the payer comes back to). A cancel or a wallet failure is
   * believed only after the server, asked once, does not report the order paid. A second call
   * for the same order while one runs gets the same promise; one for another order rejects;
   * a `resume()` still running is stopped (it resolves pending) and its saved order forgotten.
   */
  pay(options: PayOptions): Promise<PayResult> {
    const run = this._run;
    if (run && run.resume) {
      run.stopped = true;
      this._run = undefined;
      clearPendingOrder();
    }
    return this._once(options.orderNo, false, () => this._pay(options));
  }

  /** On the page a redirect or hand-off returns to: confirms the saved order (saved at most 30 minutes ago); null when none is saved. */
  resume(): Promise<PayResult | null> {
    const pending = loadPendingOrder();
    return pending ? this._once(pending.orderNo, true, (run) => this._resume(pending, run)) : Promise.resolve(null);
  }

  /** Reads the server once for an order this page created (or saved for `resume()`); rejects `order_closed` for a closed or failed one. */
  async check(orderNo: string): Promise<PayResult> {
    const saved = loadPendingOrder();
    const order = this._known[orderNo] || (saved && saved.orderNo === orderNo ? saved : undefined);
    if (!order) throw new PayError("invalid_request", `no status token kept for order ${orderNo}`);
    const { status } = await this._api.orderStatus(order.orderNo, order.statusToken);
    if (status === "closed" || status === "failed") throw new PayError("order_closed", `order ${orderNo} is ${status}`);
    if (isPaid(status) && saved && saved.orderNo === orderNo) clearPendingOrder();
    return this._settle(isPaid(status) ? "paid" : "pending", order);
  }

  private _once(orderNo: string, resume: boolean, start: (run: Run) => Promise<PayResult>): Promise<PayResult> {
    const running = this._run;
    if (running) {
      return running.orderNo === orderNo && !resume
        ? running.result
        : Promise.reject(new PayError("invalid_request", `order ${running.orderNo} is being paid`));
    }
    const run = { orderNo, resume, stopped: false } as Run;
    // Started after a tick so _run is set before anything can settle.
    run.result = Promise.resolve(run)
      .then(start)
      .then(
        (result) => {
          if (this._run === run) this._run = undefined;
          return result;
        },
        (error: unknown) => {
          if (this._run === run) this._run = undefined;
          const payError = error instanceof PayError ? error : new PayError("internal", String(error), { cause: error });
          this.emit("failed", payError, orderNo);
          throw payError;
        },
      );
    this._run = run;
    return run.result;
  }

  private async _pay(options: PayOptions): Promise<PayResult> {
    const environment = detectEnvironment(this._settings.globals);
    const channel = options.channel || environment.channel;
    if (!channel) throw new PayError("unsupported_channel", "no wallet on this page: pass a channel", { environment: environment.kind });
    refuseHere(channel, environment);
    // The detected scene belongs to the detected channel only.
    const scene = options.scene || (channel === environment.channel ? environment.scene : undefined);
    const order = await this._api.createOrder({ ...options, channel, scene });
    const { statusToken, ...created } = order;
    const pending: PendingOrder = { orderNo: order.orderNo, statusToken, channel: order.channel };
    this._known[order.orderNo] = pending;
    this.emit("created", created);
    if (isPaid(order.status)) return this._settle("paid", order);
    const { action } = order;
    if (!action) throw new PayError("internal", `no action for order ${order.orderNo}`, { body: created });
    assertLaunchable(action);
    this.emit("launched", { orderNo: order.orderNo, channel: order.channel, action: action.type });
    const outcome = await this._launch(pending, action, environment);
    if (outcome === "handed-off") return this._settle("pending", order);
    if (outcome === "cancelled") return this._settle((await paidNow(this._api, pending, this._confirmMs)) ? "paid" : "cancelled", order);
    return this._confirm(pending);
  }

  /** Launches the wallet; a silent one (the page came back, or the launch deadline passed) means: ask the server. */
  private async _launch(order: PendingOrder, action: PayAction, environment: Environment): Promise<LaunchOutcome | "silent"> {
    const watch = whenWalletSilent(this._settings.globals, this._launchMs);
    try {
      return await Promise.race([this._launcher({ ...this._settings, action, order }, environment), watch.silent.then(() => "silent" as const)]);
    } catch (error) {
      // A wallet's failure is believed only if the server does not report the order paid.
      if (error instanceof PayError && error.code === "bridge_failed" && (await paidNow(this._api, order, this._confirmMs))) return "confirm";
      throw error;
    } finally {
      watch.stop();
    }
  }

  private async _resume(pending: PendingOrder, run: Run): Promise<PayResult> {
    try {
      const result = await this._confirm(pending, () => run.stopped);
      if (result.status === "paid") clearPendingOrder();
      return result;
    } catch (error) {
      // The order is settled otherwise (closed, unknown): nothing is left to resume.
      if (!(error instanceof PayError && error.code === "network_error")) clearPendingOrder();
      throw error;
    }
  }

  private async _confirm(order: PendingOrder, stopped?: () => boolean): Promise<PayResult> {
    this._known[order.orderNo] = order;
    return this._settle(await confirmPaid(this._api, order, this._confirmMs, stopped), order);
  }

  private _settle(status: PayResult["status"], order: { orderNo: string; channel: Channel }): PayResult {
    const result: PayResult = { status, orderNo: order.orderNo, channel: order.channel };
    this.emit(status, result);
    return result;
  }
}
