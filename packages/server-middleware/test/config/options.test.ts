import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { defaultLogger } from "../../src/config/logger.js";
import { validateOptions } from "../../src/config/options.js";
import type { PaybridgeOptions } from "../../src/types.js";
import { paybridge } from "../../src/express.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { fakeGateway } from "../support/fake-adapter.js";

const wechatOnly = fakeGateway({ id: "wxonly", supports: { wechat: ["jsapi"] } });
const all = fakeGateway({ id: "all" });

function valid(): PaybridgeOptions {
  return {
    gateways: [wechatOnly.adapter, all.adapter],
    routing: { wechat: "wxonly", alipay: "all" },
    publicUrl: "https://shop.example/pay",
    resolveOrder: () => null,
    onPaid: () => {},
    statusTokenSecret: "s".repeat(32),
  };
}

/** Options that are `valid()` but for what `change` does to them (bypassing the types, as JS callers can). */
function withChange(change: (options: Record<string, unknown>) => void): PaybridgeOptions {
  const options = valid() as unknown as Record<string, unknown>;
  change(options);
  return options as unknown as PaybridgeOptions;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("validateOptions", () => {
  it("fills in the documented defaults", () => {
    const resolved = validateOptions(valid());
    expect(resolved).toMatchObject({ timeoutMs: 10_000, queryIntervalMs: 5_000, defaultChannel: "wechat", bodyLimit: 16 * 1024 });
    expect(resolved.store).toBeInstanceOf(MemoryOrderStore);
    // The refund send lease covers a refund query and a refund call, each up to timeoutMs.
    expect(resolved).toMatchObject({ refundSendLeaseMs: 21_000, sweepConcurrency: 8, sweepTimeLimitMs: 60_000, createRateLimit: undefined });
    expect(validateOptions({ ...valid(), timeoutMs: 2_000 }).refundSendLeaseMs).toBe(5_000);
    const limit = validateOptions({ ...valid(), createRateLimit: { clientKey: () => "a" } }).createRateLimit;
    expect(limit).toMatchObject({ max: 30, windowMs: 60_000 });
  });

  it("drops a trailing slash of publicUrl", () => {
    expect(validateOptions({ ...valid(), publicUrl: "http://127.0.0.1:3000/pay/" }).publicUrl).toBe("http://127.0.0.1:3000/pay");
  });

  it("accepts a routing function", () => {
    expect(() => validateOptions({ ...valid(), routing: () => "all" })).not.toThrow();
  });

  const adapterWith = (change: (adapter: Record<string, unknown>) => void) =>
    withChange((options) => {
      const adapter: Record<string, unknown> = { ...all.adapter };
      change(adapter);
      options.gateways = [wechatOnly.adapter, adapter];
    });

  it.each<[string, PaybridgeOptions, string]>([
    ["no options", undefined as unknown as PaybridgeOptions, "options"],
    ["no gateways", withChange((o) => (o.gateways = [])), "gateways"],
    ["gateways not an array", withChange((o) => (o.gateways = all.adapter)), "gateways"],
    ["a gateway that is not an adapter", withChange((o) => (o.gateways = [all.adapter, "upaas"])), "gateways[1]"],
    ["two gateways with one id", withChange((o) => (o.gateways = [all.adapter, all.adapter])), "gateways[1].id"],
    ["a gateway id unfit for a path", adapterWith((a) => (a.id = "a/b")), "gateways[1].id"],
    ["an adapter without createOrder", adapterWith((a) => delete a.createOrder), "gateways[1].createOrder"],
    ["an adapter without verifyNotify", adapterWith((a) => (a.verifyNotify = "yes")), "gateways[1].verifyNotify"],
    ["an adapter with a bad queryOrder", adapterWith((a) => (a.queryOrder = {})), "gateways[1].queryOrder"],
    ["an adapter supporting nothing", adapterWith((a) => (a.supports = {})), "gateways[1].supports"],
    ["an adapter supporting an unknown channel", adapterWith((a) => (a.supports = { paypal: ["h5"] })), "gateways[1].supports.paypal"],
    ["an adapter with an unknown scene", adapterWith((a) => (a.supports = { wechat: ["app"] })), "gateways[1].supports.wechat"],
    ["an adapter without notify replies", adapterWith((a) => delete a.notifyReply), "gateways[1].notifyReply"],
    [
      "an adapter with a bad failure reply",
      adapterWith((a) => (a.notifyReply = { success: { status: 200, contentType: "text/plain", body: "OK" }, failure: { body: "FAIL" } })),
      "gateways[1].notifyReply.failure",
    ],
    ["no routing", withChange((o) => delete o.routing), "routing"],
    ["routing that is a string", withChange((o) => (o.routing = "all")), "routing"],
    ["routing that routes nothing", withChange((o) => (o.routing = {})), "routing"],
    ["routing an unknown channel", withChange((o) => (o.routing = { paypal: "all" })), "routing.paypal"],
    ["routing to an unknown gateway", withChange((o) => (o.routing = { wechat: "upaas" })), "routing.wechat"],
    ["routing to a gateway lacking the channel", withChange((o) => (o.routing = { alipay: "wxonly" })), "routing.alipay"],
    ["a relative publicUrl", withChange((o) => (o.publicUrl = "/pay")), "publicUrl"],
    ["an ftp publicUrl", withChange((o) => (o.publicUrl = "ftp://shop.example/pay")), "publicUrl"],
    ["a publicUrl with a query", withChange((o) => (o.publicUrl = "https://shop.example/pay?x=1")), "publicUrl"],
    ["a 31-character statusTokenSecret", withChange((o) => (o.statusTokenSecret = "s".repeat(31))), "statusTokenSecret"],
    ["no statusTokenSecret", withChange((o) => delete o.statusTokenSecret), "statusTokenSecret"],
    ["resolveOrder not a function", withChange((o) => (o.resolveOrder = { amountFen: 1 })), "resolveOrder"],
    ["no onPaid", withChange((o) => delete o.onPaid), "onPaid"],
    ["a store without compareAndSet", withChange((o) => (o.store = { get() {}, insert() {}, compareAndDelete() {} })), "store.compareAndSet"],
    ["a logger without warn", withChange((o) => (o.logger = { info() {}, error() {} })), "logger.warn"],
    ["timeoutMs 0", withChange((o) => (o.timeoutMs = 0)), "timeoutMs"],
    ["a fractional timeoutMs", withChange((o) => (o.timeoutMs = 1.5)), "timeoutMs"],
    ["timeoutMs as a string", withChange((o) => (o.timeoutMs = "1000")), "timeoutMs"],
    ["a negative queryIntervalMs", withChange((o) => (o.queryIntervalMs = -1)), "queryIntervalMs"],
    ["bodyLimit Infinity", withChange((o) => (o.bodyLimit = Infinity)), "bodyLimit"],
    ["an unknown defaultChannel", withChange((o) => (o.defaultChannel = "paypal")), "defaultChannel"],
    ["a defaultChannel with no route", withChange((o) => (o.defaultChannel = "unionpay")), "defaultChannel"],
    ["no defaultChannel, and routing without the default wechat", withChange((o) => (o.routing = { alipay: "all" })), "defaultChannel"],
    ["a refundSendLeaseMs shorter than a refund query and a refund call", withChange((o) => (o.refundSendLeaseMs = 15_000)), "refundSendLeaseMs"],
    ["a refundSendLeaseMs not above 2 × timeoutMs", withChange((o) => Object.assign(o, { timeoutMs: 2_000, refundSendLeaseMs: 4_000 })), "refundSendLeaseMs"],
    ["refundSendLeaseMs 0", withChange((o) => (o.refundSendLeaseMs = 0)), "refundSendLeaseMs"],
    ["sweepConcurrency 0", withChange((o) => (o.sweepConcurrency = 0)), "sweepConcurrency"],
    ["a fractional sweepConcurrency", withChange((o) => (o.sweepConcurrency = 2.5)), "sweepConcurrency"],
    ["a negative sweepTimeLimitMs", withChange((o) => (o.sweepTimeLimitMs = -1)), "sweepTimeLimitMs"],
    ["createRateLimit not an object", withChange((o) => (o.createRateLimit = 30)), "createRateLimit"],
    ["createRateLimit without clientKey", withChange((o) => (o.createRateLimit = { max: 3 })), "createRateLimit.clientKey"],
    ["createRateLimit with max 0", withChange((o) => (o.createRateLimit = { clientKey: () => "a", max: 0 })), "createRateLimit.max"],
    ["createRateLimit with a fractional windowMs", withChange((o) => (o.createRateLimit = { clientKey: () => "a", windowMs: 0.5 })), "createRateLimit.windowMs"],
  ])("rejects %s, naming the option", (_name, options, option) => {
    let thrown: unknown;
    try {
      validateOptions(options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).option).toBe(option);
    expect((thrown as ConfigError).message).toContain(`\`${option}\``);
  });

  it("never puts the statusTokenSecret in its message", () => {
    const secret = "short-secret";
    expect(() => validateOptions({ ...valid(), statusTokenSecret: secret })).toThrow(ConfigError);
    try {
      validateOptions({ ...valid(), statusTokenSecret: secret });
    } catch (error) {
      expect((error as Error).message).not.toContain(secret);
    }
  });
});

describe("paybridge()", () => {
  it("validates its options at start-up", () => {
    expect(() => paybridge({ ...valid(), publicUrl: "shop.example" })).toThrow(ConfigError);
  });

  it("returns a router with its events and its store", () => {
    const store = new MemoryOrderStore();
    const router = paybridge({ ...valid(), store });
    expect(typeof router).toBe("function");
    expect(router.store).toBe(store);
    expect(typeof router.events.on).toBe("function");
  });
});

describe("the default logger", () => {
  it("writes a warning or an error as one JSON line on stderr, and drops info", () => {
    const write = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
    defaultLogger.info("quiet", { orderNo: "A1" });
    defaultLogger.warn("notify rejected", { gateway: "fake", reason: "bad signature" });
    defaultLogger.error("internal error");
    expect(write).toHaveBeenCalledTimes(2);
    const lines = write.mock.calls.map(([chunk]) => String(chunk));
    for (const line of lines) expect(line.endsWith("\n") && !line.slice(0, -1).includes("\n")).toBe(true);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ level: "warn", message: "notify rejected", gateway: "fake", reason: "bad signature" });
    expect(JSON.parse(lines[1] ?? "")).toMatchObject({ level: "error", message: "internal error" });
  });
});

describe("the default memory store under NODE_ENV=production", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  const collect = () => {
    const warnings: string[] = [];
    const logger = { info: () => {}, warn: (message: string) => void warnings.push(message), error: () => {} };
    return { warnings, logger };
  };

  it("warns once at start, through the configured logger, what a restart loses and which store to use", () => {
    vi.stubEnv("NODE_ENV", "production");
    const { warnings, logger } = collect();
    validateOptions({ ...valid(), logger });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/in memory/);
    expect(warnings[0]).toMatch(/restart/);
    expect(warnings[0]).toMatch(/PostgresOrderStore.*MySqlOrderStore.*RedisOrderStore/);
  });

  it("says nothing when a store is given, or outside production", () => {
    vi.stubEnv("NODE_ENV", "production");
    const given = collect();
    validateOptions({ ...valid(), logger: given.logger, store: new MemoryOrderStore() });
    vi.stubEnv("NODE_ENV", "development");
    const development = collect();
    validateOptions({ ...valid(), logger: development.logger });
    expect([given.warnings, development.warnings]).toEqual([[], []]);
  });
});
