/** The one compare-and-set loop: its per-order queue must not cost a caller a read. */
import { describe, expect, it } from "vitest";
import { transition } from "../../src/engine/transition.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { newOrder } from "../store/orders.js";

/** A memory store that counts its reads. */
function countingStore(): { store: MemoryOrderStore; reads: () => number } {
  const store = new MemoryOrderStore();
  let reads = 0;
  const get = store.get.bind(store);
  store.get = (orderNo) => {
    reads += 1;
    return get(orderNo);
  };
  return { store, reads: () => reads };
}

describe("transition", () => {
  it("runs a caller's next transition of the same order at once from the record it holds (no read)", async () => {
    const { store, reads } = countingStore();
    const order = newOrder({ status: "pending" });
    await store.insert(order);
    const inserted = (await store.get(order.orderNo))!;
    const before = reads();
    // As settle does: claim, then (after onPaid) mark done, each from the record it holds.
    const claimed = await transition(store, order.orderNo, () => ({ status: "paid", fulfilment: "running" }), inserted);
    const done = await transition(store, order.orderNo, () => ({ fulfilment: "done" }), claimed.record!);
    expect(done).toMatchObject({ changed: true, record: { version: 3, status: "paid", fulfilment: "done" } });
    expect(reads() - before).toBe(0);
  });

  it("queues concurrent transitions of one order: each applies to the record the previous one wrote", async () => {
    const { store } = countingStore();
    const order = newOrder({ attach: "0" });
    await store.insert(order);
    const from = (await store.get(order.orderNo))!;
    const results = await Promise.all(
      Array.from({ length: 50 }, () => transition(store, order.orderNo, (current) => ({ attach: String(Number(current.attach) + 1) }), from)),
    );
    expect(results.every((result) => result.changed)).toBe(true);
    expect(await store.get(order.orderNo)).toMatchObject({ attach: "50", version: 51 });
  });
});
