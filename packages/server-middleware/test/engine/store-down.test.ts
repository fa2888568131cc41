/**
 * An order store that cannot be reached (its database down): a create answers 500 without a
 * gateway order or a half-written record, a notify answers the gateway's own failure reply with
 * a 5xx so the gateway retries it, and the log names the store. Once the store is back, the
 * retry settles the order and onPaid runs once.
 */
import { afterEach, describe, expect, it } from "vitest";
import { OrderStoreError } from "../../src/errors.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { PostgresOrderStore } from "../../src/store/postgres.js";
import type { OrderStore } from "../../src/store/contract.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { freePort } from "../../../../test/support/free-port.js";

/** A memory store whose database "goes down": every call then rejects as a SQL store's would. */
function switchableStore(): { store: OrderStore; down: boolean } {
  const inner = new MemoryOrderStore();
  const state = { down: false, store: {} as OrderStore };
  const guard = <T>(call: () => Promise<T>): Promise<T> =>
    state.down ? Promise.reject(new OrderStoreError("TestOrderStore", "get failed: connect ECONNREFUSED 127.0.0.1:5432")) : call();
  state.store = {
    get: (orderNo) => guard(() => inner.get(orderNo)),
    insert: (record) => guard(() => inner.insert(record)),
    compareAndSet: (orderNo, version, next) => guard(() => inner.compareAndSet(orderNo, version, next)),
    compareAndDelete: (orderNo, version) => guard(() => inner.compareAndDelete(orderNo, version)),
  };
  return state;
}

describe("an order store that cannot be reached", () => {
  let harness: Harness | undefined;
  afterEach(async () => {
    await harness?.close();
    harness = undefined;
  });

  it("a create answers 500 with no gateway order made, and the log names the store", async () => {
    const store = new PostgresOrderStore({ postgres: `postgres://paybridge@127.0.0.1:${await freePort()}/shop` });
    harness = await startHarness({ store });
    const response = await harness.api.post("/pay/orders").send({ orderNo: "DOWN1", channel: "wechat" });
    expect([response.status, response.body]).toEqual([500, { error: { code: "internal", message: "internal error" } }]);
    expect(harness.gateway.createCalls).toHaveLength(0);
    expect(harness.logs).toContainEqual(
      expect.objectContaining({ level: "error", fields: expect.objectContaining({ error: "OrderStoreError", reason: expect.stringMatching(/^PostgresOrderStore: insert failed: /) }) }),
    );
    await store.close();
  });

  it("a notify answers the gateway's failure reply with a 5xx, so the gateway retries; once the store is back the retry settles it", async () => {
    const switchable = switchableStore();
    harness = await startHarness({ store: switchable.store });
    await harness.api.post("/pay/orders").send({ orderNo: "DOWN2", channel: "wechat" }).expect(201);
    const notify = harness.gateway.notify({ orderNo: "DOWN2", amountFen: 100 });

    switchable.down = true;
    const refused = await harness.api.post("/pay/notify/fake").set("content-type", "application/json").send(notify);
    expect([refused.status, refused.text]).toEqual([500, "FAIL"]);
    expect(harness.paid).toHaveLength(0);
    expect(harness.logs).toContainEqual(expect.objectContaining({ level: "error", fields: expect.objectContaining({ error: "OrderStoreError", gateway: "fake" }) }));

    switchable.down = false;
    const retried = await harness.api.post("/pay/notify/fake").set("content-type", "application/json").send(notify);
    expect([retried.status, retried.text]).toEqual([200, "SUCCESS"]);
    expect(harness.paid.map((payment) => payment.orderNo)).toEqual(["DOWN2"]);
    expect(await switchable.store.get("DOWN2")).toMatchObject({ status: "paid", fulfilment: "done" });
  });
});
