/**
 * Expiry, hardening round three (issue 21): the sweep makes progress past orders whose close
 * the gateway refuses, closes several at a time within a time limit (finding 2), and status
 * polls of an expired order do not drive the gateway's close API once each (finding 6).
 */
import { afterEach, describe, expect, it } from "vitest";
import { GatewayError } from "../../src/errors.js";
import type { OrderRecord } from "../../src/store/contract.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway, type RefundGateway } from "../support/refund-gateway.js";

let harness: Harness | undefined;
afterEach(async () => {
  harness?.router.stopSweeping();
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A pending order of the fake gateway, created `ageMs` ago (its gateway order made). */
function pendingOrder(orderNo: string, ageMs: number): Omit<OrderRecord, "version"> {
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

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<{ h: Harness; gateway: RefundGateway }> {
  const gateway = refundGateway();
  harness = await startHarness({ gateway, ...options });
  return { h: harness, gateway };
}

describe("the expiry sweep (finding 2)", () => {
  it("gets past 1,000 expired orders whose close the gateway refuses: the orders behind them close", async () => {
    const { h, gateway } = await start({ expireAfterMs: 60_000, queryIntervalMs: 60_000 });
    gateway.adapter.closeOrder = async (input) => {
      gateway.closeCalls.push(input);
      if (input.orderNo.startsWith("BAD")) throw new GatewayError("fake", "order cannot be closed", { gatewayCode: "CLOSE_REFUSED" });
    };
    const hour = 60 * 60 * 1000;
    for (let i = 0; i < 1_000; i++) await h.router.store.insert(pendingOrder(`BAD${String(i).padStart(4, "0")}`, 3 * hour - i));
    for (const orderNo of ["GOOD1", "GOOD2"]) await h.router.store.insert(pendingOrder(orderNo, 2 * hour));

    const results = [];
    for (let sweep = 0; sweep < 3; sweep++) {
      results.push(await h.router.sweepExpired());
      if ((await h.router.store.get("GOOD2"))?.status === "closed") break;
    }
    expect([(await h.router.store.get("GOOD1"))?.status, (await h.router.store.get("GOOD2"))?.status]).toEqual(["closed", "closed"]);
    expect(results.reduce((sum, result) => sum + result.closed, 0)).toBe(2);
    // Each refusing order was asked once: a refusal is not retried before queryIntervalMs.
    const badCalls = gateway.closeCalls.filter((call) => call.orderNo.startsWith("BAD"));
    expect(badCalls).toHaveLength(1_000);
    expect(new Set(badCalls.map((call) => call.orderNo)).size).toBe(1_000);
  });

  it("closes several orders at once and stops starting new ones at sweepTimeLimitMs", async () => {
    const { h, gateway } = await start({ expireAfterMs: 60_000, sweepConcurrency: 4, sweepTimeLimitMs: 300 });
    let running = 0;
    let most = 0;
    gateway.adapter.closeOrder = async (input) => {
      gateway.closeCalls.push(input);
      running += 1;
      most = Math.max(most, running);
      await sleep(200);
      running -= 1;
    };
    for (let i = 0; i < 40; i++) await h.router.store.insert(pendingOrder(`SLOW${i}`, 3_600_000 - i));
    const started = Date.now();
    const result = await h.router.sweepExpired();
    const elapsed = Date.now() - started;
    // 40 closes of 200 ms one at a time would take 8 s: bounded by the limit plus one close.
    expect(elapsed).toBeLessThan(1_500);
    expect(most).toBe(4);
    expect(result.closed).toBe(gateway.closeCalls.length);
    expect(result.closed).toBeGreaterThanOrEqual(4);
    expect(result.closed).toBeLessThan(40);
    expect(result.deferred).toBe(40 - result.closed);
    // The next sweep goes on with the rest.
    const next = await h.router.sweepExpired();
    expect(next.closed).toBeGreaterThan(0);
  });
});

describe("closing an expired order on a status poll (finding 6)", () => {
  it("asks the gateway's close API at most once per queryIntervalMs, however often the payer polls", async () => {
    const { h, gateway } = await start({ expireAfterMs: 50, queryIntervalMs: 60_000 });
    const created = await h.api.post("/pay/orders").send({ orderNo: "E1" }).expect(201);
    const token = created.body.statusToken as string;
    gateway.refuseCloses();
    await sleep(80);
    for (let poll = 0; poll < 15; poll++) {
      const res = await h.api.get("/pay/orders/E1").query({ token }).expect(200);
      expect(res.body.status).toBe("pending");
    }
    expect(gateway.closeCalls).toHaveLength(1);
    // The sweep keeps to the same interval.
    await h.router.sweepExpired();
    expect(gateway.closeCalls).toHaveLength(1);
    // router.close is the merchant's own call: always sent.
    await h.router.close("E1").catch(() => undefined);
    expect(gateway.closeCalls).toHaveLength(2);
  });
});
