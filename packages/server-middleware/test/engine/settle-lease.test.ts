/**
 * The fulfilment lease: how long one run of onPaid holds a paid order unless it renews it. A live
 * run renews it every third of the lease (fulfilment-heartbeat.test.ts); here the clock jumps past
 * the lease before any renewal, as for a run whose process stalled or lost the store. Then a
 * second run (the gateway's retry) may start, and each claim is fenced by its own token: only
 * the run holding the order may mark it done or release it.
 */
import { afterEach, describe, expect, it, vi } from "vitest";
import { ConfigError } from "../../src/errors.js";
import { paybridge } from "../../src/express.js";
import { fakeGateway, startHarness, STATUS_TOKEN_SECRET, type Harness } from "../support/fake-adapter.js";

/** Long in real time (its renewals come every 200 s), while the faked clock jumps past it at once. */
const LEASE_MS = 600_000;

let harness: Harness | undefined;
afterEach(async () => {
  vi.useRealTimers();
  await harness?.close();
  harness = undefined;
});

interface Gate {
  promise: Promise<void>;
  open(): void;
  fail(error: Error): void;
}
function gate(): Gate {
  let open = (): void => {};
  let fail = (_error: Error): void => {};
  const promise = new Promise<void>((resolve, reject) => {
    open = resolve;
    fail = reject;
  });
  return { promise, open, fail };
}

/**
 * A harness whose n-th onPaid run (0-based) waits for gates[n]. Only Date is faked (the servers
 * need real timers); it still moves a little with real time, so the steps keep a margin.
 */
async function slowOnPaidHarness(gates: Gate[], fulfilmentLeaseMs?: number): Promise<Harness> {
  vi.useFakeTimers({ toFake: ["Date"], now: Date.parse("2026-11-30T05:00:00.000Z") });
  let runs = 0;
  harness = await startHarness({
    onPaidImpl: () => gates[runs++]?.promise,
    ...(fulfilmentLeaseMs === undefined ? {} : { fulfilmentLeaseMs }),
  });
  await harness.api.post("/pay/orders").send({ orderNo: "L1" }).expect(201);
  return harness;
}

function notify(h: Harness) {
  return h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "L1", amountFen: 100 })).then((res) => res);
}

describe("the fulfilment lease", () => {
  it.each([
    ["holds for fulfilmentLeaseMs: a retry within it waits, one after it (never renewed) starts a second run", LEASE_MS, LEASE_MS],
    ["is 60 s by default", undefined, 60_000],
  ])("%s", async (_name, configured, leaseMs) => {
    const gates = [gate(), gate()];
    const h = await slowOnPaidHarness(gates, configured);
    const first = notify(h);
    await expect.poll(() => h.paid.length).toBe(1);
    vi.advanceTimersByTime(leaseMs - 1_000);
    const within = await notify(h);
    expect([within.text, within.status >= 500]).toEqual(["FAIL", true]);
    expect(h.paid).toHaveLength(1);
    vi.advanceTimersByTime(1_001);
    const second = notify(h);
    await expect.poll(() => h.paid.length).toBe(2);
    gates[0]!.open();
    gates[1]!.open();
    await Promise.all([first, second]);
  });

  it("a first run failing after its lease ran out unrenewed does not release the second run's claim", async () => {
    const gates = [gate(), gate()];
    const h = await slowOnPaidHarness(gates, LEASE_MS);
    const first = notify(h);
    await expect.poll(() => h.paid.length).toBe(1);
    vi.advanceTimersByTime(LEASE_MS + 1);
    const second = notify(h);
    await expect.poll(() => h.paid.length).toBe(2);

    gates[0]!.fail(new Error("first run gave up"));
    expect((await first).text).toBe("FAIL");
    // The second run still holds the order: a retry now neither starts a third run nor settles it.
    expect(await h.router.store.get("L1")).toMatchObject({ fulfilment: "running" });
    const during = await notify(h);
    expect([during.text, during.status >= 500]).toEqual(["FAIL", true]);
    expect(h.paid).toHaveLength(2);

    gates[1]!.open();
    expect((await second).text).toBe("SUCCESS");
    expect(await h.router.store.get("L1")).toMatchObject({ fulfilment: "done" });
    expect((await notify(h)).text).toBe("SUCCESS");
    expect(h.paid).toHaveLength(2);
  });

  it("only the run holding the order marks it done: a first run finishing after its lease ran out does not", async () => {
    const gates = [gate(), gate(), gate()];
    const h = await slowOnPaidHarness(gates, LEASE_MS);
    const first = notify(h);
    await expect.poll(() => h.paid.length).toBe(1);
    vi.advanceTimersByTime(LEASE_MS + 1);
    const second = notify(h);
    await expect.poll(() => h.paid.length).toBe(2);

    gates[0]!.open();
    // Not done: the gateway is asked to retry, as the second run has not finished.
    const late = await first;
    expect([late.text, late.status >= 500]).toEqual(["FAIL", true]);
    expect(await h.router.store.get("L1")).toMatchObject({ fulfilment: "running" });

    // The holder fails: the order is released, and the next retry runs onPaid again.
    gates[1]!.fail(new Error("second run gave up"));
    expect((await second).text).toBe("FAIL");
    expect(await h.router.store.get("L1")).toMatchObject({ fulfilment: "none" });
    gates[2]!.open();
    expect((await notify(h)).text).toBe("SUCCESS");
    expect(h.paid).toHaveLength(3);
    expect(await h.router.store.get("L1")).toMatchObject({ fulfilment: "done" });
  });
});

describe("fulfilmentLeaseMs", () => {
  it("must be a positive whole number of milliseconds", () => {
    const gateway = fakeGateway();
    for (const fulfilmentLeaseMs of [0, -1, 1.5, Number.NaN, "60000"]) {
      const create = () =>
        paybridge({
          gateways: [gateway.adapter],
          routing: { wechat: "fake" },
          publicUrl: "https://shop.example/pay",
          statusTokenSecret: STATUS_TOKEN_SECRET,
          resolveOrder: () => null,
          onPaid: () => {},
          fulfilmentLeaseMs: fulfilmentLeaseMs as number,
        });
      expect(create).toThrow(ConfigError);
      expect(create).toThrow(expect.objectContaining({ option: "fulfilmentLeaseMs" }));
    }
  });
});
