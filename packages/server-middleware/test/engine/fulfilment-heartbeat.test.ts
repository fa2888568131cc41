/**
 * onPaid and onRefunded while they run (issue 21): the claim's lease is renewed while its
 * holder is alive, so a slow hook runs once (finding 12); the hook is handed an AbortSignal that
 * fires when its claim is lost; and onPaid learns an order's refunds (finding 7).
 */
import { afterEach, describe, expect, it } from "vitest";
import { MemoryOrderStore } from "../../src/store/memory.js";
import type { OrderRecord, OrderStore } from "../../src/store/contract.js";
import type { Payment, Refund } from "../../src/types.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway } from "../support/refund-gateway.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Short, so a slow hook outlives several; its renewals (every 200 ms) keep a margin for a busy event loop. */
const LEASE_MS = 600;

/** Resolves once `signal` fires, or with false after `ms`. */
const abortedWithin = (signal: AbortSignal | undefined, ms: number): Promise<boolean> =>
  new Promise((resolve) => {
    if (signal?.aborted) return resolve(true);
    const timer = setTimeout(() => resolve(false), ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });

function notify(h: Harness, orderNo: string, amountFen = 100) {
  return h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo, amountFen }));
}

describe("a slow onPaid (finding 12)", () => {
  it("outliving several lease periods runs once: its lease is renewed while it runs", async () => {
    harness = await startHarness({
      fulfilmentLeaseMs: LEASE_MS,
      onPaidImpl: async () => {
        await sleep(4 * LEASE_MS);
      },
    });
    const h = harness;
    await h.api.post("/pay/orders").send({ orderNo: "H1" }).expect(201);
    const first = notify(h, "H1").then((res) => res);
    // The gateway retries every 100 ms meanwhile.
    for (let retry = 0; retry < 20; retry++) {
      await sleep(100);
      const res = await notify(h, "H1");
      if (res.text === "SUCCESS") break;
    }
    expect((await first).text).toBe("SUCCESS");
    expect(h.paid).toHaveLength(1);
    expect(await h.router.store.get("H1")).toMatchObject({ fulfilment: "done" });
  });

  it("is told by its signal when another run took its claim over", async () => {
    let seen: AbortSignal | undefined;
    let aborted: Promise<boolean> | undefined;
    harness = await startHarness({
      fulfilmentLeaseMs: LEASE_MS,
      onPaid: async (_payment: Payment, context?: { signal: AbortSignal }) => {
        seen = context?.signal;
        aborted = abortedWithin(seen, 10 * LEASE_MS);
        await aborted;
      },
    });
    const h = harness;
    await h.api.post("/pay/orders").send({ orderNo: "H2" }).expect(201);
    const first = notify(h, "H2").then((res) => res);
    let record: OrderRecord | null = null;
    for (let i = 0; i < 100 && record?.fulfilment !== "running"; i++) {
      await sleep(5);
      record = await h.router.store.get("H2");
    }
    // Another instance takes the claim over (as after this one lost the store for a lease).
    const { version, ...fields } = record!;
    await h.router.store.compareAndSet("H2", version, { ...fields, fulfilmentClaim: "another-run", fulfilmentLeaseUntil: Date.now() + 60_000 });
    expect(await aborted).toBe(true);
    expect(seen?.aborted).toBe(true);
    expect((await first).status).toBeGreaterThanOrEqual(500);
    expect(await h.router.store.get("H2")).toMatchObject({ fulfilment: "running", fulfilmentClaim: "another-run" });
  });

  it("finds its signal fired when it first reads it after its claim was lost (the signal is made on first use)", async () => {
    let takenOver: () => void = () => {};
    const takeover = new Promise<void>((resolve) => (takenOver = resolve));
    let abortedWhenRead: boolean | undefined;
    harness = await startHarness({
      fulfilmentLeaseMs: LEASE_MS,
      onPaid: async (_payment: Payment, context?: { signal: AbortSignal }) => {
        await takeover;
        // Two renewals later the loss is known; only now is the signal looked at.
        await sleep(LEASE_MS);
        abortedWhenRead = context?.signal.aborted;
      },
    });
    const h = harness;
    await h.api.post("/pay/orders").send({ orderNo: "H4" }).expect(201);
    const first = notify(h, "H4").then((res) => res);
    let record: OrderRecord | null = null;
    for (let i = 0; i < 100 && record?.fulfilment !== "running"; i++) {
      await sleep(5);
      record = await h.router.store.get("H4");
    }
    const { version, ...fields } = record!;
    await h.router.store.compareAndSet("H4", version, { ...fields, fulfilmentClaim: "another-run", fulfilmentLeaseUntil: Date.now() + 60_000 });
    takenOver();
    expect((await first).status).toBeGreaterThanOrEqual(500);
    expect(abortedWhenRead).toBe(true);
  });

  it("is told by its signal when the store keeps failing to renew its lease", async () => {
    const memory = new MemoryOrderStore();
    let failing = false;
    const store: OrderStore = {
      get: (orderNo) => memory.get(orderNo),
      insert: (record) => memory.insert(record),
      compareAndSet: (orderNo, version, next) => (failing ? Promise.reject(new Error("store unreachable")) : memory.compareAndSet(orderNo, version, next)),
      compareAndDelete: (orderNo, version) => memory.compareAndDelete(orderNo, version),
    };
    let aborted: Promise<boolean> | undefined;
    harness = await startHarness({
      store,
      fulfilmentLeaseMs: LEASE_MS,
      onPaid: async (_payment: Payment, context?: { signal: AbortSignal }) => {
        failing = true;
        aborted = abortedWithin(context?.signal, 10 * LEASE_MS);
        await aborted;
        failing = false;
      },
    });
    await harness.api.post("/pay/orders").send({ orderNo: "H3" }).expect(201);
    await notify(harness, "H3");
    expect(await aborted).toBe(true);
  });
});

describe("a slow onRefunded (finding 12)", () => {
  it("runs once however long it takes, and its signal fires when its claim is taken over", async () => {
    const gateway = refundGateway();
    const runs: Refund[] = [];
    let aborted: Promise<boolean> | undefined;
    harness = await startHarness({
      gateway,
      fulfilmentLeaseMs: LEASE_MS,
      onRefunded: async (refund: Refund, context?: { signal: AbortSignal }) => {
        runs.push(refund);
        if (refund.refundNo === "K1-a") {
          await sleep(4 * LEASE_MS);
          return;
        }
        aborted = abortedWithin(context?.signal, 10 * LEASE_MS);
        await aborted;
      },
    });
    const h = harness;
    h.amounts.set("K1", 1000);
    await h.api.post("/pay/orders").send({ orderNo: "K1" }).expect(201);
    await notify(h, "K1", 1000).expect(200, "SUCCESS");
    const slow = h.router.refund({ orderNo: "K1", refundNo: "K1-a", amountFen: 100 });
    for (let retry = 0; retry < 20; retry++) {
      await sleep(100);
      await h.router.refund({ orderNo: "K1", refundNo: "K1-a", amountFen: 100 });
    }
    expect(await slow).toMatchObject({ status: "succeeded", fulfilled: true });
    expect(runs.map((refund) => refund.refundNo)).toEqual(["K1-a"]);

    const taken = h.router.refund({ orderNo: "K1", refundNo: "K1-b", amountFen: 100 });
    let record: OrderRecord | null = null;
    for (let i = 0; i < 100 && record?.refunds?.[1]?.fulfilment !== "running"; i++) {
      await sleep(5);
      record = await h.router.store.get("K1");
    }
    const { version, ...fields } = record!;
    const entry = { ...record!.refunds![1]!, fulfilmentClaim: "another-run", fulfilmentLeaseUntil: Date.now() + 60_000 };
    await h.router.store.compareAndSet("K1", version, { ...fields, refunds: [record!.refunds![0]!, entry] });
    expect(await aborted).toBe(true);
    expect(await taken).toMatchObject({ status: "succeeded", fulfilled: false });
  });
});

describe("onPaid for an order refunded meanwhile (finding 7)", () => {
  it("still runs (money was taken) and is told the order's refund state", async () => {
    const gateway = refundGateway();
    let attempts = 0;
    harness = await startHarness({
      gateway,
      onPaidImpl: () => {
        attempts += 1;
        if (attempts === 1) throw new Error("warehouse offline");
      },
    });
    const h = harness;
    h.amounts.set("G1", 500);
    await h.api.post("/pay/orders").send({ orderNo: "G1" }).expect(201);
    expect((await notify(h, "G1", 500)).text).toBe("FAIL");
    expect(await h.router.refund({ orderNo: "G1", refundNo: "G1-all" })).toMatchObject({ status: "succeeded", refundedFen: 500 });
    await notify(h, "G1", 500).expect(200, "SUCCESS");
    expect(h.paid.map((payment) => [payment.status, payment.refundedFen])).toEqual([
      ["paid", 0],
      ["refunded", 500],
    ]);
  });
});
