/** router.close and expiry: a pending order stops, at its gateway where it can; a payment that still arrives wins. */
import { afterEach, describe, expect, it } from "vitest";
import type { PaybridgeError } from "../../src/errors.js";
import { fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
import { refundGateway, type RefundGateway } from "../support/refund-gateway.js";

let harness: Harness | undefined;
afterEach(async () => {
  harness?.router.stopSweeping();
  await harness?.close();
  harness = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function start(options: Parameters<typeof startHarness>[0] = {}): Promise<{ h: Harness; gateway: RefundGateway }> {
  const gateway = refundGateway();
  harness = await startHarness({ gateway, ...options });
  return { h: harness, gateway };
}

describe("router.close", () => {
  it("closes a pending order at the gateway, then locally; a payment arriving afterwards still reaches onPaid", async () => {
    const { h, gateway } = await start();
    const failed: string[] = [];
    h.router.events.on("order.failed", (order) => failed.push(`${order.orderNo}:${order.status}`));
    await h.api.post("/pay/orders").send({ orderNo: "C1" }).expect(201);
    expect(await h.router.close("C1")).toEqual({ orderNo: "C1", status: "closed", closedAt: "gateway" });
    expect(gateway.closeCalls).toEqual([{ orderNo: "C1", gatewayOrderNo: "FAKE-C1" }]);
    expect(failed).toEqual(["C1:closed"]);
    await h.api.post("/pay/orders").send({ orderNo: "C1" }).expect(409);
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "C1", amountFen: 100 })).expect(200, "SUCCESS");
    expect(h.paid.map((payment) => payment.orderNo)).toEqual(["C1"]);
    // Closing a paid order changes nothing.
    expect(await h.router.close("C1")).toEqual({ orderNo: "C1", status: "paid" });
    expect(gateway.closeCalls).toHaveLength(1);
  });

  it("keeps the order pending when the gateway refuses to close it", async () => {
    const { h, gateway } = await start();
    await h.api.post("/pay/orders").send({ orderNo: "C2" }).expect(201);
    gateway.refuseNextClose();
    const code = await h.router.close("C2").then(() => "closed", (error: PaybridgeError) => error.code);
    expect(code).toBe("gateway_error");
    expect((await h.router.store.get("C2"))?.status).toBe("pending");
  });

  it("logs a closeOrder that throws with the Error under err, and the order stays pending", async () => {
    const { h, gateway } = await start();
    await h.api.post("/pay/orders").send({ orderNo: "C4" }).expect(201);
    const fault = new TypeError("adapter bug");
    gateway.adapter.closeOrder = async () => {
      throw fault;
    };
    await expect(h.router.close("C4")).rejects.toBe(fault);
    const logged = h.logs.find((log) => log.message === "closeOrder threw");
    expect(logged?.fields).toMatchObject({ orderNo: "C4", error: "TypeError", reason: "adapter bug", err: fault });
    expect((await h.router.store.get("C4"))?.status).toBe("pending");
  });

  it("closes locally where the gateway has no close API; an unknown order is order_not_found", async () => {
    harness = await startHarness({ gateway: fakeGateway() });
    await harness.api.post("/pay/orders").send({ orderNo: "C3" }).expect(201);
    expect(await harness.router.close("C3")).toEqual({ orderNo: "C3", status: "closed", closedAt: "local" });
    const code = await harness.router.close("NOPE").then(() => "closed", (error: PaybridgeError) => error.code);
    expect(code).toBe("order_not_found");
  });
});

describe("expiry", () => {
  it("sends the expiry to the gateway and closes an expired order on its next status poll and re-post", async () => {
    const { h, gateway } = await start({ expireAfterMs: 60, queryIntervalMs: 1 });
    const created = await h.api.post("/pay/orders").send({ orderNo: "X1" }).expect(201);
    const input = gateway.createCalls[0]!;
    const record = (await h.router.store.get("X1"))!;
    expect(Date.parse(input.expiresAt!) - Date.parse(record.createdAt)).toBe(60);
    const token = created.body.statusToken as string;
    expect((await h.api.get("/pay/orders/X1").query({ token }).expect(200)).body.status).toBe("pending");
    await sleep(80);
    expect((await h.api.get("/pay/orders/X1").query({ token }).expect(200)).body.status).toBe("closed");
    expect(gateway.closeCalls.map((call) => call.orderNo)).toEqual(["X1"]);

    await h.api.post("/pay/orders").send({ orderNo: "X2" }).expect(201);
    await sleep(80);
    await h.api.post("/pay/orders").send({ orderNo: "X2" }).expect(409);
  });

  it("a sweep closes expired pending orders and leaves paid and young ones", async () => {
    const { h } = await start({ expireAfterMs: 60 });
    for (const orderNo of ["S1", "S2", "S3"]) await h.api.post("/pay/orders").send({ orderNo }).expect(201);
    await h.api.post("/pay/notify/fake").type("json").send(h.gateway.notify({ orderNo: "S3", amountFen: 100 })).expect(200);
    await sleep(80);
    await h.api.post("/pay/orders").send({ orderNo: "S4" }).expect(201);
    expect(await h.router.sweepExpired()).toEqual({ closed: 2, failed: 0, deferred: 0, pruned: 0, prunedNotifies: 0 });
    const statuses = await Promise.all(["S1", "S2", "S3", "S4"].map(async (orderNo) => (await h.router.store.get(orderNo))?.status));
    expect(statuses).toEqual(["closed", "closed", "paid", "pending"]);
  });

  it("the optional timer sweeps by itself", async () => {
    const { h } = await start({ expireAfterMs: 30, sweepIntervalMs: 20 });
    await h.api.post("/pay/orders").send({ orderNo: "T1" }).expect(201);
    for (let i = 0; i < 50 && (await h.router.store.get("T1"))?.status === "pending"; i++) await sleep(20);
    expect((await h.router.store.get("T1"))?.status).toBe("closed");
  });
});
