/**
 * The options of `paybridge(options)`, and their validation at start-up: a mistake in
 * configuration throws ConfigError naming the option, before the first payer meets it.
 */
import type { Request as ExpressRequest } from "express";
import { CHANNELS, isChannel, isScene, type Channel, type Scene } from "@paybridge/shared";
import { ConfigError } from "./errors.js";
import type { GatewayAdapter } from "./gateways/types.js";
import { toLogger } from "./logger.js";
import type { Refund } from "./refunds.js";
import { MemoryOrderStore } from "./store/memory.js";
import type { OrderStore } from "./store/types.js";

/** What the merchant's `resolveOrder` is asked about: the order number the browser posted. */
export interface ResolveOrderInput<Req = ExpressRequest> {
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
}

/** A confirmed payment, as the merchant's `onPaid` receives it. */
export interface Payment {
  orderNo: string;
  amountFen: number;
  /** The id of the gateway that took the money. */
  gateway: string;
  gatewayOrderNo?: string;
  channel: Channel;
  /** ISO 8601. */
  paidAt: string;
  attach?: string;
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

export interface PaybridgeOptions<Req = ExpressRequest> {
  /** The configured gateway adapters (`upaas({...})`, ...); at least one, ids unique. */
  gateways: readonly GatewayAdapter[];
  /**
   * Which gateway serves a channel: `{ wechat: "fubei", alipay: "upaas" }` (each entry must
   * name a configured gateway that supports that channel), or a function of the order.
   */
  routing: Routing;
  /** Absolute http(s) URL where this router is reachable; notify URL = publicUrl + "/notify/" + id. */
  publicUrl: string;
  /** Looks the order up in the merchant's system; null when there is no such payable order (→ 404). */
  resolveOrder: (input: ResolveOrderInput<Req>) => ResolvedOrder | null | Promise<ResolvedOrder | null>;
  /** Fulfils a paid order. Runs once per order; if it throws, the notify is answered with failure and it runs again on the gateway's retry. */
  onPaid: (payment: Payment) => void | Promise<void>;
  /** Runs once per refund that succeeded (router.refund, a refund notify). If it throws, the next refund call or notify for that refund runs it again. */
  onRefunded?: ((refund: Refund) => void | Promise<void>) | undefined;
  /** A pending order older than this many ms is closed on its next touch and by router.sweepExpired(). Default 2 hours. */
  expireAfterMs?: number | undefined;
  /** Runs router.sweepExpired() every this many ms on an unref'd timer. Default 0: off (call it yourself). */
  sweepIntervalMs?: number | undefined;
  /** Signs the status tokens; at least 32 characters, kept on the server. */
  statusTokenSecret: string;
  /** Where orders live. Default: a new MemoryOrderStore (one process only; use RedisOrderStore for several). */
  store?: OrderStore | undefined;
  /** Default: warn and error as one JSON line each on stderr; info dropped. */
  logger?: Logger | undefined;
  /** Milliseconds allowed per outbound gateway request. Default 10 000. */
  timeoutMs?: number | undefined;
  /** The status route asks the gateway's query API at most once per this many ms per order. Default 5 000. */
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
   * How long one run of onPaid holds an order before another may run it again (its process is
   * taken for dead). Default 60 000. Past it a gateway's retry starts a second run while a slow
   * first one may still be going: onPaid must be idempotent by orderNo (see README).
   */
  fulfilmentLeaseMs?: number | undefined;
  /** The most a gateway's answer may be, in bytes (read no further; the request fails with 502). Default 1 MiB. */
  maxGatewayResponseBytes?: number | undefined;
}

/** Options with every default filled in, as the router and the order service use them. */
export type ResolvedOptions<Req = ExpressRequest> = Required<PaybridgeOptions<Req>>;

export const DEFAULTS = {
  timeoutMs: 10_000,
  queryIntervalMs: 5_000,
  defaultChannel: "wechat",
  bodyLimit: 16 * 1024,
  statusTokenTtlMs: 24 * 60 * 60 * 1000,
  fulfilmentLeaseMs: 60_000,
  maxGatewayResponseBytes: 1024 * 1024,
  expireAfterMs: 2 * 60 * 60 * 1000,
  sweepIntervalMs: 0,
} as const satisfies Partial<PaybridgeOptions>;

/** One JSON line per warning or error on stderr. */
export const defaultLogger: Logger = {
  info: () => {},
  warn: (message, fields) => writeLine("warn", message, fields),
  error: (message, fields) => writeLine("error", message, fields),
};

function writeLine(level: string, message: string, fields: LogFields | undefined): void {
  // The Error itself stays out of the line: its name and message are fields already.
  const { err: _err, ...rest } = fields ?? {};
  process.stderr.write(`${JSON.stringify({ level, time: new Date().toISOString(), message, ...rest })}\n`);
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === "function";

/** Throws ConfigError naming the first option that is wrong; returns the options with defaults. */
export function validateOptions<Req>(options: PaybridgeOptions<Req>): ResolvedOptions<Req> {
  if (!isObject(options)) throw new ConfigError("options", "must be an object");
  const gateways = validateGateways(options.gateways);
  validateRouting(options.routing, gateways);
  validatePublicUrl(options.publicUrl);
  if (typeof options.statusTokenSecret !== "string" || options.statusTokenSecret.length < 32) {
    throw new ConfigError("statusTokenSecret", "must be a string of at least 32 characters");
  }
  for (const hook of ["resolveOrder", "onPaid"] as const) {
    if (!isFunction(options[hook])) throw new ConfigError(hook, "must be a function");
  }
  if (options.onRefunded !== undefined && !isFunction(options.onRefunded)) throw new ConfigError("onRefunded", "must be a function");
  if (options.expireAfterMs !== undefined && !(Number.isSafeInteger(options.expireAfterMs) && options.expireAfterMs > 0)) {
    throw new ConfigError("expireAfterMs", "must be a positive whole number of ms");
  }
  if (options.sweepIntervalMs !== undefined && !(Number.isSafeInteger(options.sweepIntervalMs) && options.sweepIntervalMs >= 0)) {
    throw new ConfigError("sweepIntervalMs", "must be a whole number of ms (0 = no timer)");
  }
  if (options.store !== undefined) requireMethods("store", options.store, ["get", "insert", "compareAndSet", "compareAndDelete"]);
  if (options.logger !== undefined) requireMethods("logger", options.logger, ["info", "warn", "error"]);
  for (const name of ["timeoutMs", "queryIntervalMs", "bodyLimit", "statusTokenTtlMs", "fulfilmentLeaseMs", "maxGatewayResponseBytes"] as const) {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
      throw new ConfigError(name, "must be a positive whole number");
    }
  }
  if (options.defaultChannel !== undefined && !isChannel(options.defaultChannel)) {
    throw new ConfigError("defaultChannel", `must be one of ${CHANNELS.join(", ")}`);
  }
  // The default too: a create request naming no channel must find a gateway.
  const defaultChannel = options.defaultChannel ?? DEFAULTS.defaultChannel;
  if (!isFunction(options.routing) && options.routing[defaultChannel] === undefined) {
    const given = options.defaultChannel !== undefined ? `"${defaultChannel}"` : `"${defaultChannel}" (the default)`;
    throw new ConfigError("defaultChannel", `${given} has no gateway in \`routing\`; route it or set defaultChannel to a routed channel`);
  }
  return {
    gateways,
    routing: options.routing,
    publicUrl: options.publicUrl.replace(/\/+$/, ""),
    resolveOrder: options.resolveOrder,
    onPaid: options.onPaid,
    onRefunded: options.onRefunded ?? (() => {}),
    expireAfterMs: options.expireAfterMs ?? DEFAULTS.expireAfterMs,
    sweepIntervalMs: options.sweepIntervalMs ?? DEFAULTS.sweepIntervalMs,
    statusTokenSecret: options.statusTokenSecret,
    store: options.store ?? new MemoryOrderStore(),
    logger: options.logger ? toLogger(options.logger) : defaultLogger,
    timeoutMs: options.timeoutMs ?? DEFAULTS.timeoutMs,
    queryIntervalMs: options.queryIntervalMs ?? DEFAULTS.queryIntervalMs,
    defaultChannel,
    bodyLimit: options.bodyLimit ?? DEFAULTS.bodyLimit,
    statusTokenTtlMs: options.statusTokenTtlMs ?? DEFAULTS.statusTokenTtlMs,
    fulfilmentLeaseMs: options.fulfilmentLeaseMs ?? DEFAULTS.fulfilmentLeaseMs,
    maxGatewayResponseBytes: options.maxGatewayResponseBytes ?? DEFAULTS.maxGatewayResponseBytes,
  };
}

function requireMethods(option: string, value: unknown, methods: readonly string[]): void {
  if (!isObject(value)) throw new ConfigError(option, "must be an object");
  for (const method of methods) {
    if (!isFunction(value[method])) throw new ConfigError(`${option}.${method}`, "must be a function");
  }
}

function validateGateways(gateways: unknown): readonly GatewayAdapter[] {
  if (!Array.isArray(gateways) || gateways.length === 0) {
    throw new ConfigError("gateways", "must be a non-empty array of gateway adapters");
  }
  const seen = new Set<string>();
  gateways.forEach((adapter: unknown, index) => {
    const option = `gateways[${index}]`;
    if (!isObject(adapter)) throw new ConfigError(option, "must be a gateway adapter (e.g. upaas({...}))");
    // The id is a path segment of the notify URL.
    if (typeof adapter.id !== "string" || !/^[A-Za-z0-9_-]{1,32}$/.test(adapter.id)) {
      throw new ConfigError(`${option}.id`, "must be 1-32 letters, digits, _ or -");
    }
    if (seen.has(adapter.id)) throw new ConfigError(`${option}.id`, `duplicates gateway id "${adapter.id}"`);
    seen.add(adapter.id);
    validateSupports(`${option}.supports`, adapter.supports);
    requireMethods(option, adapter, ["createOrder", "verifyNotify"]);
    if (adapter.queryOrder !== undefined && !isFunction(adapter.queryOrder)) {
      throw new ConfigError(`${option}.queryOrder`, "must be a function when present");
    }
    const replies = adapter.notifyReply;
    if (!isObject(replies)) throw new ConfigError(`${option}.notifyReply`, "must have `success` and `failure` replies");
    for (const kind of ["success", "failure"] as const) {
      const reply = replies[kind];
      if (!isObject(reply) || !Number.isInteger(reply.status) || typeof reply.contentType !== "string" || typeof reply.body !== "string") {
        throw new ConfigError(`${option}.notifyReply.${kind}`, "must be { status, contentType, body }");
      }
    }
  });
  return gateways as readonly GatewayAdapter[];
}

function validateSupports(option: string, supports: unknown): void {
  if (!isObject(supports)) throw new ConfigError(option, "must map channels to scenes");
  const channels = Object.keys(supports);
  if (channels.length === 0) throw new ConfigError(option, "must support at least one channel");
  for (const channel of channels) {
    const scenes = supports[channel];
    if (!isChannel(channel)) throw new ConfigError(`${option}.${channel}`, `is not a channel (${CHANNELS.join(", ")})`);
    if (!Array.isArray(scenes) || scenes.length === 0 || !scenes.every(isScene)) {
      throw new ConfigError(`${option}.${channel}`, "must be a non-empty array of scenes (jsapi, mini, h5)");
    }
  }
}

function validateRouting(routing: unknown, gateways: readonly GatewayAdapter[]): void {
  if (isFunction(routing)) return;
  if (!isObject(routing)) throw new ConfigError("routing", "must map channels to gateway ids, or be a function");
  const entries = Object.entries(routing);
  if (entries.length === 0) throw new ConfigError("routing", "must route at least one channel");
  for (const [channel, gatewayId] of entries) {
    if (!isChannel(channel)) throw new ConfigError(`routing.${channel}`, `is not a channel (${CHANNELS.join(", ")})`);
    const adapter = gateways.find((candidate) => candidate.id === gatewayId);
    if (!adapter) throw new ConfigError(`routing.${channel}`, `names no configured gateway (${gateways.map((g) => g.id).join(", ")})`);
    if (!adapter.supports[channel]?.length) throw new ConfigError(`routing.${channel}`, `gateway "${adapter.id}" does not support ${channel}`);
  }
}

function validatePublicUrl(publicUrl: unknown): void {
  const url = typeof publicUrl === "string" && URL.canParse(publicUrl) ? new URL(publicUrl) : undefined;
  if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.search !== "" || url.hash !== "") {
    throw new ConfigError("publicUrl", "must be an absolute http(s) URL without query or fragment, e.g. https://shop.example.com/pay");
  }
}
