/**
 * `health()` over the Redis store: PING answers while redis-server runs; once it is gone the
 * report says the store is down within the timeout (ioredis would otherwise queue the command
 * while it reconnects), and says so again until it is back.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { paybridge, RedisOrderStore, type GatewayAdapter, type PaybridgeRouter } from "@paybridge/server-middleware";
import { redisServerMissing, startRedisServer, type RedisServer } from "./support/redis-server.js";

const adapter: GatewayAdapter = {
  id: "probe",
  supports: { wechat: ["jsapi"] },
  async createOrder() {
    throw new Error("not used here");
  },
  verifyNotify() {
    throw new Error("not used here");
  },
  notifyReply: { success: { status: 200, contentType: "text/plain", body: "OK" }, failure: { status: 500, contentType: "text/plain", body: "FAIL" } },
};

function router(store: RedisOrderStore): PaybridgeRouter {
  return paybridge({
    gateways: [adapter],
    routing: { wechat: "probe" },
    publicUrl: "https://shop.example/pay",
    statusTokenSecret: "redis-health-test-secret-0123456789",
    resolveOrder: () => null,
    onPaid: () => {},
    store,
  });
}

describe.skipIf(redisServerMissing)("health() with the Redis store", () => {
  let server: RedisServer;
  let client: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    client = new Redis(server.url);
    client.on("error", () => undefined);
  });
  afterAll(async () => {
    client?.disconnect();
    await server?.stop().catch(() => undefined);
  });

  it("is ok while Redis answers PING, on a store given a URL and on one given a client", async () => {
    const own = new RedisOrderStore({ redis: server.url });
    try {
      expect(await router(own).health()).toEqual({ ok: true, store: { ok: true, latencyMs: expect.any(Number) }, gateways: ["probe"] });
      let pinged = 0;
      const counted = new Proxy(client, {
        get: (target, name, receiver) => (name === "ping" ? () => ((pinged += 1), target.ping()) : Reflect.get(target, name, receiver)),
      });
      expect((await router(new RedisOrderStore({ redis: counted })).health()).ok).toBe(true);
      expect(pinged).toBe(1);
    } finally {
      await own.close();
    }
  });

  it("is not ok, within the timeout, once redis-server is gone, and ok again when it is back", async () => {
    const pay = router(new RedisOrderStore({ redis: client }));
    expect((await pay.health()).ok).toBe(true);
    // From a connection of its own that neither retries nor resends: SHUTDOWN gets no reply.
    const killer = new Redis(server.url, { maxRetriesPerRequest: 0, autoResendUnfulfilledCommands: false, retryStrategy: () => null });
    killer.on("error", () => undefined);
    await killer.call("SHUTDOWN", "NOSAVE").catch(() => undefined);
    killer.disconnect();
    const started = Date.now();
    const down = await pay.health({ timeoutMs: 300 });
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(down).toMatchObject({ ok: false, store: { ok: false, error: expect.any(String) }, gateways: ["probe"] });

    await server.restart();
    // ioredis reconnects on its own backoff: ask again, a bounded number of times.
    let back = down;
    for (let attempt = 0; attempt < 50 && !back.ok; attempt++) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      back = await pay.health({ timeoutMs: 300 });
    }
    expect(back.ok).toBe(true);
  });
});
