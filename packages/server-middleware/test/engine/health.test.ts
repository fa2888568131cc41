/**
 * `health()` on the Express router and the web handler: the store answers (its ping, else a
 * read no order can match) within a timeout, the gateways configured; a store that rejects or
 * hangs is reported down, with no secret in what is said.
 */
import { afterEach, describe, expect, it } from "vitest";
import { InvalidRequestError } from "../../src/errors.js";
import type { OrderStore } from "../../src/store/contract.js";
import { MemoryOrderStore } from "../../src/store/memory.js";
import { FAKE_KEY, fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
import { HOSTS } from "../support/hosts.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

/** The memory store's calls, with `change` applied to the named ones and no ping. */
function storeWith(change: { get?: OrderStore["get"]; ping?: () => Promise<void> } = {}): OrderStore & { reads: string[] } {
  const inner = new MemoryOrderStore();
  const reads: string[] = [];
  return {
    reads,
    get: change.get ?? ((orderNo: string) => (reads.push(orderNo), inner.get(orderNo))),
    insert: (record) => inner.insert(record),
    compareAndSet: (orderNo, version, next) => inner.compareAndSet(orderNo, version, next),
    compareAndDelete: (orderNo, version) => inner.compareAndDelete(orderNo, version),
    ...(change.ping ? { ping: change.ping } : {}),
  };
}

describe.each(HOSTS)("health() on %s", (host) => {
  it("is ok with the memory store, naming the configured gateways", async () => {
    harness = await startHarness({ host, gateways: [fakeGateway().adapter, fakeGateway({ id: "second" }).adapter] });
    const report = await harness.router.health();
    expect(report).toEqual({ ok: true, store: { ok: true, latencyMs: expect.any(Number) }, gateways: ["fake", "second"] });
    expect(report.store.latencyMs).toBeGreaterThanOrEqual(0);
  });

  it("is not ok when the store rejects, saying why without the secret its error carried", async () => {
    const failing = async () => {
      throw new Error(`connect ECONNREFUSED redis://default:hunter2@10.0.0.7:6379 password=hunter2 signed with ${FAKE_KEY}`);
    };
    harness = await startHarness({ host, store: storeWith({ ping: failing }) });
    const report = await harness.router.health();
    expect(report.ok).toBe(false);
    expect(report.store).toMatchObject({ ok: false, error: expect.stringMatching(/^Error: connect ECONNREFUSED redis:\/\/\[redacted\]@10\.0\.0\.7:6379/) });
    expect(JSON.stringify(report)).not.toContain("hunter2");
    expect(JSON.stringify(report)).not.toContain(FAKE_KEY);
    expect(report.gateways).toEqual(["fake"]);
  });
});

describe("health() on the store", () => {
  it("reads an order number no order can have when the store has no ping", async () => {
    const store = storeWith();
    harness = await startHarness({ store });
    expect((await harness.router.health()).ok).toBe(true);
    expect(store.reads).toEqual(["paybridge:health"]);
  });

  it("is not ok, within the timeout, when the store does not answer (and a late rejection goes unhandled nowhere)", async () => {
    let rejectLate: (error: Error) => void = () => {};
    const hanging = () => new Promise<never>((_, reject) => (rejectLate = reject));
    harness = await startHarness({ store: storeWith({ ping: hanging }) });
    const started = Date.now();
    const report = await harness.router.health({ timeoutMs: 80 });
    expect(Date.now() - started).toBeLessThan(2_000);
    expect(report).toMatchObject({ ok: false, store: { ok: false, error: "Error: no answer within 80 ms" } });
    expect(report.store.latencyMs).toBeGreaterThanOrEqual(70);
    rejectLate(new Error("too late"));
  });

  it("is not ok when the store throws instead of rejecting", async () => {
    const throwing = (): Promise<null> => {
      throw new TypeError("not connected");
    };
    harness = await startHarness({ store: storeWith({ get: throwing }) });
    expect(await harness.router.health()).toMatchObject({ ok: false, store: { ok: false, error: "TypeError: not connected" } });
  });

  it("refuses a timeout that is not a positive whole number of ms", async () => {
    harness = await startHarness();
    await expect(harness.router.health({ timeoutMs: 0 })).rejects.toBeInstanceOf(InvalidRequestError);
  });

  it("the memory store's ping answers", async () => {
    await expect(new MemoryOrderStore().ping()).resolves.toBeUndefined();
  });
});
