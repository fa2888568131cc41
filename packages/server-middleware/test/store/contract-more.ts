/**
 * More of the OrderStore contract, written for the SQL stores and run against every store:
 * concurrent writers lose no update, every field round-trips, a newer record is never
 * overwritten, the expiry sweep's listing is ordered and limited, and retention prunes only
 * finished orders.
 */
import { expect, it } from "vitest";
import type { OrderRecord, OrderStore } from "../../src/store/contract.js";
import { fullOrder, newOrder } from "./orders.js";

export interface StoreFeatures {
  /** The store has prune(), and was built with a retention of RETENTION_MS on the suite's clock. */
  prunes: boolean;
}

export const RETENTION_MS = 24 * 60 * 60 * 1000;

export function describeMoreContract(stores: () => [OrderStore, OrderStore], clock: { offsetMs: number }, features: StoreFeatures): void {
  it("of 20 callers each adding 5 by compare-and-set, retrying lost races, no update is lost", { timeout: 60_000 }, async () => {
    const [store, otherStore] = stores();
    const order = newOrder({ lastQueriedAt: 0 });
    await store.insert(order);
    const addOne = async (handle: OrderStore): Promise<void> => {
      for (let attempt = 0; attempt < 1_000; attempt++) {
        const current = (await handle.get(order.orderNo))!;
        const { version, ...fields } = current;
        if (await handle.compareAndSet(order.orderNo, version, { ...fields, lastQueriedAt: (current.lastQueriedAt ?? 0) + 1 })) return;
        // A short random wait after a loss, as the engine's loop does.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 4));
      }
      throw new Error("no compare-and-set stuck in 1000 attempts");
    };
    await Promise.all(
      Array.from({ length: 20 }, async (_, caller) => {
        for (let i = 0; i < 5; i++) await addOne(caller % 2 === 0 ? store : otherStore);
      }),
    );
    expect(await otherStore.get(order.orderNo)).toMatchObject({ lastQueriedAt: 100, version: 101 });
  });

  it("keeps every field exactly, refund ledger and action included, through insert and compareAndSet", async () => {
    const [store, otherStore] = stores();
    const order = fullOrder();
    expect(await store.insert(structuredClone(order))).toBe(true);
    expect(await otherStore.get(order.orderNo)).toStrictEqual({ ...order, version: 1 });
    const next = fullOrder({ orderNo: order.orderNo, status: "refunded", refunds: [...order.refunds, { ...order.refunds[1]!, refundNo: "R4", status: "succeeded", fulfilment: "running" }] });
    const { lastQueriedAt: _dropped, ...withoutField } = next;
    const written = await otherStore.compareAndSet(order.orderNo, 1, withoutField);
    expect(written).toStrictEqual({ ...withoutField, version: 2 });
    expect(await store.get(order.orderNo)).toStrictEqual({ ...withoutField, version: 2 });
  });

  it("never overwrites a record of another version, older or newer", async () => {
    const [store, otherStore] = stores();
    const order = newOrder();
    await store.insert(order);
    for (const version of [1, 2]) await store.compareAndSet(order.orderNo, version, { ...order, attach: `v${version + 1}` });
    for (const stale of [0, 1, 2, 4, 100]) {
      expect(await otherStore.compareAndSet(order.orderNo, stale, { ...order, status: "closed" })).toBeNull();
      expect(await otherStore.compareAndDelete(order.orderNo, stale)).toBe(false);
    }
    expect(await store.get(order.orderNo)).toEqual({ ...order, attach: "v3", version: 3 });
  });

  it("lists pending orders created before a time, oldest first, at most `limit`", async () => {
    const [store, otherStore] = stores();
    // Long past, so no other test's order is older.
    const at = (second: number) => new Date(Date.UTC(2001, 0, 1, 0, 0, second)).toISOString();
    const orders = [1, 2, 3, 4, 5].map((second) => newOrder({ createdAt: at(second) }));
    for (const order of orders) await store.insert(order);
    const [first, second, third, fourth, fifth] = orders.map((order) => order.orderNo);
    await store.compareAndSet(second!, 1, { ...orders[1]!, status: "closed" });
    await store.compareAndSet(fourth!, 1, { ...orders[3]!, status: "paid" });
    expect(await otherStore.pendingBefore!(Date.parse(at(5)), 10)).toEqual([first, third]);
    expect(await otherStore.pendingBefore!(Date.parse(at(6)), 2)).toEqual([first, third]);
    expect(await otherStore.pendingBefore!(Date.parse(at(6)), 3)).toEqual([first, third, fifth]);
    expect(await otherStore.pendingBefore!(Date.parse(at(1)), 10)).toEqual([]);
  });

  it("lists pending orders after a cursor (creation time, then order number), so a sweep reads on past orders it could not close", async () => {
    const [store, otherStore] = stores();
    const at = (second: number) => new Date(Date.UTC(2000, 0, 1, 0, 0, second)).toISOString();
    // Three orders in one millisecond, ordered by number; one a second later.
    const orders = [newOrder({ createdAt: at(1) }), newOrder({ createdAt: at(1) }), newOrder({ createdAt: at(1) }), newOrder({ createdAt: at(2) })];
    orders.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || (a.orderNo < b.orderNo ? -1 : 1));
    for (const order of orders) await store.insert(order);
    const numbers = orders.map((order) => order.orderNo);
    const before = Date.parse(at(3));
    const cursor = (index: number) => ({ createdAt: Date.parse(orders[index]!.createdAt), orderNo: numbers[index]! });
    expect(await otherStore.pendingBefore!(before, 10)).toEqual(numbers);
    expect(await otherStore.pendingBefore!(before, 2, cursor(0))).toEqual(numbers.slice(1, 3));
    expect(await otherStore.pendingBefore!(before, 10, cursor(2))).toEqual(numbers.slice(3));
    expect(await otherStore.pendingBefore!(before, 10, cursor(3))).toEqual([]);
    // Not pending any more: the other tests' lists stay theirs.
    for (const order of orders) await store.compareAndSet(order.orderNo, 1, { ...order, status: "closed" });
  });

  if (features.prunes) {
    it("prunes finished orders past retention, in batches, and never one pending or in progress", async () => {
      const [store, otherStore] = stores();
      const finishedLong = Array.from({ length: 5 }, () => newOrder());
      const kept = {
        pending: newOrder(),
        paidNotFulfilled: newOrder({ status: "paid", fulfilment: "none" }),
        refundInFlight: newOrder(),
        finishedLater: newOrder(),
      };
      for (const order of [...finishedLong, ...Object.values(kept)]) await store.insert(order);
      const finish = async (order: Omit<OrderRecord, "version">, fields: Partial<OrderRecord>, version = 1) =>
        expect(await store.compareAndSet(order.orderNo, version, { ...order, ...fields })).not.toBeNull();
      for (const [i, order] of finishedLong.entries()) await finish(order, i % 2 === 0 ? { status: "closed" } : { status: "paid", fulfilment: "done" });
      await finish(kept.refundInFlight, { status: "paid", fulfilment: "done" });
      // Finished, then in progress again: a refund is being sent.
      const refund = { refundNo: "R1", amountFen: 1, status: "processing" as const, requestedAt: new Date().toISOString(), attempts: 1, fulfilment: "none" as const };
      await finish(kept.refundInFlight, { status: "paid", fulfilment: "done", refunds: [refund] }, 2);

      clock.offsetMs += RETENTION_MS / 2;
      await finish(kept.finishedLater, { status: "failed" });
      clock.offsetMs += RETENTION_MS / 2 + 1_000;
      expect(await otherStore.prune!()).toBeGreaterThanOrEqual(finishedLong.length);
      for (const order of finishedLong) expect(await store.get(order.orderNo)).toBeNull();
      for (const order of Object.values(kept)) expect(await store.get(order.orderNo), order.orderNo).not.toBeNull();
      expect(await otherStore.prune!()).toBe(0);
    });
  }
}
