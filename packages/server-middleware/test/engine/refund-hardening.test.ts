/**
 * Refunds, hardening round three (issue 21): a refund the gateway can never carry does not lock
 * the money (finding 1), a PROCESSING notify does not end a live send (3), the send has its own
 * lease (8), failed refunds do not use up the ledger (9), and a reason must be well-formed (11).
 */
import { afterEach, describe, expect, it } from "vitest";
import { InvalidRequestError, type PaybridgeError } from "../../src/errors.js";
import { MAX_LEDGER_ENTRIES } from "../../src/engine/refunds/ledger.js";
import type { RefundEntry } from "../../src/store/contract.js";
import { startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway, type RefundGateway } from "../support/refund-gateway.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function setup(gateway: RefundGateway, options: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  harness = await startHarness({ gateway, ...options });
  return harness;
}

async function paidOrder(h: Harness, orderNo: string, amountFen: number): Promise<void> {
  h.amounts.set(orderNo, amountFen);
  await h.api.post("/pay/orders").send({ orderNo }).expect(201);
  await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo, amountFen })).expect(200, "SUCCESS");
}

const errorOf = (promise: Promise<unknown>): Promise<PaybridgeError | undefined> =>
  promise.then(
    () => undefined,
    (error: PaybridgeError) => error,
  );

const UUID = "3f0c2a8e-5b1d-4c7e-9a6f-0d2b8e4c1a7f";

describe("a refund number the gateway cannot carry (finding 1)", () => {
  it("is refused before anything is reserved when the adapter states its limit; the money stays refundable", async () => {
    const gateway = refundGateway({ refundRules: { maxRefundNoLength: 32 } });
    const h = await setup(gateway);
    await paidOrder(h, "F1", 1000);
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await errorOf(h.router.refund({ orderNo: "F1", refundNo: UUID }));
      expect(error).toMatchObject({ code: "invalid_request", field: "refundNo" });
    }
    expect((await h.router.store.get("F1"))?.refunds ?? []).toEqual([]);
    expect(gateway.refundCalls).toHaveLength(0);
    expect(await h.router.refund({ orderNo: "F1", refundNo: "F1-whole" })).toMatchObject({ status: "succeeded", amountFen: 1000 });
  });

  it("a validation error the adapter throws before sending anything releases the reservation", async () => {
    const gateway = refundGateway();
    const h = await setup(gateway);
    await paidOrder(h, "F2", 1000);
    const refundOrder = gateway.adapter.refundOrder!;
    gateway.adapter.refundOrder = async (input, http) => {
      if (input.refundNo.length > 32) throw new InvalidRequestError("refundNo must be at most 32 characters", "refundNo");
      return refundOrder(input, http);
    };
    const error = await errorOf(h.router.refund({ orderNo: "F2", refundNo: UUID }));
    expect(error).toMatchObject({ code: "invalid_request", field: "refundNo" });
    // Never sent: nothing is held, no entry is left behind, a retry fails the same way without locking anything.
    expect((await h.router.store.get("F2"))?.refunds ?? []).toEqual([]);
    expect(await errorOf(h.router.refund({ orderNo: "F2", refundNo: UUID }))).toMatchObject({ code: "invalid_request" });
    expect(await h.router.refund({ orderNo: "F2", refundNo: "F2-whole" })).toMatchObject({ status: "succeeded", amountFen: 1000 });
  });

  it("a fault after the request left keeps the amount reserved (outcome unknown)", async () => {
    const gateway = refundGateway();
    const h = await setup(gateway);
    await paidOrder(h, "F3", 1000);
    gateway.adapter.refundOrder = async (_input, http) => {
      await http({ url: "http://127.0.0.1:9/refund", body: "{}" }).catch(() => undefined);
      throw new InvalidRequestError("the gateway's answer named a field we did not send", "refundNo");
    };
    await errorOf(h.router.refund({ orderNo: "F3", refundNo: "F3-a" }));
    expect((await h.router.store.get("F3"))?.refunds?.[0]).toMatchObject({ refundNo: "F3-a", status: "processing", amountFen: 1000 });
  });
});

describe("a PROCESSING refund notify during a send (finding 3)", () => {
  it("does not clear the send lease: a concurrent retry does not send the refund twice", async () => {
    const gateway = refundGateway();
    const h = await setup(gateway);
    await paidOrder(h, "P1", 1000);
    let release = (): void => {};
    gateway.script.push(async (input) => {
      await new Promise<void>((resolve) => (release = resolve));
      return { status: "succeeded", refundNo: input.refundNo };
    });
    const sending = h.router.refund({ orderNo: "P1", refundNo: "P1-a", amountFen: 400 });
    for (let i = 0; i < 100 && gateway.refundCalls.length === 0; i++) await sleep(5);
    const processing = gateway.refundNotify({ orderNo: "P1", refundNo: "P1-a", amountFen: 400, status: "PROCESSING" });
    await h.api.post("/pay/notify/fake").type("json").send(processing).expect(200, "SUCCESS");
    const retry = await h.router.refund({ orderNo: "P1", refundNo: "P1-a", amountFen: 400 });
    expect(retry.status).toBe("processing");
    release();
    expect(await sending).toMatchObject({ status: "succeeded" });
    expect(gateway.refundCalls).toHaveLength(1);
  });
});

describe("the refund send lease (finding 8)", () => {
  it("is its own, not fulfilmentLeaseMs: a short fulfilment lease does not let a retry send a slow refund again", async () => {
    const gateway = refundGateway();
    const h = await setup(gateway, { fulfilmentLeaseMs: 50, timeoutMs: 1_000 });
    await paidOrder(h, "S1", 1000);
    gateway.script.push(async (input) => {
      await sleep(250);
      return { status: "succeeded", refundNo: input.refundNo };
    });
    const first = h.router.refund({ orderNo: "S1", refundNo: "S1-a", amountFen: 300 });
    await sleep(120);
    const retry = await h.router.refund({ orderNo: "S1", refundNo: "S1-a", amountFen: 300 });
    expect(retry.status).toBe("processing");
    expect(await first).toMatchObject({ status: "succeeded" });
    expect(gateway.refundCalls).toHaveLength(1);
    const entry = (await h.router.store.get("S1"))?.refunds?.[0];
    expect(entry?.attempts).toBe(1);
  });
});

describe("failed refunds and the ledger's bound (finding 9)", () => {
  it(`${MAX_LEDGER_ENTRIES} failed refunds do not block a new one; old failed entries are compacted`, async () => {
    const gateway = refundGateway();
    const h = await setup(gateway);
    await paidOrder(h, "L1", 1000);
    const record = (await h.router.store.get("L1"))!;
    const failed: RefundEntry[] = Array.from({ length: MAX_LEDGER_ENTRIES }, (_, i) => ({
      refundNo: `L1-f${i}`,
      amountFen: 1000,
      status: "failed",
      requestedAt: "2026-11-22T02:00:00.000Z",
      attempts: 1,
      finishedAt: "2026-11-22T02:00:01.000Z",
      failure: "NOT_ENOUGH_BALANCE",
      fulfilment: "none",
    }));
    const { version, ...fields } = record;
    await h.router.store.compareAndSet("L1", version, { ...fields, refunds: failed });
    expect(await h.router.refund({ orderNo: "L1", refundNo: "L1-ok", amountFen: 1000 })).toMatchObject({ status: "succeeded" });
    const refunds = (await h.router.store.get("L1"))!.refunds!;
    expect(refunds.length).toBeLessThan(MAX_LEDGER_ENTRIES);
    expect(refunds.at(-1)).toMatchObject({ refundNo: "L1-ok", status: "succeeded" });
    // The newest failed refunds are still answered by their refundNo.
    expect(await h.router.refund({ orderNo: "L1", refundNo: `L1-f${MAX_LEDGER_ENTRIES - 1}` })).toMatchObject({ status: "failed" });
    expect(gateway.refundCalls.map((call) => call.refundNo)).toEqual(["L1-ok"]);
  });
});

describe("a refund's reason (finding 11)", () => {
  it("with a lone surrogate is refused, naming reason, and nothing is stored", async () => {
    const gateway = refundGateway();
    const h = await setup(gateway);
    await paidOrder(h, "W1", 1000);
    const error = await errorOf(h.router.refund({ orderNo: "W1", refundNo: "W1-a", reason: "broken \ud83d" }));
    expect(error).toMatchObject({ code: "invalid_request", field: "reason" });
    expect((await h.router.store.get("W1"))?.refunds).toBeUndefined();
    expect(gateway.refundCalls).toHaveLength(0);
  });
});
