/**
 * order() and queryOrder(): an operator's read of one order (the `paybridge` command's). The read
 * hides the payer's pay parameters and the engine's claims; the query goes through the status
 * route's own path (once per queryIntervalMs, applied only when it names the order); with
 * several merchants each reads only its own key.
 */
import { afterEach, describe, expect, it } from "vitest";
import { fakeGateway, startHarness, type Harness } from "../support/fake-adapter.js";
import type { HostName } from "../support/hosts.js";

let open: Harness | undefined;
afterEach(async () => {
  await open?.close();
  open = undefined;
});

async function harness(hostName: HostName, extra: Parameters<typeof startHarness>[0] = {}): Promise<Harness> {
  open = await startHarness({ host: hostName, ...extra });
  return open;
}

describe.each(["express5", "web"] as const)("order() and queryOrder() (%s)", (hostName) => {
  it("order() is the stored order without its pay parameters; null when unknown; a bad number refused", async () => {
    const h = await harness(hostName);
    expect((await h.api.post("/pay/orders").send({ orderNo: "L1", channel: "wechat" })).status).toBe(201);
    const order = await h.router.order("L1");
    expect(order).toMatchObject({ orderNo: "L1", status: "pending", amountFen: 100, refundedFen: 0, gateway: "fake", attach: "cart-7", fulfilment: "none", version: 2, refunds: [] });
    expect(order).not.toHaveProperty("action");
    expect(order).not.toHaveProperty("merchantId");
    expect(JSON.stringify(order)).not.toMatch(/https?:|Claim|LeaseUntil/);
    expect(await h.router.order("NOPE")).toBeNull();
    await expect(h.router.order("a:b")).rejects.toMatchObject({ code: "invalid_request" });
  });

  it("queryOrder() applies the gateway's paid answer once; a finished order is not queried", async () => {
    const h = await harness(hostName);
    await h.api.post("/pay/orders").send({ orderNo: "Q1", channel: "wechat" });
    h.gateway.setQueryResult("Q1", { status: "paid", orderNo: "Q1", amountFen: 100 });
    const first = await h.router.queryOrder("Q1");
    expect(first).toMatchObject({ queried: true, order: { status: "paid", fulfilment: "done" } });
    expect(h.paid.map((payment) => payment.orderNo)).toEqual(["Q1"]);
    expect(await h.router.queryOrder("Q1")).toMatchObject({ queried: false, order: { status: "paid" } });
    expect(h.gateway.queryCalls).toHaveLength(1);
    await expect(h.router.queryOrder("NOPE")).rejects.toMatchObject({ code: "order_not_found" });
  });

  it("queryOrder() asks at most once per queryIntervalMs; an answer naming another amount changes nothing", async () => {
    const h = await harness(hostName);
    await h.api.post("/pay/orders").send({ orderNo: "Q2", channel: "wechat" });
    h.gateway.setQueryResult("Q2", { status: "paid", orderNo: "Q2", amountFen: 1 });
    expect(await h.router.queryOrder("Q2")).toMatchObject({ queried: true, order: { status: "pending" } });
    expect(await h.router.queryOrder("Q2")).toMatchObject({ queried: false, order: { status: "pending" } });
    expect(h.gateway.queryCalls).toHaveLength(1);
    expect(h.paid).toEqual([]);
  });
});

describe("order() with several merchants", () => {
  it("reads the named merchant's order only; the merchant is required", async () => {
    const a = fakeGateway();
    const b = fakeGateway();
    const h = await harness("express5", {
      gateway: a,
      gateways: undefined,
      merchants: async (merchantId) => (merchantId === "A" ? { gateways: [a.adapter] } : merchantId === "B" ? { gateways: [b.adapter] } : null),
      resolveOrder: () => ({ amountFen: 100, merchantId: "A" }),
    });
    expect((await h.api.post("/pay/orders").send({ orderNo: "1001", channel: "wechat" })).status).toBe(201);
    expect(await h.router.order("1001", "A")).toMatchObject({ orderNo: "1001", merchantId: "A", status: "pending" });
    expect(await h.router.order("1001", "B")).toBeNull();
    await expect(h.router.order("1001")).rejects.toMatchObject({ code: "invalid_request" });
    await expect(h.router.queryOrder("1001", "C")).rejects.toMatchObject({ code: "order_not_found" });
  });
});
