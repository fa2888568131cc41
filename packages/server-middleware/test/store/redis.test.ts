/** What the Redis store adds to the OrderStore contract: keys, expiry, connections, restarts. */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { RedisOrderStore } from "../../src/store/redis.js";
import type { OrderRecord } from "../../src/store/contract.js";
import { redisServerMissing, startRedisServer, type RedisServer } from "../../../../test/support/redis-server.js";

const order = (orderNo: string): Omit<OrderRecord, "version"> => ({
  orderNo,
  status: "pending",
  amountFen: 1,
  gateway: "test-gateway",
  channel: "alipay",
  scene: "h5",
  action: { type: "alipay", tradeNO: "2026112222001" },
  createdAt: "2026-11-22T02:00:00.000Z",
  fulfilment: "none",
});

describe("RedisOrderStore options", () => {
  it("rejects a missing connection and a bad ttlSeconds, naming the option", () => {
    expect(() => new RedisOrderStore({} as never)).toThrow(expect.objectContaining({ option: "redis" }));
    for (const ttlSeconds of [0, -1, 1.5, Number.NaN]) {
      const create = () => new RedisOrderStore({ redis: "redis://127.0.0.1:1", ttlSeconds });
      expect(create).toThrow(ConfigError);
      expect(create).toThrow(expect.objectContaining({ option: "ttlSeconds" }));
    }
  });
});

describe.skipIf(redisServerMissing)("RedisOrderStore on a real redis-server", () => {
  let server: RedisServer;
  let inspector: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    inspector = new Redis(server.url);
  });
  afterAll(async () => {
    await inspector?.quit();
    await server?.stop();
  });

  it("keeps each order as JSON under the key prefix, expiring ttlSeconds after its last change", async () => {
    const store = new RedisOrderStore({ redis: inspector, keyPrefix: "shop1:", ttlSeconds: 600 });
    await store.insert(order("K1"));
    expect(JSON.parse((await inspector.get("shop1:K1"))!)).toEqual({ ...order("K1"), version: 1 });
    await inspector.expire("shop1:K1", 10);
    await store.compareAndSet("K1", 1, { ...order("K1"), status: "paid" });
    const ttl = await inspector.ttl("shop1:K1");
    expect(ttl).toBeGreaterThan(10);
    expect(ttl).toBeLessThanOrEqual(600);
  });

  it("still compares-and-sets a record an older paybridge wrote with its version last, only at that version", async () => {
    const store = new RedisOrderStore({ redis: inspector, keyPrefix: "legacy:" });
    await inspector.set("legacy:K6", JSON.stringify({ ...order("K6"), version: 4 }));
    expect(await store.compareAndSet("K6", 3, order("K6"))).toBeNull();
    expect(await store.compareAndSet("K6", 4, { ...order("K6"), status: "paid" })).toMatchObject({ version: 5, status: "paid" });
    expect(await store.compareAndDelete("K6", 4)).toBe(false);
    expect(await store.compareAndDelete("K6", 5)).toBe(true);
  });

  it("uses the paybridge:order: prefix and a 30-day expiry (the retention) by default", async () => {
    const store = new RedisOrderStore({ redis: inspector });
    await store.insert(order("K2"));
    const ttl = await inspector.ttl("paybridge:order:K2");
    expect(ttl).toBeGreaterThan(30 * 24 * 3600 - 60);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);
  });

  it("still compares-and-sets after the server forgets its scripts", async () => {
    const store = new RedisOrderStore({ redis: inspector });
    await store.insert(order("K3"));
    expect(await store.compareAndSet("K3", 1, order("K3"))).not.toBeNull();
    await inspector.script("FLUSH");
    expect(await store.compareAndSet("K3", 1, order("K3"))).toBeNull();
    expect(await store.compareAndSet("K3", 2, order("K3"))).toMatchObject({ version: 3 });
    await inspector.script("FLUSH");
    expect(await store.compareAndDelete("K3", 3)).toBe(true);
  });

  it("close() quits a connection it opened, once however often called, but leaves a client it was given open", async () => {
    const given = new Redis(server.url);
    const onGiven = new RedisOrderStore({ redis: given });
    await onGiven.close();
    expect(await given.ping()).toBe("PONG");
    await given.quit();

    const own = new RedisOrderStore({ redis: server.url });
    await own.insert(order("K4"));
    await own.close();
    await expect(own.get("K4")).rejects.toThrow(/closed/i);
    await expect(own.close()).resolves.toBeUndefined();
  });

  it("keeps the listing indexes with the records: a finished refund moves, an expired order's entries go", { timeout: 20_000 }, async () => {
    const store = new RedisOrderStore({ redis: inspector, keyPrefix: "listed:", ttlSeconds: 1 });
    const paidAt = "2026-11-22T02:01:00.000Z";
    const processing = { refundNo: "R1", amountFen: 1, status: "processing" as const, requestedAt: "2026-11-22T02:02:00.000Z", attempts: 1, fulfilment: "none" as const };
    const paid = { ...order("L1"), status: "paid" as const, paidAt, refunds: [processing] };
    await store.insert(paid);
    const finished = { ...processing, status: "succeeded" as const, finishedAt: "2026-11-22T02:03:00.000Z" };
    expect(await store.compareAndSet("L1", 1, { ...paid, refunds: [finished] })).not.toBeNull();
    // One member per paid order and per refund, the refund's at its finish time only.
    expect(await inspector.zrange("listed::paid", 0, -1)).toEqual([`00${Date.parse(paidAt)} L1`]);
    expect(await inspector.zrange("listed::refunds", 0, -1)).toEqual([`00${Date.parse(finished.finishedAt)} L1 R1`]);
    expect(await inspector.zcard("listed::listed")).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await store.get("L1")).toBeNull();
    expect(await store.prune()).toBe(1);
    for (const index of ["paid", "refunds", "listed"]) expect(await inspector.zcard(`listed::${index}`), index).toBe(0);
    expect(await store.prune()).toBe(0);
  });

  it("drops expired orders' listing entries as it writes, without a prune", { timeout: 20_000 }, async () => {
    const store = new RedisOrderStore({ redis: inspector, keyPrefix: "written:", ttlSeconds: 1 });
    for (const orderNo of ["W1", "W2", "W3"]) await store.insert({ ...order(orderNo), status: "paid", paidAt: "2026-11-22T02:01:00.000Z" });
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await store.insert(order("W4"));
    expect(await inspector.zcard("written::paid")).toBe(0);
    expect(await inspector.zcard("written::listed")).toBe(0);
  });

  it("keeps orders across a redis-server restart that saves its data", async () => {
    const store = new RedisOrderStore({ redis: server.url });
    await store.insert(order("K5"));
    await server.restart();
    expect(await store.get("K5")).toEqual({ ...order("K5"), version: 1 });
    expect(await store.compareAndSet("K5", 1, { ...order("K5"), status: "paid" })).toMatchObject({ version: 2 });
    await store.close();
  });
});
