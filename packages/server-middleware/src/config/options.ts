/**
 * The options of `paybridge(options)`, and their validation at start-up: a mistake in
 * configuration throws ConfigError naming the option, before the first payer meets it.
 */
import { CHANNELS, isChannel, isScene } from "@paybridge/shared";
import { ConfigError } from "../errors.js";
import type { GatewayAdapter } from "../gateways/contract.js";
import { checkGatewayId } from "../gateways/kit/gateway-id.js";
import { MemoryOrderStore } from "../store/memory.js";
import type { CreateRateLimit, Logger, MerchantsResolver, PaybridgeOptions, Routing } from "../types.js";
import { CREATE_RATE_LIMIT_DEFAULTS, DEFAULTS, minRefundSendLeaseMs } from "./defaults.js";
import { defaultLogger, toLogger } from "./logger.js";

/**
 * Options with every default filled in, as the router and the order service use them. With
 * `merchants`, `gateways` is empty and `routing` the default for merchants without their own:
 * each merchant's engine gets its own resolved options (src/engine/merchants/).
 */
export type ResolvedOptions<Req = unknown> = Required<Omit<PaybridgeOptions<Req>, "createRateLimit" | "merchants">> & {
  /** undefined: create requests are not limited. */
  createRateLimit: Required<CreateRateLimit<Req>> | undefined;
  merchants: MerchantsResolver | undefined;
};

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null;
const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === "function";

/** Throws ConfigError naming the first option that is wrong; returns the options with defaults. */
export function validateOptions<Req>(options: PaybridgeOptions<Req>): ResolvedOptions<Req> {
  if (!isObject(options)) throw new ConfigError("options", "must be an object");
  const merchants = options.merchants;
  if (merchants !== undefined) {
    if (!isFunction(merchants)) throw new ConfigError("merchants", "must be a function of the merchant id");
    // Each merchant brings its own: one process-wide list would be a shop's credentials shared by all.
    if (options.gateways !== undefined) throw new ConfigError("gateways", "must be absent with `merchants` (each merchant's setup gives its gateways)");
    if (options.routing !== undefined && !isFunction(options.routing) && !isObject(options.routing)) {
      throw new ConfigError("routing", "must map channels to gateway ids, or be a function");
    }
  }
  const gateways = merchants ? [] : validateGateways(options.gateways);
  const routing: Routing = merchants ? (options.routing ?? {}) : (options.routing as Routing);
  if (!merchants) validateRouting(routing, gateways);
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
  const positive = [
    "timeoutMs",
    "queryIntervalMs",
    "bodyLimit",
    "statusTokenTtlMs",
    "fulfilmentLeaseMs",
    "maxGatewayResponseBytes",
    "refundSendLeaseMs",
    "sweepConcurrency",
    "sweepTimeLimitMs",
    "notifyRetentionMs",
    "merchantCacheTtlMs",
    "merchantTimeoutMs",
  ] as const;
  for (const name of positive) {
    const value = options[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) {
      throw new ConfigError(name, "must be a positive whole number");
    }
  }
  const timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
  // Shorter, and a retry could send a refund again while its first send is still under way.
  const refundSendLeaseMs = options.refundSendLeaseMs ?? minRefundSendLeaseMs(timeoutMs);
  if (refundSendLeaseMs < minRefundSendLeaseMs(timeoutMs)) {
    throw new ConfigError("refundSendLeaseMs", `must be at least 2 × timeoutMs + 1000 (${minRefundSendLeaseMs(timeoutMs)} ms): a send may be a refund query and a refund call`);
  }
  if (options.defaultChannel !== undefined && !isChannel(options.defaultChannel)) {
    throw new ConfigError("defaultChannel", `must be one of ${CHANNELS.join(", ")}`);
  }
  // The default too: a create request naming no channel must find a gateway.
  const defaultChannel = options.defaultChannel ?? DEFAULTS.defaultChannel;
  if (!merchants && !isFunction(routing) && routing[defaultChannel] === undefined) {
    const given = options.defaultChannel !== undefined ? `"${defaultChannel}"` : `"${defaultChannel}" (the default)`;
    throw new ConfigError("defaultChannel", `${given} has no gateway in \`routing\`; route it or set defaultChannel to a routed channel`);
  }
  const logger = options.logger ? toLogger(options.logger) : defaultLogger;
  return {
    gateways,
    routing,
    merchants,
    merchantCacheTtlMs: options.merchantCacheTtlMs ?? DEFAULTS.merchantCacheTtlMs,
    merchantTimeoutMs: options.merchantTimeoutMs ?? DEFAULTS.merchantTimeoutMs,
    publicUrl: options.publicUrl.replace(/\/+$/, ""),
    resolveOrder: options.resolveOrder,
    onPaid: options.onPaid,
    onRefunded: options.onRefunded ?? (() => {}),
    expireAfterMs: options.expireAfterMs ?? DEFAULTS.expireAfterMs,
    sweepIntervalMs: options.sweepIntervalMs ?? DEFAULTS.sweepIntervalMs,
    statusTokenSecret: options.statusTokenSecret,
    store: options.store ?? defaultStore(logger),
    logger,
    timeoutMs,
    queryIntervalMs: options.queryIntervalMs ?? DEFAULTS.queryIntervalMs,
    defaultChannel,
    bodyLimit: options.bodyLimit ?? DEFAULTS.bodyLimit,
    statusTokenTtlMs: options.statusTokenTtlMs ?? DEFAULTS.statusTokenTtlMs,
    fulfilmentLeaseMs: options.fulfilmentLeaseMs ?? DEFAULTS.fulfilmentLeaseMs,
    maxGatewayResponseBytes: options.maxGatewayResponseBytes ?? DEFAULTS.maxGatewayResponseBytes,
    refundSendLeaseMs,
    sweepConcurrency: options.sweepConcurrency ?? DEFAULTS.sweepConcurrency,
    sweepTimeLimitMs: options.sweepTimeLimitMs ?? DEFAULTS.sweepTimeLimitMs,
    createRateLimit: validateRateLimit(options.createRateLimit),
    notifyRetentionMs: options.notifyRetentionMs ?? DEFAULTS.notifyRetentionMs,
  };
}

function validateRateLimit<Req>(limit: CreateRateLimit<Req> | undefined): Required<CreateRateLimit<Req>> | undefined {
  if (limit === undefined) return undefined;
  if (!isObject(limit)) throw new ConfigError("createRateLimit", "must be { clientKey, max?, windowMs? }");
  if (!isFunction(limit.clientKey)) throw new ConfigError("createRateLimit.clientKey", "must be a function of the request");
  for (const name of ["max", "windowMs"] as const) {
    const value = limit[name];
    if (value !== undefined && !(Number.isSafeInteger(value) && value > 0)) throw new ConfigError(`createRateLimit.${name}`, "must be a positive whole number");
  }
  return { clientKey: limit.clientKey, max: limit.max ?? CREATE_RATE_LIMIT_DEFAULTS.max, windowMs: limit.windowMs ?? CREATE_RATE_LIMIT_DEFAULTS.windowMs };
}

/** The memory store; in production, with one warning: a restart loses every order in it. */
function defaultStore(logger: Logger): MemoryOrderStore {
  if (process.env.NODE_ENV === "production") {
    logger.warn(
      "paybridge keeps orders in memory (no `store` given): a restart or crash loses every pending order, paid order and " +
        "refund ledger, and other instances cannot see them; use PostgresOrderStore, MySqlOrderStore or RedisOrderStore",
    );
  }
  return new MemoryOrderStore();
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
    const id = checkGatewayId(adapter.id, `${option}.id`);
    if (seen.has(id)) throw new ConfigError(`${option}.id`, `duplicates gateway id "${id}"`);
    seen.add(id);
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
