/**
 * Several merchants on one RedisOrderStore (a real redis-server on loopback): each merchant's
 * orders under its own keys, the same order number at both independent, a notify signed with
 * A's key settling nothing of B's, and the expiry sweep closing each merchant's expired orders
 * with that merchant's own gateway, one merchant's refusing orders not holding the other's.
 */
import type { IncomingMessage } from "node:http";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { merchantKey } from "../../src/engine/merchant-store.js";
import { GatewayError } from "../../src/errors.js";
import { RedisOrderStore } from "../../src/store/redis.js";
import type { OrderRecord } from "../../src/store/contract.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway, type RefundGateway } from "../support/refund-gateway.js";
import { redisServerMissing, startRedisServer, type RedisServer } from "../../../../test/support/redis-server.js";

const HOUR = 60 * 60 * 1000;
let redis: RedisServer;
let open: { h: Harness; store: RedisOrderStore } | undefined;
let prefixes = 0;

beforeAll(async () => {
  if (!redisServerMissing) redis = await startRedisServer();
});
afterAll(async () => {
  await redis?.stop();
});
afterEach(async () => {
  open?.h.router.stopSweeping();
  await open?.h.close();
  await open?.store.close();
  open = undefined;
});

function shopOf(req: unknown): string | undefined {
  const header = (req as IncomingMessage).headers["x-shop"];
  return typeof header === "string" ? header : undefined;
}

async function shops(): Promise<{ h: Harness; store: RedisOrderStore; a: RefundGateway; b: RefundGateway }> {
  const a = refundGateway({ key: "merchant-a-key-0123456789abcdef" });
  const b = refundGateway({ key: "merchant-b-key-fedcba9876543210" });
  const store = new RedisOrderStore({ redis: redis.url, keyPrefix: `merchants-${prefixes++}:` });
  const setups = new Map([["A", { gateways: [a.adapter] }], ["B", { gateways: [b.adapter] }]]);
  const h = await startHarness({
    gateway: a,
    gateways: undefined,
    routing: { wechat: "fake", alipay: "fake" },
    merchants: async (merchantId: string) => setups.get(merchantId) ?? null,
    resolveOrder: ({ req }) => ({ amountFen: 100, merchantId: shopOf(req) }),
    store,
    expireAfterMs: HOUR,
    queryIntervalMs: HOUR,
  });
  open = { h, store };
  return { h, store, a, b };
}

const create = (h: Harness, shop: string, orderNo: string) => h.api.post("/pay/orders").set("x-shop", shop).send({ orderNo, channel: "wechat" });
const notify = (h: Harness, path: string, body: string) => h.api.post(path).set("content-type", "application/json").send(body);

function expired(orderNo: string, ageMs: number): Omit<OrderRecord, "version"> {
  return {
    orderNo,
    status: "pending",
    amountFen: 100,
    gateway: "fake",
    channel: "wechat",
    scene: "jsapi",
    action: { type: "redirect", url: "https://pay.example/x" },
    gatewayOrderNo: `FAKE-${orderNo}`,
    createdAt: new Date(Date.now() - ageMs).toISOString(),
    fulfilment: "none",
  };
}

describe.skipIf(redisServerMissing)("several merchants on one Redis store", () => {
  it("keeps each merchant's orders apart; A's signed notify settles A's order only, never B's of the same number", async () => {
    const { h, store, a } = await shops();
    for (const shop of ["A", "B"]) expect((await create(h, shop, "1001")).status).toBe(201);
    const signedByA = a.notify({ orderNo: "1001", amountFen: 100 });

    expect((await notify(h, "/pay/notify/fake/B", signedByA)).status).toBeGreaterThanOrEqual(400);
    expect((await store.get(merchantKey("B", "1001")))?.status).toBe("pending");
    expect((await store.get(merchantKey("A", "1001")))?.status).toBe("pending");

    expect((await notify(h, "/pay/notify/fake/A", signedByA)).status).toBe(200);
    expect((await store.get(merchantKey("A", "1001")))?.status).toBe("paid");
    expect((await store.get(merchantKey("B", "1001")))?.status).toBe("pending");
    expect(h.paid.map((payment) => [payment.merchantId, payment.orderNo])).toEqual([["A", "1001"]]);
    // Nothing under the bare order number: every order is some merchant's.
    expect(await store.get("1001")).toBeNull();
  });

  it("the sweep closes each merchant's expired orders with its own gateway, past 1,000 of A's that A's gateway refuses to close", { timeout: 60_000 }, async () => {
    const { h, store, a, b } = await shops();
    a.adapter.closeOrder = async (input) => {
      a.closeCalls.push(input);
      throw new GatewayError("fake", "order cannot be closed", { gatewayCode: "CLOSE_REFUSED" });
    };
    await Promise.all(Array.from({ length: 1_000 }, (_, i) => store.insert(expired(merchantKey("A", `BAD${String(i).padStart(4, "0")}`), 3 * HOUR - i))));
    for (const orderNo of ["OLD1", "OLD2"]) await store.insert(expired(merchantKey("B", orderNo), 2 * HOUR));

    for (let sweep = 0; sweep < 3 && (await store.get(merchantKey("B", "OLD2")))?.status !== "closed"; sweep++) await h.router.sweepExpired();
    expect((await store.get(merchantKey("B", "OLD1")))?.status).toBe("closed");
    expect((await store.get(merchantKey("B", "OLD2")))?.status).toBe("closed");
    expect(b.closeCalls.map((call) => call.orderNo).sort()).toEqual(["OLD1", "OLD2"]);
    // A's gateway was only ever asked about A's orders, by A's own numbers.
    expect(a.closeCalls.every((call) => call.orderNo.startsWith("BAD"))).toBe(true);
    expect((await store.get(merchantKey("A", "BAD0000")))?.status).toBe("pending");
  });
});
