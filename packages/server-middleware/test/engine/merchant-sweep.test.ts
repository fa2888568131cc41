/**
 * The expiry sweep with several merchants (issue 19): a merchant's view of the shared store
 * reads on past a cursor and past other merchants' orders, and a sweep across merchants gets
 * past one merchant's orders whose close its gateway refuses to the other merchants' behind them.
 */
import { afterEach, describe, expect, it } from "vitest";
import { merchantKey, ScopedOrderStore } from "../../src/engine/merchant-store.js";
import { GatewayError } from "../../src/errors.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import type { OrderRecord } from "../../src/store/contract.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway } from "../support/refund-gateway.js";

const HOUR = 60 * 60 * 1000;
let open: Harness | undefined;
afterEach(async () => {
  open?.router.stopSweeping();
  await open?.close();
  open = undefined;
});

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

describe("a merchant's view of the shared store", () => {
  it("pendingBefore reads on past `after`, as the shared store does", async () => {
    const shared = new MemoryOrderStore();
    const a = new ScopedOrderStore(shared, "A");
    for (const [orderNo, age] of [["A1", 3 * HOUR], ["A2", 2 * HOUR], ["A3", HOUR]] as const) await a.insert(pendingOrder(orderNo, age));
    const first = await a.pendingBefore!(Date.now(), 2);
    expect(first).toEqual(["A1", "A2"]);
    const a2 = await a.get("A2");
    const next = await a.pendingBefore!(Date.now(), 2, { createdAt: Date.parse(a2!.createdAt), orderNo: "A2" });
    expect(next).toEqual(["A3"]);
  });

  it("finds its own pending orders behind a page of other merchants' older ones", async () => {
    const shared = new MemoryOrderStore();
    for (let i = 0; i < 30; i++) await shared.insert(pendingOrder(merchantKey("B", `B${i}`), 5 * HOUR - i));
    const a = new ScopedOrderStore(shared, "A");
    await a.insert(pendingOrder("A1", HOUR));
    expect(await a.pendingBefore!(Date.now(), 10)).toEqual(["A1"]);
  });
});

describe("the sweep across merchants", () => {
  it("gets past 1,000 of A's orders whose close A's gateway refuses: B's expired orders behind them close", async () => {
    const a = refundGateway({ key: "merchant-a-key-0123456789abcdef" });
    const b = refundGateway({ key: "merchant-b-key-fedcba9876543210" });
    a.adapter.closeOrder = async () => {
      throw new GatewayError("fake", "order cannot be closed", { gatewayCode: "CLOSE_REFUSED" });
    };
    const setups = new Map([["A", { gateways: [a.adapter] }], ["B", { gateways: [b.adapter] }]]);
    open = await startHarness({
      gateway: a,
      gateways: undefined,
      routing: { wechat: "fake", alipay: "fake" },
      merchants: async (merchantId: string) => setups.get(merchantId) ?? null,
      resolveOrder: () => ({ amountFen: 100, merchantId: "A" }),
      expireAfterMs: 60_000,
      queryIntervalMs: 60_000,
    });
    const { store } = open.router;
    for (let i = 0; i < 1_000; i++) await store.insert(pendingOrder(merchantKey("A", `BAD${String(i).padStart(4, "0")}`), 3 * HOUR - i));
    for (const orderNo of ["GOOD1", "GOOD2"]) await store.insert(pendingOrder(merchantKey("B", orderNo), 2 * HOUR));

    let closed = 0;
    for (let sweep = 0; sweep < 3; sweep++) closed += (await open.router.sweepExpired()).closed;
    const statuses = await Promise.all(["GOOD1", "GOOD2"].map(async (orderNo) => (await store.get(merchantKey("B", orderNo)))?.status));
    expect(statuses).toEqual(["closed", "closed"]);
    expect(closed).toBe(2);
    expect(b.closeCalls.map((call) => call.orderNo).sort()).toEqual(["GOOD1", "GOOD2"]);
  });

  it("reads on past a page of A's orders whose close was tried a moment ago (deferred): B's behind them close", async () => {
    const a = refundGateway({ key: "merchant-a-key-0123456789abcdef" });
    const b = refundGateway({ key: "merchant-b-key-fedcba9876543210" });
    const setups = new Map([["A", { gateways: [a.adapter] }], ["B", { gateways: [b.adapter] }]]);
    open = await startHarness({
      gateway: a,
      gateways: undefined,
      routing: { wechat: "fake", alipay: "fake" },
      merchants: async (merchantId: string) => setups.get(merchantId) ?? null,
      resolveOrder: () => ({ amountFen: 100, merchantId: "A" }),
      expireAfterMs: 60_000,
      queryIntervalMs: 60_000,
    });
    const { store } = open.router;
    // A status poll asked A's gateway to close each a moment ago: none is asked again yet.
    for (let i = 0; i < 1_000; i++) await store.insert({ ...pendingOrder(merchantKey("A", `TRIED${String(i).padStart(4, "0")}`), 3 * HOUR - i), lastCloseAttemptAt: Date.now() });
    await store.insert(pendingOrder(merchantKey("B", "GOOD1"), 2 * HOUR));
    for (let sweep = 0; sweep < 3; sweep++) await open.router.sweepExpired();
    expect((await store.get(merchantKey("B", "GOOD1")))?.status).toBe("closed");
    expect(a.closeCalls).toHaveLength(0);
  });
});
