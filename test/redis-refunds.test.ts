/**
 * Refunds across two paybridge instances sharing one Redis: 200 concurrent partial refunds of
 * one order, split between the instances, never reserve more than the paid amount, reach the
 * gateway at most once each (a retry after a timeout reuses its refundNo and finds the refund
 * the gateway made), and run onRefunded exactly once each. Plus the Redis store's pending index
 * (the expiry sweep) and its retention TTL.
 */
import { Redis } from "ioredis";
import request from "supertest";
import express from "express";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  GatewayTimeoutError,
  NotifyRejectedError,
  paybridge,
  RedisOrderStore,
  type GatewayAdapter,
  type PaybridgeRouter,
  type Refund,
  type RefundResult,
} from "@paybridge/server-middleware";
import { redisServerMissing, startRedisServer, type RedisServer } from "./support/redis-server.js";

const AMOUNT_FEN = 5_000;
const REFUND_FEN = 37;
const REFUNDS = 200;
const STATUS_TOKEN_SECRET = "redis-refunds-test-secret-0123456789";

/** One gateway both instances talk to: it refunds each refundNo at most once and never past the order. */
function sharedGateway() {
  const refundedAt = new Map<string, number>();
  const calls = new Map<string, number>();
  let total = 0;
  let timeouts = 0;
  const adapter: GatewayAdapter = {
    id: "shared",
    supports: { wechat: ["jsapi"] },
    async createOrder(input) {
      return { gatewayOrderNo: `G-${input.orderNo}`, action: { type: "redirect", url: "https://pay.example/x" } };
    },
    verifyNotify() {
      throw new NotifyRejectedError("not used here");
    },
    notifyReply: { success: { status: 200, contentType: "text/plain", body: "OK" }, failure: { status: 500, contentType: "text/plain", body: "FAIL" } },
    async queryOrder() {
      return { status: "pending" };
    },
    async refundOrder(input) {
      calls.set(input.refundNo, (calls.get(input.refundNo) ?? 0) + 1);
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5));
      if (!refundedAt.has(input.refundNo)) {
        total += input.amountFen;
        refundedAt.set(input.refundNo, input.amountFen);
      }
      // Every 10th refund: the gateway refunds it, but its answer never arrives.
      if (Number(input.refundNo.split("-").pop()) % 10 === 0 && calls.get(input.refundNo) === 1) {
        timeouts += 1;
        throw new GatewayTimeoutError("shared", 5);
      }
      return { status: "succeeded", refundNo: input.refundNo, gatewayRefundNo: `GR-${input.refundNo}`, amountFen: input.amountFen };
    },
    async queryRefund(input) {
      const amountFen = refundedAt.get(input.refundNo);
      return amountFen === undefined ? { status: "not_found" } : { status: "succeeded", refundNo: input.refundNo, amountFen };
    },
  };
  return { adapter, calls, refundedAt, total: () => total, timeouts: () => timeouts };
}

describe.skipIf(redisServerMissing)("refunds across instances sharing Redis", () => {
  let redis: RedisServer;
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it(`${REFUNDS} concurrent partial refunds over two instances never pass the paid amount and run onRefunded once each`, { timeout: 120_000 }, async () => {
    const gateway = sharedGateway();
    const refunded: { instance: string; refund: Refund }[] = [];
    const stores: RedisOrderStore[] = [];
    const instance = (name: string): PaybridgeRouter => {
      const store = new RedisOrderStore({ redis: redis.url, keyPrefix: "refunds-test:" });
      stores.push(store);
      return paybridge({
        gateways: [gateway.adapter],
        routing: { wechat: "shared" },
        publicUrl: "https://shop.example/pay",
        resolveOrder: () => ({ amountFen: AMOUNT_FEN }),
        onPaid: () => {},
        onRefunded: async (refund) => {
          refunded.push({ instance: name, refund });
          await new Promise((resolve) => setTimeout(resolve, 2));
        },
        statusTokenSecret: STATUS_TOKEN_SECRET,
        store,
        logger: { info: () => {}, warn: () => {}, error: () => {} },
      });
    };
    const a = instance("A");
    const b = instance("B");
    const app = express().use("/pay", a);
    await request(app).post("/pay/orders").send({ orderNo: "RR1" }).expect(201);
    // Paid: as a notify or query would leave it.
    const pending = (await a.store.get("RR1"))!;
    const { version, ...fields } = pending;
    await a.store.compareAndSet("RR1", version, { ...fields, status: "paid", paidAt: new Date().toISOString(), fulfilment: "done" });

    const started = performance.now();
    const refundOnce = (router: PaybridgeRouter, i: number): Promise<RefundResult> =>
      router.refund({ orderNo: "RR1", refundNo: `RR1-${i}`, amountFen: REFUND_FEN });
    const outcomes = await Promise.all(
      Array.from({ length: REFUNDS }, async (_, i) => {
        for (let attempt = 1; ; attempt++) {
          // Alternating instances; a retry goes to the other one.
          const router = (i + attempt) % 2 === 0 ? a : b;
          try {
            return { result: await refundOnce(router, i), attempt };
          } catch (error) {
            const code = (error as { code?: string }).code;
            // A timeout: the retry reuses the refundNo (here on the other instance).
            if (code === "gateway_timeout" && attempt < 3) continue;
            return { code, attempt };
          }
        }
      }),
    );
    const elapsedMs = performance.now() - started;

    const succeeded = outcomes.filter((outcome) => outcome.result?.status === "succeeded");
    const refused = outcomes.filter((outcome) => outcome.code === "refund_not_allowed");
    const maxRefunds = Math.floor(AMOUNT_FEN / REFUND_FEN);
    expect(succeeded).toHaveLength(maxRefunds);
    expect(refused).toHaveLength(REFUNDS - maxRefunds);
    expect(gateway.total()).toBe(maxRefunds * REFUND_FEN);
    expect(gateway.total()).toBeLessThanOrEqual(AMOUNT_FEN);
    // Each refundNo reached the gateway's refund API once: retries found it by query.
    expect([...gateway.calls.values()].every((count) => count === 1)).toBe(true);
    expect(gateway.timeouts()).toBeGreaterThan(0);

    const byRefund = new Map<string, number>();
    for (const { refund } of refunded) byRefund.set(refund.refundNo, (byRefund.get(refund.refundNo) ?? 0) + 1);
    expect(byRefund.size).toBe(maxRefunds);
    expect([...byRefund.values()].every((count) => count === 1)).toBe(true);
    expect(new Set(refunded.map(({ instance: name }) => name))).toEqual(new Set(["A", "B"]));

    const record = (await b.store.get("RR1"))!;
    const ledgerSum = record.refunds!.filter((entry) => entry.status === "succeeded").reduce((sum, entry) => sum + entry.amountFen, 0);
    expect([record.status, record.refunds!.length, ledgerSum]).toEqual(["partially_refunded", maxRefunds, maxRefunds * REFUND_FEN]);
    expect(record.refunds!.every((entry) => entry.fulfilment === "done")).toBe(true);
    const retried = outcomes.filter((outcome) => outcome.attempt > 1).length;
    console.info(
      `redis refunds: ${REFUNDS} concurrent over 2 instances in ${Math.round(elapsedMs)} ms; ${succeeded.length} succeeded, ` +
        `${refused.length} refused, ${retried} retried after a timeout, gateway total ${gateway.total()}/${AMOUNT_FEN} fen`,
    );
    for (const store of stores) await store.close();
  });

  it("indexes pending orders for the expiry sweep and keeps records 30 days by default", async () => {
    const store = new RedisOrderStore({ redis: redis.url, keyPrefix: "sweep-test:" });
    const client = new Redis(redis.url);
    const base = {
      status: "pending" as const,
      amountFen: 100,
      gateway: "shared",
      channel: "wechat" as const,
      scene: "jsapi" as const,
      fulfilment: "none" as const,
    };
    await store.insert({ ...base, orderNo: "OLD1", createdAt: "2026-11-22T01:00:00.000Z" });
    await store.insert({ ...base, orderNo: "OLD2", createdAt: "2026-11-22T01:30:00.000Z" });
    await store.insert({ ...base, orderNo: "NEW1", createdAt: "2026-11-22T03:00:00.000Z" });
    const cutoff = Date.parse("2026-11-22T02:00:00.000Z");
    expect(await store.pendingBefore(cutoff, 10)).toEqual(["OLD1", "OLD2"]);
    const old1 = (await store.get("OLD1"))!;
    const { version, ...fields } = old1;
    await store.compareAndSet("OLD1", version, { ...fields, status: "closed" });
    expect(await store.pendingBefore(cutoff, 10)).toEqual(["OLD2"]);
    // The closed order's stale index entry is gone.
    expect(await client.zrange("sweep-test::pending", 0, -1)).toEqual(["OLD2", "NEW1"]);
    const ttl = await client.ttl("sweep-test:OLD1");
    expect(ttl).toBeGreaterThan(29 * 24 * 3600);
    expect(ttl).toBeLessThanOrEqual(30 * 24 * 3600);
    client.disconnect();
    await store.close();
  });
});
