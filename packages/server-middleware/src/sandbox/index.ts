/**
 * `@paybridge/server-middleware/sandbox`: every gateway's wire protocol on loopback, for tests
 * and the demo. Each simulator implements its gateway from the documents on its own (sharing
 * only signing.ts and the money helpers with the adapters), so it catches an adapter's mistakes.
 */
import { EventEmitter } from "node:events";
import express, { type Express, type Request } from "express";
import { ConfigError } from "../errors.js";
import { controlRouter } from "./control.js";
import { SANDBOX_CREDENTIALS, SANDBOX_GATEWAY_IDS, isSandboxGatewayId, type SandboxCredentials, type SandboxGatewayId } from "./credentials.js";
import { FaultInjector } from "./faults.js";
import { fubeiSimulator } from "./gateways/fubei.js";
import { liankeSimulator } from "./gateways/lianke.js";
import { upaasSimulator } from "./gateways/upaas.js";
import { vbaoSimulator } from "./gateways/vbao.js";
import { xiangmaSimulator } from "./gateways/xiangma.js";
import { DEFAULT_RETRY_DELAYS_MS, Notifier, type SandboxEventMap, type SandboxLogger } from "./notifier.js";
import { renderPaymentPage } from "./page.js";
import { recoverParsedBody } from "./raw-body.js";
import type { GatewaySimulator, SimulatorContext } from "./simulator.js";

export { SANDBOX_CREDENTIALS, SANDBOX_GATEWAY_IDS, type SandboxCredentials, type SandboxGatewayId } from "./credentials.js";
export { FAULT_KINDS, type FaultKind } from "./faults.js";
export type { DeliveryResult, NotifyOutcomeEvent, NotifySentEvent, SandboxEventMap, SandboxLogger } from "./notifier.js";
export { sandboxAdapters, type SandboxAdapterOverrides } from "./adapters.js";

export interface SandboxOptions {
  /** Default SANDBOX_CREDENTIALS. */
  credentials?: SandboxCredentials;
  /**
   * Waits between notify deliveries (before attempt 2, 3, ...): one list for every gateway or
   * one per gateway. Defaults mirror the real schedules (lianke: 20 s ×10, then 30 min for 24 h).
   */
  notifyRetryDelaysMs?: readonly number[] | Partial<Record<SandboxGatewayId, readonly number[]>>;
  /** Per notify delivery; default 10 000. */
  notifyTimeoutMs?: number;
  /** Send notifies to hosts other than 127.0.0.0/8, localhost and ::1. Default false. */
  allowNonLoopbackNotify?: boolean;
  logger?: SandboxLogger;
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
  const timeout = options.notifyTimeoutMs;
  if (timeout !== undefined && !(Number.isFinite(timeout) && timeout > 0)) {
    throw new ConfigError("notifyTimeoutMs", "must be a positive number of milliseconds");
  }
}

export function createSandbox(options: SandboxOptions = {}): Sandbox {
  checkOptions(options);
  const credentials = options.credentials ?? SANDBOX_CREDENTIALS;
  const app = express();
  const events = new EventEmitter<SandboxEventMap>();
  const faults = new FaultInjector();
  const notifier = new Notifier({ events, timeoutMs: options.notifyTimeoutMs ?? 10_000, ...(options.logger ? { logger: options.logger } : {}) });

  // Absolute URLs handed out (pages, vbao's interfaceUrl) follow where the sandbox is mounted.
  const mountUrls = new WeakMap<Request, string>();
  const context: SimulatorContext = { sandboxUrl: (req) => mountUrls.get(req) ?? `${req.protocol}://${req.get("host")}` };
  app.use((req, _res, next) => {
    mountUrls.set(req, `${req.protocol}://${req.get("host")}${req.baseUrl}`);
    next();
  });

  const simulators = new Map<SandboxGatewayId, GatewaySimulator>(
    [
      upaasSimulator(credentials.upaas, context),
      liankeSimulator(credentials.lianke),
      xiangmaSimulator(credentials.xiangma, context),
      fubeiSimulator(credentials.fubei),
      vbaoSimulator(credentials.vbao, context),
    ].map((simulator) => [simulator.id, simulator]),
  );

  const delays = options.notifyRetryDelaysMs;
  const retryDelaysFor = (simulator: GatewaySimulator): readonly number[] => {
    if (isDelayList(delays)) return delays;
    return delays?.[simulator.id] ?? simulator.retryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS;
  };

  app.use(
    "/control",
    controlRouter({ simulators, faults, notifier, retryDelaysFor, allowNonLoopbackNotify: options.allowNonLoopbackNotify ?? false }),
  );

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

  return Object.assign(app, {
    events,
    close() {
      notifier.close();
      faults.close();
    },
  });
}
