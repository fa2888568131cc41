/**
 * `@paybridge/sandbox`: every gateway's wire protocol on loopback, for tests and the demo. Each
 * simulator implements its gateway from the documents on its own (sharing only the signer and
 * the money helpers with the adapters, through the public exports of @paybridge/server-middleware
 * and @paybridge/shared), so it catches an adapter's mistakes.
 */
import { EventEmitter } from "node:events";
import express, { type ErrorRequestHandler, type Express, type Request } from "express";
import { ConfigError } from "@paybridge/server-middleware";
import { BillBook, isBillMismatch, type BillMismatch } from "./bill-book.js";
import { billControlRouter, billFileRouter } from "./bill-routes.js";
import { controlRouter } from "./control.js";
import { SANDBOX_CREDENTIALS, SANDBOX_GATEWAY_IDS, isSandboxGatewayId, type SandboxCredentials, type SandboxGatewayId } from "./credentials.js";
import { FaultInjector } from "./faults.js";
import { fubeiSimulator } from "./simulators/fubei.js";
import { liankeSimulator } from "./simulators/lianke.js";
import { upaasSimulator } from "./simulators/upaas.js";
import { vbaoSimulator } from "./simulators/vbao.js";
import { xiangmaSimulator } from "./simulators/xiangma.js";
import { DEFAULT_RETRY_DELAYS_MS, isLoopbackUrl, Notifier, type SandboxEventMap, type SandboxLogger } from "./notifier.js";
import { renderPaymentPage } from "./page.js";
import { recoverParsedBody } from "./raw-body.js";
import { RefundDesk, refundControlRouter } from "./refund-desk.js";
import type { GatewaySimulator, SimulatorContext } from "./simulator.js";

export { SANDBOX_CREDENTIALS, SANDBOX_GATEWAY_IDS, type SandboxCredentials, type SandboxGatewayId } from "./credentials.js";
export { FAULT_KINDS, type FaultKind } from "./faults.js";
export { BILL_MISMATCHES, type BillMismatch } from "./bill-book.js";
export type { DeliveryResult, NotifyOutcomeEvent, NotifySentEvent, SandboxEventMap, SandboxLogger } from "./notifier.js";
export { sandboxAdapters, type SandboxAdapterOverrides } from "./adapters.js";

export interface SandboxOptions {
  /** Default SANDBOX_CREDENTIALS. */
  credentials?: SandboxCredentials | undefined;
  /**
   * Waits between notify deliveries (before attempt 2, 3, ...): one list for every gateway or
   * one per gateway. Defaults mirror the real schedules (lianke: 20 s ×10, then 30 min for 24 h).
   */
  notifyRetryDelaysMs?: readonly number[] | Partial<Record<SandboxGatewayId, readonly number[]>> | undefined;
  /** Per notify delivery; default 10 000. */
  notifyTimeoutMs?: number | undefined;
  /** Send notifies to hosts other than 127.0.0.0/8, localhost and ::1. Default false. */
  allowNonLoopbackNotify?: boolean | undefined;
  /**
   * The paybridge router this sandbox serves, as the URL its notify paths start with, e.g.
   * `http://127.0.0.1:3000/pay/notify/`. When set, a notify goes only to a URL under it (same
   * origin, path below it after normalisation): completing an order created with any other
   * notify URL is refused (403) and nothing is sent, so the sandbox cannot be made to POST to
   * another service on the host and hand back its answer. Set it wherever others can reach the sandbox (the demo does).
   */
  notifyBaseUrl?: string | undefined;
  logger?: SandboxLogger | undefined;
  /** Mismatches each gateway's bills carry from the start (bill-book.ts); `POST /control/bill-mismatch` changes them. */
  billMismatches?: Partial<Record<SandboxGatewayId, readonly BillMismatch[]>> | undefined;
}

export interface SandboxHandle {
  /** `notify.sent`, `notify.acknowledged`, `notify.gave-up`. */
  readonly events: EventEmitter<SandboxEventMap>;
  /** Stops pending notify retries and drops connections held by `timeout` faults. */
  close(): void;
}

export type Sandbox = Express & SandboxHandle;

function isDelayList(value: unknown): value is readonly number[] {
  return Array.isArray(value) && value.every((delay) => typeof delay === "number" && Number.isFinite(delay) && delay >= 0);
}

function checkOptions(options: SandboxOptions): void {
  const delays = options.notifyRetryDelaysMs;
  if (delays !== undefined && !isDelayList(delays)) {
    if (typeof delays !== "object" || delays === null || Array.isArray(delays)) {
      throw new ConfigError("notifyRetryDelaysMs", "must be a list of milliseconds, or one list per gateway");
    }
    for (const [gateway, list] of Object.entries(delays)) {
      if (!isSandboxGatewayId(gateway)) throw new ConfigError("notifyRetryDelaysMs", `unknown gateway ${gateway}`);
      if (!isDelayList(list)) throw new ConfigError(`notifyRetryDelaysMs.${gateway}`, "must be a list of milliseconds");
    }
  }
  if (options.notifyBaseUrl !== undefined) notifyBase(options.notifyBaseUrl);
  for (const [gateway, kinds] of Object.entries(options.billMismatches ?? {})) {
    if (!isSandboxGatewayId(gateway) || !Array.isArray(kinds) || !kinds.every(isBillMismatch)) throw new ConfigError(`billMismatches.${gateway}`, "must be a gateway's list of bill mismatch kinds");
  }
  const timeout = options.notifyTimeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new ConfigError("notifyTimeoutMs", "must be a positive number of milliseconds");
  }
}

/** The parsed notifyBaseUrl: an absolute http(s) URL without credentials, query or fragment. */
function notifyBase(value: unknown): URL {
  const url = typeof value === "string" && URL.canParse(value) ? new URL(value) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password || url.search || url.hash) {
    throw new ConfigError("notifyBaseUrl", "must be an absolute http(s) URL without credentials, query or fragment, e.g. http://127.0.0.1:3000/pay/notify/");
  }
  return url;
}

/** Whether `target` is under `base`: same origin, and its normalised path inside the base path. */
function isUnder(base: URL, target: string): boolean {
  if (!URL.canParse(target)) return false;
  const url = new URL(target);
  const basePath = base.pathname.endsWith("/") ? base.pathname : `${base.pathname}/`;
  return url.origin === base.origin && !url.username && !url.password && url.pathname.startsWith(basePath);
}

/** A client error's own 4xx (body parsers and Express set `status`), else 500. */
function errorStatus(error: unknown): number {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" && status >= 400 && status < 500 ? status : 500;
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  checkOptions(options);
  const credentials = options.credentials ?? SANDBOX_CREDENTIALS;
  const app = express();
  app.disable("x-powered-by");
  const events = new EventEmitter<SandboxEventMap>();
  const faults = new FaultInjector();
  const notifier = new Notifier({ events, timeoutMs: options.notifyTimeoutMs ?? 10_000, ...(options.logger ? { logger: options.logger } : {}) });

  // Absolute URLs handed out (pages, vbao's interfaceUrl) follow where the sandbox is mounted.
  const mountUrls = new WeakMap<Request, string>();
  const refunds = new RefundDesk();
  // Reads the simulators' order books when a bill is asked for (they are made below).
  const bills = new BillBook((gateway) => (simulators.get(gateway) as GatewaySimulator).orders, refunds, options.billMismatches);
  const context: SimulatorContext = { sandboxUrl: (req) => mountUrls.get(req) ?? `${req.protocol}://${req.get("host")}`, refunds, bills };
  app.use((req, res, next) => {
    // Also when mounted in an app that announces Express: the sandbox does not.
    res.removeHeader("X-Powered-By");
    mountUrls.set(req, `${req.protocol}://${req.get("host")}${req.baseUrl}`);
    next();
  });

  const simulators = new Map<SandboxGatewayId, GatewaySimulator>(
    [
      upaasSimulator(credentials.upaas, context),
      liankeSimulator(credentials.lianke),
      xiangmaSimulator(credentials.xiangma, context),
      fubeiSimulator(credentials.fubei, context),
      vbaoSimulator(credentials.vbao, context),
    ].map((simulator) => [simulator.id, simulator]),
  );

  const delays = options.notifyRetryDelaysMs;
  const retryDelaysFor = (simulator: GatewaySimulator): readonly number[] => {
    if (isDelayList(delays)) return delays;
    return delays?.[simulator.id] ?? simulator.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  };

  const base = options.notifyBaseUrl === undefined ? undefined : notifyBase(options.notifyBaseUrl);
  const allowNonLoopback = options.allowNonLoopbackNotify ?? false;
  const notifyRefusal = (url: string): string | undefined => {
    if (base) return isUnder(base, url) ? undefined : "the sandbox sends notifies only under its notifyBaseUrl";
    return allowNonLoopback || isLoopbackUrl(url) ? undefined : "the sandbox sends notifies to loopback hosts only (option allowNonLoopbackNotify)";
  };
  app.use("/control", controlRouter({ simulators, faults, notifier, retryDelaysFor, notifyRefusal }));

  // Refund outcomes and finishing a processing refund (with the gateway's refund notify, where it sends one).
  app.use(
    "/control",
    refundControlRouter(refunds, async (gateway, order, refund) => {
      const simulator = simulators.get(gateway) as GatewaySimulator;
      if (!simulator.refundNotify || order.notifyUrl === undefined) return null;
      if (notifyRefusal(order.notifyUrl) !== undefined) return null;
      return notifier.start({
        gateway,
        gatewayOrderNo: order.gatewayOrderNo,
        url: order.notifyUrl,
        message: simulator.refundNotify(order, refund),
        isAcknowledged: simulator.isAcknowledged,
        retryDelaysMs: retryDelaysFor(simulator),
      });
    }),
  );

  // The day's bills as console CSV files, and the switches that put mismatches in them.
  app.use("/control", billControlRouter(bills));
  app.use("/bills", billFileRouter(bills));

  app.get("/page/:gateway/:gatewayOrderNo", (req, res) => {
    const { gateway, gatewayOrderNo } = req.params;
    const order = isSandboxGatewayId(gateway) ? simulators.get(gateway)?.orders.byGatewayOrderNo(gatewayOrderNo) : undefined;
    if (!order) return void res.status(404).type("text/plain").send("No such sandbox order");
    res.type("html").send(renderPaymentPage({ gateway, order, sandboxUrl: context.sandboxUrl(req) }));
  });

  const recoverBody = recoverParsedBody(options.logger);
  for (const id of SANDBOX_GATEWAY_IDS) {
    const simulator = simulators.get(id) as GatewaySimulator;
    // Raw bodies: each simulator parses them itself, so even unreadable JSON gets its gateway's error shape.
    app.use(`/${id}`, faults.middleware(id), recoverBody, express.raw({ type: () => true, limit: "64kb" }), simulator.router);
  }

  // Last: every error answers JSON (never Express's HTML page with its stack and file paths),
  // and the log gets the error's name only (a body parser's error carries the request body).
  const onError: ErrorRequestHandler = (error: unknown, req, res, next) => {
    const status = errorStatus(error);
    options.logger?.warn("sandbox request failed", { method: req.method, path: req.path, status, error: error instanceof Error ? error.name : typeof error });
    if (res.headersSent) return next(error);
    res.status(status).json({ error: { message: status === 413 ? "body is larger than the limit" : status < 500 ? "bad request" : "internal error" } });
  };
  app.use(onError);

  return Object.assign(app, {
    events,
    close() {
      notifier.close();
      faults.close();
    },
  });
}
