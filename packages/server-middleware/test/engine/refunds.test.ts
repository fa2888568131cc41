import { afterEach, describe, expect, it } from "vitest";
import type { PaybridgeError } from "../../src/errors.js";
import type { Refund } from "../../src/types.js";
import { fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway, type RefundGateway } from "../support/refund-gateway.js";

let harness: Harness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

interface Setup {
  h: Harness;
  gateway: RefundGateway;
  refunded: Refund[];
}

async function setup(options: { onRefunded?: (refund: Refund) => void | Promise<void>; maxRefunds?: number } = {}): Promise<Setup> {
  const gateway = refundGateway(options.maxRefunds !== undefined ? { maxRefunds: options.maxRefunds } : {});
  const refunded: Refund[] = [];
  harness = await startHarness({
    gateway,
    onRefunded: async (refund) => {
      refunded.push(refund);
      await options.onRefunded?.(refund);
    },
  });
  return { h: harness, gateway, refunded };
}

/** Creates and pays an order of `amountFen` through the routes; answers its status token. */
async function paidOrder(h: Harness, orderNo: string, amountFen: number): Promise<string> {
  h.amounts.set(orderNo, amountFen);
  const created = await h.api.post("/pay/orders").send({ orderNo }).expect(201);
  await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo, amountFen })).expect(200, "SUCCESS");
  return created.body.statusToken as string;
}

const codeOf = async (promise: Promise<unknown>): Promise<string> =>
  promise.then(
    () => "resolved",
    (error: PaybridgeError) => error.code,
  );

describe("router.refund", () => {
  it("refunds partly, then the rest; the ledger, status route and onRefunded follow", async () => {
    const { h, gateway, refunded } = await setup();
    const token = await paidOrder(h, "R1", 1000);
    const events: string[] = [];
    h.router.events.on("refund.succeeded", (refund) => events.push(`${refund.refundNo}:${refund.amountFen}`));

    const first = await h.router.refund({ orderNo: "R1", refundNo: "R1-a", amountFen: 300, reason: "damaged" });
    expect(first).toMatchObject({ status: "succeeded", amountFen: 300, refundedFen: 300, fulfilled: true, gatewayRefundNo: "R-R1-a" });
    let status = await h.api.get("/pay/orders/R1").query({ token }).expect(200);
    expect(status.body).toMatchObject({ status: "partially_refunded", amountFen: 1000, refundedFen: 300 });

    const rest = await h.router.refund({ orderNo: "R1", refundNo: "R1-b" });
    expect(rest).toMatchObject({ status: "succeeded", amountFen: 700, refundedFen: 1000 });
    status = await h.api.get("/pay/orders/R1").query({ token }).expect(200);
    expect(status.body).toMatchObject({ status: "refunded", refundedFen: 1000 });

    expect(gateway.refundCalls.map((call) => [call.refundNo, call.amountFen, call.orderAmountFen])).toEqual([
      ["R1-a", 300, 1000],
      ["R1-b", 700, 1000],
    ]);
    expect(refunded.map((refund) => [refund.refundNo, refund.amountFen, refund.refundedFen, refund.attach])).toEqual([
      ["R1-a", 300, 300, "cart-7"],
      ["R1-b", 700, 1000, "cart-7"],
    ]);
    expect(events).toEqual(["R1-a:300", "R1-b:700"]);
    expect(await codeOf(h.router.refund({ orderNo: "R1", refundNo: "R1-c", amountFen: 1 }))).toBe("refund_not_allowed");
    // A paid order's re-post still answers it as paid, not closed.
    await h.api.post("/pay/orders").send({ orderNo: "R1" }).expect(200);
  });

  it("a gateway's late payment notify retry does not undo a refunded order's status", async () => {
    const { h } = await setup();
    await paidOrder(h, "R2", 500);
    await h.router.refund({ orderNo: "R2", refundNo: "R2-a", amountFen: 200 });
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "R2", amountFen: 500 })).expect(200, "SUCCESS");
    expect((await h.router.store.get("R2"))?.status).toBe("partially_refunded");
    expect(h.paid).toHaveLength(1);
  });

  it("is idempotent on refundNo; the same refundNo for another amount is refund_conflict", async () => {
    const { h, gateway, refunded } = await setup();
    await paidOrder(h, "R3", 1000);
    const [a, b] = await Promise.all([
      h.router.refund({ orderNo: "R3", refundNo: "R3-a", amountFen: 400 }),
      h.router.refund({ orderNo: "R3", refundNo: "R3-a", amountFen: 400 }),
    ]);
    const again = await h.router.refund({ orderNo: "R3", refundNo: "R3-a", amountFen: 400 });
    expect([a.refundNo, b.refundNo, again.status, again.refundedFen]).toEqual(["R3-a", "R3-a", "succeeded", 400]);
    expect(gateway.refundCalls).toHaveLength(1);
    expect(refunded).toHaveLength(1);
    expect(await codeOf(h.router.refund({ orderNo: "R3", refundNo: "R3-a", amountFen: 500 }))).toBe("refund_conflict");
    expect((await h.router.store.get("R3"))?.refunds).toHaveLength(1);
  });

  it("never lets concurrent refunds pass the paid amount", async () => {
    const { h, gateway, refunded } = await setup();
    await paidOrder(h, "R4", 150);
    gateway.script.push(
      ...Array.from({ length: 200 }, () => async (input: { refundNo: string }) => {
        await new Promise((resolve) => setTimeout(resolve, 5));
        return { status: "succeeded" as const, refundNo: input.refundNo };
      }),
    );
    const results = await Promise.allSettled(Array.from({ length: 200 }, (_, i) => h.router.refund({ orderNo: "R4", refundNo: `R4-${i}`, amountFen: 1 })));
    const succeeded = results.filter((result) => result.status === "fulfilled");
    expect(succeeded).toHaveLength(150);
    expect(gateway.refundCalls).toHaveLength(150);
    expect(refunded).toHaveLength(150);
    expect(new Set(refunded.map((refund) => refund.refundNo)).size).toBe(150);
    const record = await h.router.store.get("R4");
    expect([record?.status, record?.refunds?.length]).toEqual(["refunded", 150]);
  });

  it("a timeout keeps the amount reserved; the retry reuses the refundNo, asking the gateway first", async () => {
    const { h, gateway, refunded } = await setup();
    await paidOrder(h, "R5", 1000);
    gateway.script.push("timeout");
    expect(await codeOf(h.router.refund({ orderNo: "R5", refundNo: "R5-a", amountFen: 600 }))).toBe("gateway_timeout");
    expect((await h.router.store.get("R5"))?.refunds?.[0]).toMatchObject({ status: "processing", amountFen: 600 });
    // The 600 fen may have gone: they stay reserved.
    expect(await codeOf(h.router.refund({ orderNo: "R5", refundNo: "R5-b", amountFen: 401 }))).toBe("refund_not_allowed");
    // The gateway did refund it: the retry's query finds it; nothing is sent twice.
    gateway.refundStates.set("R5-a", { status: "succeeded", refundNo: "R5-a", gatewayRefundNo: "G-5a" });
    const retry = await h.router.refund({ orderNo: "R5", refundNo: "R5-a", amountFen: 600 });
    expect(retry).toMatchObject({ status: "succeeded", gatewayRefundNo: "G-5a", refundedFen: 600 });
    expect(gateway.refundCalls.map((call) => call.refundNo)).toEqual(["R5-a"]);
    expect(gateway.refundQueries.map((query) => query.refundNo)).toEqual(["R5-a"]);
    expect(refunded).toHaveLength(1);

    // Not found at the gateway: the retry sends again, with the same refundNo.
    gateway.script.push("timeout");
    await codeOf(h.router.refund({ orderNo: "R5", refundNo: "R5-c", amountFen: 100 }));
    await h.router.refund({ orderNo: "R5", refundNo: "R5-c" });
    expect(gateway.refundCalls.map((call) => call.refundNo)).toEqual(["R5-a", "R5-c", "R5-c"]);
    expect((await h.router.store.get("R5"))?.refunds?.map((entry) => [entry.refundNo, entry.status, entry.attempts])).toEqual([
      ["R5-a", "succeeded", 2],
      ["R5-c", "succeeded", 2],
    ]);
  });

  it("a retry whose refund query fails resends under the same refundNo; a refusal of that resend is not final", async () => {
    const { h, gateway } = await setup();
    await paidOrder(h, "R11", 1000);
    gateway.script.push("timeout");
    await codeOf(h.router.refund({ orderNo: "R11", refundNo: "R11-a", amountFen: 500 }));
    gateway.refundStates.set("R11-a", "throw");
    // The gateway refuses the number it already used: the first send went through after all.
    gateway.script.push({ status: "failed", failure: "REFUND_NO_USED" });
    expect(await h.router.refund({ orderNo: "R11", refundNo: "R11-a" })).toMatchObject({ status: "processing" });
    expect(gateway.refundCalls.map((call) => call.refundNo)).toEqual(["R11-a", "R11-a"]);
    // Still reserved.
    expect(await codeOf(h.router.refund({ orderNo: "R11", refundNo: "R11-b", amountFen: 501 }))).toBe("refund_not_allowed");
    gateway.refundStates.set("R11-a", { status: "succeeded", refundNo: "R11-a" });
    expect(await h.router.refund({ orderNo: "R11", refundNo: "R11-a" })).toMatchObject({ status: "succeeded", refundedFen: 500 });
  });

  it("a definite refusal fails the refund and frees its amount; refund.failed is emitted", async () => {
    const { h, gateway, refunded } = await setup();
    await paidOrder(h, "R6", 1000);
    const failed: string[] = [];
    h.router.events.on("refund.failed", (refund) => failed.push(`${refund.refundNo}:${refund.failure}`));
    gateway.script.push({ status: "failed", failure: "NOT_ENOUGH_BALANCE" });
    const result = await h.router.refund({ orderNo: "R6", refundNo: "R6-a", amountFen: 1000 });
    expect(result).toMatchObject({ status: "failed", failure: "NOT_ENOUGH_BALANCE", refundedFen: 0 });
    expect(failed).toEqual(["R6-a:NOT_ENOUGH_BALANCE"]);
    expect((await h.router.store.get("R6"))?.status).toBe("paid");
    expect(await h.router.refund({ orderNo: "R6", refundNo: "R6-b", amountFen: 1000 })).toMatchObject({ status: "succeeded" });
    // The failed refundNo stays failed: it is never sent again.
    expect(await h.router.refund({ orderNo: "R6", refundNo: "R6-a" })).toMatchObject({ status: "failed" });
    expect(gateway.refundCalls).toHaveLength(2);
    expect(refunded.map((refund) => refund.refundNo)).toEqual(["R6-b"]);
  });

  it("refuses an unpaid order, a gateway limit, and a gateway without a refund API (refund_unsupported)", async () => {
    const { h } = await setup({ maxRefunds: 2 });
    h.amounts.set("R7", 100);
    await h.api.post("/pay/orders").send({ orderNo: "R7" }).expect(201);
    expect(await codeOf(h.router.refund({ orderNo: "R7", refundNo: "R7-a" }))).toBe("refund_not_allowed");
    expect(await codeOf(h.router.refund({ orderNo: "NOPE", refundNo: "x" }))).toBe("order_not_found");
    expect(await codeOf(h.router.refund({ orderNo: "R7", refundNo: "bad refund no" }))).toBe("invalid_request");
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "R7", amountFen: 100 })).expect(200);
    await h.router.refund({ orderNo: "R7", refundNo: "R7-a", amountFen: 1 });
    await h.router.refund({ orderNo: "R7", refundNo: "R7-b", amountFen: 1 });
    expect(await codeOf(h.router.refund({ orderNo: "R7", refundNo: "R7-c", amountFen: 1 }))).toBe("refund_not_allowed");

    await harness?.close();
    harness = await startHarness({ gateway: fakeGateway() });
    await paidOrder(harness, "R8", 100);
    const error = await harness.router.refund({ orderNo: "R8", refundNo: "R8-a" }).catch((caught: PaybridgeError) => caught);
    expect(error).toMatchObject({ code: "refund_unsupported", status: 501, gateway: "fake" });
    expect((await harness.router.store.get("R8"))?.refunds).toBeUndefined();
  });

  it("runs onRefunded again on the next call when it threw, and once it completed never again", async () => {
    let attempts = 0;
    const { h, refunded } = await setup({
      onRefunded: () => {
        attempts += 1;
        if (attempts === 1) throw new Error("ledger offline");
      },
    });
    await paidOrder(h, "R9", 100);
    expect(await h.router.refund({ orderNo: "R9", refundNo: "R9-a" })).toMatchObject({ status: "succeeded", fulfilled: false });
    expect(await h.router.refund({ orderNo: "R9", refundNo: "R9-a" })).toMatchObject({ status: "succeeded", fulfilled: true });
    await h.router.refund({ orderNo: "R9", refundNo: "R9-a" });
    expect(refunded).toHaveLength(2);
    // The README's promise: the Error itself arrives under `err` (the lifecycle's own logger once dropped it).
    const logged = h.logs.find((log) => log.message.startsWith("onRefunded threw"));
    expect(logged?.fields).toMatchObject({ orderNo: "R9", refundNo: "R9-a", error: "Error", reason: "ledger offline", err: expect.any(Error) });
  });

  it("fences onRefunded: a caller whose claim was taken over cannot finish it", async () => {
    let release = (): void => {};
    const { h } = await setup({ onRefunded: () => new Promise<void>((resolve) => (release = resolve)) });
    await paidOrder(h, "R10", 100);
    const running = h.router.refund({ orderNo: "R10", refundNo: "R10-a" });
    let record = await h.router.store.get("R10");
    for (let i = 0; i < 100 && record?.refunds?.[0]?.fulfilment !== "running"; i++) {
      await new Promise((resolve) => setTimeout(resolve, 5));
      record = await h.router.store.get("R10");
    }
    // Another instance took the claim over (this one's lease ran out).
    const entry = record!.refunds![0]!;
    const takenOver = { ...entry, fulfilmentClaim: "someone-else", fulfilmentLeaseUntil: Date.now() + 60_000 };
    await h.router.store.compareAndSet("R10", record!.version, { ...record!, refunds: [takenOver] });
    release();
    expect(await running).toMatchObject({ status: "succeeded", fulfilled: false });
    expect((await h.router.store.get("R10"))?.refunds?.[0]).toMatchObject({ fulfilment: "running", fulfilmentClaim: "someone-else" });
  });
});

describe("refund notifies", () => {
  it("a processing refund is finished by its notify, once; a forged one or one for another order changes nothing", async () => {
    const { h, gateway, refunded } = await setup();
    await paidOrder(h, "N1", 1000);
    await paidOrder(h, "N2", 1000);
    gateway.script.push({ status: "processing" });
    expect(await h.router.refund({ orderNo: "N1", refundNo: "N1-a", amountFen: 300 })).toMatchObject({ status: "processing" });
    const before = await h.router.store.get("N1");
    const before2 = await h.router.store.get("N2");

    const forged = gateway.forgedRefundNotify({ orderNo: "N1", refundNo: "N1-a", amountFen: 300 });
    const res1 = await h.api.post("/pay/notify/fake").type("json").send(forged);
    expect([res1.status, res1.text]).toEqual([400, "FAIL"]);
    const otherOrder = gateway.refundNotify({ orderNo: "N2", refundNo: "N1-a", amountFen: 300 });
    expect((await h.api.post("/pay/notify/fake").type("json").send(otherOrder)).status).toBe(400);
    const otherAmount = gateway.refundNotify({ orderNo: "N1", refundNo: "N1-a", amountFen: 301 });
    expect((await h.api.post("/pay/notify/fake").type("json").send(otherAmount)).status).toBe(400);
    expect((await h.router.store.get("N1"))?.version).toBe(before?.version);
    expect((await h.router.store.get("N2"))?.version).toBe(before2?.version);
    expect(refunded).toHaveLength(0);

    const genuine = gateway.refundNotify({ orderNo: "N1", refundNo: "N1-a", amountFen: 300 });
    await h.api.post("/pay/notify/fake").type("json").send(genuine).expect(200, "SUCCESS");
    await h.api.post("/pay/notify/fake").type("json").send(genuine).expect(200, "SUCCESS");
    expect(refunded.map((refund) => refund.refundNo)).toEqual(["N1-a"]);
    expect((await h.router.store.get("N1"))?.status).toBe("partially_refunded");
    // Payment notifies still go their way.
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "N1", amountFen: 1000 })).expect(200, "SUCCESS");
  });
});
