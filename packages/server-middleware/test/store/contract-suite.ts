/**
 * The OrderStore contract as a suite, run by contract.test.ts against every store: the order
 * service relies on exactly these semantics to change state only by compare-and-set and to run
 * onPaid once.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { OrderStore } from "../../src/store/contract.js";
import { describeListingContract } from "./contract-listing.js";
import { describeMoreContract, type StoreFeatures } from "./contract-more.js";
import { newOrder } from "./orders.js";

export type { StoreFeatures } from "./contract-more.js";

export interface StoreUnderTest {
  /** Two handles on the same stored data (for Redis and SQL: two connections or pools). */
  stores: [OrderStore, OrderStore];
  close(): Promise<void>;
}

/** A store may hand out copies or frozen records; writing to a frozen one throws, and that is fine. */
function tryToChange(write: () => unknown): void {
  try {
    write();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error;
  }
}

/**
 * The contract's tests, for a store `open` builds (with the suite's clock, and a retention of
 * one day where the store prunes). The tests of what the SQL stores needed most are in
 * contract-more.ts, registered here too.
 */
export function describeStoreContract(open: (clock: () => number) => Promise<StoreUnderTest>, features: StoreFeatures): void {
  let subject: StoreUnderTest;
  let store: OrderStore;
  let otherStore: OrderStore;
  const clock = { offsetMs: 0 };
  beforeAll(async () => {
    subject = await open(() => Date.now() + clock.offsetMs);
    [store, otherStore] = subject.stores;
  }, 180_000);
  afterAll(() => subject?.close());

  it("stores a new order with version 1 and reads it back, from any handle", async () => {
    const order = newOrder();
    expect(await store.insert(order)).toBe(true);
    expect(await store.get(order.orderNo)).toEqual({ ...order, version: 1 });
    expect(await otherStore.get(order.orderNo)).toEqual({ ...order, version: 1 });
  });

  it("answers null for an unknown order", async () => {
    expect(await store.get("no-such-order")).toBeNull();
  });

  it("refuses to insert an order that exists, leaving it unchanged", async () => {
    const order = newOrder();
    await store.insert(order);
    expect(await otherStore.insert({ ...order, amountFen: 1, status: "paid" })).toBe(false);
    expect(await store.get(order.orderNo)).toEqual({ ...order, version: 1 });
  });

  it("compareAndSet from the stored version replaces the record and bumps the version", async () => {
    const order = newOrder({ action: undefined, gatewayOrderNo: undefined });
    await store.insert(order);
    const withAction = newOrder({ orderNo: order.orderNo, gatewayOrderNo: "G-42" });
    const second = await store.compareAndSet(order.orderNo, 1, withAction);
    expect(second).toEqual({ ...withAction, version: 2 });
    const paid = { ...withAction, status: "paid" as const, paidAt: "2026-11-22T02:01:00.000Z" };
    const third = await otherStore.compareAndSet(order.orderNo, 2, paid);
    expect(third).toEqual({ ...paid, version: 3 });
    expect(await store.get(order.orderNo)).toEqual({ ...paid, version: 3 });
  });

  it("compareAndSet from a stale version loses: null, and the record is unchanged", async () => {
    const order = newOrder();
    await store.insert(order);
    const paid = { ...order, status: "paid" as const };
    expect(await store.compareAndSet(order.orderNo, 1, paid)).not.toBeNull();
    expect(await otherStore.compareAndSet(order.orderNo, 1, { ...order, status: "failed" })).toBeNull();
    expect(await store.compareAndSet(order.orderNo, 3, { ...order, status: "closed" })).toBeNull();
    expect(await store.get(order.orderNo)).toEqual({ ...paid, version: 2 });
  });

  it("compareAndSet on a missing order loses and does not create it", async () => {
    const order = newOrder();
    expect(await store.compareAndSet(order.orderNo, 1, order)).toBeNull();
    expect(await store.get(order.orderNo)).toBeNull();
  });

  it("compareAndSet keeps the record under its own order number", async () => {
    const order = newOrder();
    await store.insert(order);
    const other = newOrder();
    const updated = await store.compareAndSet(order.orderNo, 1, { ...other, amountFen: 5 });
    expect(updated?.orderNo).toBe(order.orderNo);
    expect((await store.get(order.orderNo))?.amountFen).toBe(5);
    expect(await store.get(other.orderNo)).toBeNull();
  });

  it("compareAndDelete removes only at the expected version, so a failed create can be retried", async () => {
    const order = newOrder();
    await store.insert(order);
    await store.compareAndSet(order.orderNo, 1, order);
    expect(await otherStore.compareAndDelete(order.orderNo, 1)).toBe(false);
    expect(await store.get(order.orderNo)).toEqual({ ...order, version: 2 });
    expect(await otherStore.compareAndDelete(order.orderNo, 2)).toBe(true);
    expect(await store.get(order.orderNo)).toBeNull();
    expect(await store.compareAndDelete(order.orderNo, 2)).toBe(false);
    expect(await store.insert(order)).toBe(true);
    expect(await store.get(order.orderNo)).toEqual({ ...order, version: 1 });
  });

  it("never shares objects with callers: changing what went in or came out changes nothing stored", async () => {
    const order = newOrder();
    await store.insert(order);
    order.amountFen = 1;
    if (order.action?.type === "wechat") order.action.params.paySign = "tampered";

    const read = await store.get(order.orderNo);
    expect(read?.amountFen).toBe(1999);
    expect(read?.action).toMatchObject({ params: { paySign: "s" } });
    tryToChange(() => (read!.status = "paid"));
    tryToChange(() => read?.action?.type === "wechat" && (read.action.params.paySign = "tampered"));
    expect(await store.get(order.orderNo)).toEqual({ ...newOrder({ orderNo: order.orderNo }), version: 1 });

    const next = newOrder({ orderNo: order.orderNo });
    const updated = await store.compareAndSet(order.orderNo, 1, next);
    next.status = "closed";
    if (next.action?.type === "wechat") next.action.params.paySign = "tampered";
    tryToChange(() => (updated!.amountFen = 2));
    tryToChange(() => updated?.action?.type === "wechat" && (updated.action.params.paySign = "tampered"));

    const stored = await store.get(order.orderNo);
    expect(stored).toMatchObject({ status: "pending", amountFen: 1999, version: 2 });
    expect(stored?.action).toMatchObject({ params: { paySign: "s" } });
  });

  it("declares recordsAreCopies and keeps it: a new object from every get and compareAndSet, whose orderNo a merchant's view may rename", async () => {
    expect(store.recordsAreCopies).toBe(true);
    const order = newOrder();
    await store.insert(order);
    const [first, second] = [await store.get(order.orderNo), await store.get(order.orderNo)];
    expect(first).not.toBe(second);
    first!.orderNo = "renamed";
    const updated = await store.compareAndSet(order.orderNo, 1, newOrder({ orderNo: order.orderNo, status: "paid" }));
    expect(updated).not.toBe(await store.get(order.orderNo));
    updated!.orderNo = "renamed";
    expect(await store.get(order.orderNo)).toMatchObject({ orderNo: order.orderNo, status: "paid", version: 2 });
    expect(second?.orderNo).toBe(order.orderNo);
  });

  it("keeps any JavaScript string exactly, lone surrogates included, through insert, compareAndSet and compareAndDelete", async () => {
    // A browser-posted openId ending in half an emoji, a description cut mid-pair, a lone low
    // surrogate, the JSON-looking text of a version field, and characters JSON must escape.
    const order = newOrder({
      openId: "user\ud83d",
      description: `${"咖".repeat(127)}\ud83d`,
      attach: '\udc00"version":99,\\\u0000\u2028😀',
      gatewayOrderNo: "\ud800\udbff",
    });
    expect(await store.insert(order)).toBe(true);
    expect(await otherStore.get(order.orderNo)).toEqual({ ...order, version: 1 });
    const paid = { ...order, status: "paid" as const, description: "😀\udfff" };
    expect(await otherStore.compareAndSet(order.orderNo, 1, paid)).toEqual({ ...paid, version: 2 });
    expect(await store.compareAndSet(order.orderNo, 1, order)).toBeNull();
    expect(await store.get(order.orderNo)).toEqual({ ...paid, version: 2 });
    expect(await store.compareAndDelete(order.orderNo, 1)).toBe(false);
    expect(await store.compareAndDelete(order.orderNo, 2)).toBe(true);
    expect(await otherStore.get(order.orderNo)).toBeNull();
  });

  it("of 200 concurrent compareAndSets from the same version exactly one wins", async () => {
    const order = newOrder();
    await store.insert(order);
    const attempts = Array.from({ length: 200 }, (_, i) =>
      (i % 2 === 0 ? store : otherStore).compareAndSet(order.orderNo, 1, { ...order, status: "paid", attach: `attempt-${i}` }),
    );
    const results = await Promise.all(attempts);
    const winners = results.filter((result) => result !== null);
    expect(winners).toHaveLength(1);
    expect(await store.get(order.orderNo)).toEqual(winners[0]);
    expect(winners[0]).toMatchObject({ version: 2, status: "paid" });
  });

  describeMoreContract(() => subject.stores, clock, features);
  describeListingContract(() => subject.stores, clock, features);
}
