/**
 * The expiry sweep over the Redis store (issue 21, finding 2): 1,000 expired orders whose close
 * the gateway refuses, oldest first, do not hold the orders behind them pending forever; the
 * store's pending index is read on from where the last sweep stopped.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GatewayError, NotifyRejectedError, paybridge, RedisOrderStore, type CloseInput, type GatewayAdapter } from "@paybridge/server-middleware";
import { redisServerMissing, startRedisServer, type RedisServer } from "./support/redis-server.js";

const HOUR_MS = 60 * 60 * 1000;

function refusingGateway(closeCalls: CloseInput[]): GatewayAdapter {
  return {
    id: "refusing",
    supports: { wechat: ["jsapi"] },
    async createOrder(input) {
      return { gatewayOrderNo: `G-${input.orderNo}`, action: { type: "redirect", url: "https://pay.example/x" } };
    },
    verifyNotify() {
      throw new NotifyRejectedError("not used here");
    },
    notifyReply: { success: { status: 200, contentType: "text/plain", body: "OK" }, failure: { status: 500, contentType: "text/plain", body: "FAIL" } },
    async closeOrder(input) {
      closeCalls.push(input);
      if (input.orderNo.startsWith("BAD")) throw new GatewayError("refusing", "order cannot be closed", { gatewayCode: "CLOSE_REFUSED" });
    },
  };
}

describe.skipIf(redisServerMissing)("the expiry sweep over Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it("gets past 1,000 expired orders whose close the gateway refuses", { timeout: 60_000 }, async () => {
    const store = new RedisOrderStore({ redis: redis.url, keyPrefix: "sweep-progress:" });
    const closeCalls: CloseInput[] = [];
    const router = paybridge({
      gateways: [refusingGateway(closeCalls)],
      routing: { wechat: "refusing" },
      publicUrl: "https://shop.example/pay",
      resolveOrder: () => null,
      onPaid: () => {},
      statusTokenSecret: "redis-sweep-test-secret-0123456789abcdef",
      store,
      expireAfterMs: HOUR_MS,
      queryIntervalMs: HOUR_MS,
      logger: { info: () => {}, warn: () => {}, error: () => {} },
    });
    const order = (orderNo: string, ageMs: number) => ({
      orderNo,
      status: "pending" as const,
      amountFen: 100,
      gateway: "refusing",
      channel: "wechat" as const,
      scene: "jsapi" as const,
      action: { type: "redirect" as const, url: "https://pay.example/x" },
      gatewayOrderNo: `G-${orderNo}`,
      createdAt: new Date(Date.now() - ageMs).toISOString(),
      fulfilment: "none" as const,
    });
    // Two share a millisecond with the last refusing one: the cursor must not skip them.
    const bad = Array.from({ length: 1_000 }, (_, i) => order(`BAD${String(i).padStart(4, "0")}`, 3 * HOUR_MS - i));
    const lastBadCreatedAt = bad.at(-1)!.createdAt;
    const good = ["GOOD1", "GOOD2"].map((orderNo) => ({ ...order(orderNo, 0), createdAt: lastBadCreatedAt }));
    const later = order("GOOD3", 2 * HOUR_MS);
    await Promise.all([...bad, ...good, later].map((record) => store.insert(record)));

    for (let sweep = 0; sweep < 3 && (await store.get("GOOD3"))?.status !== "closed"; sweep++) await router.sweepExpired();
    const statuses = await Promise.all(["GOOD1", "GOOD2", "GOOD3"].map(async (orderNo) => (await store.get(orderNo))?.status));
    expect(statuses).toEqual(["closed", "closed", "closed"]);
    expect((await store.get("BAD0000"))?.status).toBe("pending");
    const badCalls = closeCalls.filter((call) => call.orderNo.startsWith("BAD"));
    expect(new Set(badCalls.map((call) => call.orderNo)).size).toBe(badCalls.length);
    await store.close();
  });
});
