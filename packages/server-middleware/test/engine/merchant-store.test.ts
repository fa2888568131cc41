/** One merchant's view of the shared store lists that merchant's paid orders and refunds only. */
import { describe, expect, it } from "vitest";
import { ScopedOrderStore } from "../../src/engine/merchant-store.js";
import type { OrderRecord, OrderStore, RefundEntry } from "../../src/store/contract.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { newOrder } from "../store/orders.js";

const paidAt = (second: number): string => new Date(Date.UTC(2026, 11, 1, 0, 0, second)).toISOString();
const refund: RefundEntry = { refundNo: "R1", amountFen: 1, status: "succeeded", requestedAt: paidAt(30), finishedAt: paidAt(31), attempts: 1, fulfilment: "done" };
const paid = (orderNo: string, second: number): Omit<OrderRecord, "version"> =>
  newOrder({ orderNo, status: "partially_refunded", paidAt: paidAt(second), fulfilment: "done", refunds: [refund] });
const window = { from: Date.parse(paidAt(0)), to: Date.parse(paidAt(60)) };

describe("ScopedOrderStore listing", () => {
  it("lists only its merchant's orders and refunds, under its own order numbers, paging by them", async () => {
    const shared = new MemoryOrderStore();
    const [a, b, a2] = [new ScopedOrderStore(shared, "A"), new ScopedOrderStore(shared, "B"), new ScopedOrderStore(shared, "A2")];
    // The same order numbers for each merchant, and the single-shop key "A1" beside them.
    for (const [second, orderNo] of ["O1", "O2", "O3"].entries()) {
      for (const merchant of [b, a, a2]) await merchant.insert(paid(orderNo, second));
    }
    await shared.insert(paid("A1", 1));
    const first = await a.listPaid!(window, 2);
    expect(first.map((record) => record.orderNo)).toEqual(["O1", "O2"]);
    const rest = await a.listPaid!(window, 2, { at: Date.parse(first[1]!.paidAt!), orderNo: first[1]!.orderNo });
    expect(rest.map((record) => record.orderNo)).toEqual(["O3"]);
    const refunds = await b.listRefunds!(window, 10);
    expect(refunds.map(({ order, refund: entry }) => `${order.orderNo}/${entry.refundNo}`)).toEqual(["O1/R1", "O2/R1", "O3/R1"]);
    expect(refunds[0]).toEqual({ order: { ...paid("O1", 0), orderNo: "O1", version: 1 }, refund });
    // A key prefix narrows within the merchant's own order numbers.
    expect((await a.listPaid!(window, 10, undefined, "O2")).map((record) => record.orderNo)).toEqual(["O2"]);
  });

  it("offers no listing when the shared store has none", () => {
    const bare: OrderStore = { get: async () => null, insert: async () => false, compareAndSet: async () => null, compareAndDelete: async () => false };
    const scoped = new ScopedOrderStore(bare, "A");
    expect(scoped.listPaid).toBeUndefined();
    expect(scoped.listRefunds).toBeUndefined();
  });
});

describe("ScopedOrderStore records", () => {
  /** A store that keeps and hands out its own objects (allowed: it does not declare recordsAreCopies). */
  function keepingStore(): OrderStore & { kept: Map<string, OrderRecord> } {
    const kept = new Map<string, OrderRecord>();
    return {
      kept,
      get: async (orderNo) => kept.get(orderNo) ?? null,
      insert: async (record) => (kept.has(record.orderNo) ? false : (kept.set(record.orderNo, { ...record, version: 1 }), true)),
      compareAndSet: async (orderNo, version, next) => {
        if (kept.get(orderNo)?.version !== version) return null;
        const stored = { ...next, orderNo, version: version + 1 };
        kept.set(orderNo, stored);
        return stored;
      },
      compareAndDelete: async () => false,
    };
  }

  it("never renames a record the inner store keeps: its stored key stays m:<merchant>:<orderNo>", async () => {
    const inner = keepingStore();
    const scoped = new ScopedOrderStore(inner, "A");
    const order = newOrder({ orderNo: "O1" });
    expect(await scoped.insert(order)).toBe(true);
    expect(inner.kept.get("m:A:O1")?.orderNo).toBe("m:A:O1");
    const read = await scoped.get("O1");
    expect(read?.orderNo).toBe("O1");
    const written = await scoped.compareAndSet("O1", 1, { ...order, status: "paid" });
    expect(written).toMatchObject({ orderNo: "O1", status: "paid", version: 2 });
    expect(inner.kept.get("m:A:O1")).toMatchObject({ orderNo: "m:A:O1", status: "paid", version: 2 });
    // The caller's record is not renamed by the write either.
    const next = { ...order, status: "closed" as const };
    await scoped.compareAndSet("O1", 2, next);
    expect(next.orderNo).toBe("O1");
    expect((await scoped.get("O1"))?.orderNo).toBe("O1");
  });

  it("over a store that hands out copies, every read is the merchant's own object under its own number", async () => {
    const shared = new MemoryOrderStore();
    expect(shared.recordsAreCopies).toBe(true);
    const scoped = new ScopedOrderStore(shared, "A");
    await scoped.insert(newOrder({ orderNo: "O1" }));
    const first = await scoped.get("O1");
    const second = await scoped.get("O1");
    expect([first?.orderNo, second?.orderNo]).toEqual(["O1", "O1"]);
    expect(first).not.toBe(second);
    first!.status = "paid";
    expect((await scoped.get("O1"))?.status).toBe("pending");
    expect((await shared.get("m:A:O1"))?.orderNo).toBe("m:A:O1");
  });
});
