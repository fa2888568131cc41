/**
 * The memory store is bounded: finished orders go after their retention, and at maxOrders the
 * oldest finished order makes room; a pending or still-fulfilling order is never dropped.
 */
import { describe, expect, it } from "vitest";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { StoreFullError } from "../../src/errors.js";
import { isFinished } from "../../src/store/retention.js";
import type { OrderRecord, RefundEntry } from "../../src/store/contract.js";
import { newOrder } from "./orders.js";

const DAY = 24 * 60 * 60 * 1000;

async function finish(store: MemoryOrderStore, orderNo: string, fields: Partial<OrderRecord> = { status: "closed" }): Promise<void> {
  const { version, ...current } = (await store.get(orderNo))!;
  expect(await store.compareAndSet(orderNo, version, { ...current, ...fields })).not.toBeNull();
}

const refund = (overrides: Partial<RefundEntry>): RefundEntry => ({
  refundNo: "r1",
  amountFen: 1,
  status: "succeeded",
  requestedAt: "2026-11-22T02:00:00.000Z",
  attempts: 1,
  fulfilment: "done",
  ...overrides,
});

describe("isFinished", () => {
  it("holds for closed, failed and fully handled paid orders only", () => {
    const paid = newOrder({ status: "paid", fulfilment: "done" }) as OrderRecord;
    expect(isFinished(newOrder({ status: "closed" }) as OrderRecord)).toBe(true);
    expect(isFinished(newOrder({ status: "failed" }) as OrderRecord)).toBe(true);
    expect(isFinished(paid)).toBe(true);
    expect(isFinished({ ...paid, status: "refunded", refunds: [refund({})] })).toBe(true);
    expect(isFinished(newOrder() as OrderRecord)).toBe(false);
    expect(isFinished({ ...paid, fulfilment: "running" })).toBe(false);
    expect(isFinished({ ...paid, fulfilment: "none" })).toBe(false);
    expect(isFinished({ ...paid, refunds: [refund({ status: "processing", fulfilment: "none" })] })).toBe(false);
    expect(isFinished({ ...paid, refunds: [refund({ fulfilment: "running" })] })).toBe(false);
  });
});

describe("MemoryOrderStore bound", () => {
  it("evicts the oldest finished order at maxOrders, never a pending one, and refuses when all are in progress", async () => {
    const store = new MemoryOrderStore({ maxOrders: 3 });
    const [a, b, c, d, e] = ["A", "B", "C", "D", "E"].map((orderNo) => newOrder({ orderNo }));
    for (const order of [a, b, c]) expect(await store.insert(order!)).toBe(true);
    await expect(store.insert(d!)).rejects.toBeInstanceOf(StoreFullError);
    await finish(store, "C");
    await finish(store, "B", { status: "paid", fulfilment: "done" });
    expect(await store.insert(d!)).toBe(true);
    // C finished first, so it went first.
    expect([await store.get("A"), await store.get("C")].map((record) => record?.status ?? null)).toEqual(["pending", null]);
    expect(await store.insert(e!)).toBe(true);
    expect(await store.get("B")).toBeNull();
    expect(store.size).toBe(3);
    await expect(store.insert(newOrder({ orderNo: "F" }))).rejects.toBeInstanceOf(StoreFullError);
  });

  it("a finished order that is in progress again (a refund) is not evicted", async () => {
    const store = new MemoryOrderStore({ maxOrders: 2 });
    await store.insert(newOrder({ orderNo: "P" }));
    await store.insert(newOrder({ orderNo: "Q" }));
    await finish(store, "P", { status: "paid", fulfilment: "done" });
    await finish(store, "P", { refunds: [refund({ status: "processing", fulfilment: "none" })] });
    await expect(store.insert(newOrder({ orderNo: "R" }))).rejects.toBeInstanceOf(StoreFullError);
    expect((await store.get("P"))?.refunds).toHaveLength(1);
  });

  it("drops finished orders past their retention, on insert and prune; pending ones stay", async () => {
    let now = Date.parse("2026-11-22T02:00:00.000Z");
    const store = new MemoryOrderStore({ retentionMs: 30 * DAY, now: () => now });
    await store.insert(newOrder({ orderNo: "OLD" }));
    await store.insert(newOrder({ orderNo: "WAIT" }));
    await finish(store, "OLD", { status: "failed" });
    now += 29 * DAY;
    expect(await store.prune()).toBe(0);
    await store.insert(newOrder({ orderNo: "NEW" }));
    await finish(store, "NEW");
    now += 2 * DAY;
    expect(await store.prune()).toBe(1);
    expect(await store.get("OLD")).toBeNull();
    expect((await store.get("WAIT"))?.status).toBe("pending");
    now += 29 * DAY;
    await store.insert(newOrder({ orderNo: "LATEST" }));
    expect(await store.get("NEW")).toBeNull();
    expect(store.size).toBe(2);
  });

  it("lists pending orders created before a time, for the expiry sweep", async () => {
    const store = new MemoryOrderStore();
    await store.insert(newOrder({ orderNo: "E1", createdAt: "2026-11-22T01:00:00.000Z" }));
    await store.insert(newOrder({ orderNo: "E2", createdAt: "2026-11-22T03:00:00.000Z" }));
    await store.insert(newOrder({ orderNo: "E3", createdAt: "2026-11-22T00:00:00.000Z", status: "paid" }));
    expect(await store.pendingBefore(Date.parse("2026-11-22T02:00:00.000Z"), 10)).toEqual(["E1"]);
  });
});
