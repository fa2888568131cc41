/**
 * Several merchants: a merchant's reconcile lists only its own orders (the shared store's
 * listing under its key prefix), looks up only its own, and needs its merchantId.
 */
import { describe, expect, it } from "vitest";
import { merchantKey } from "../../../src/engine/merchant-store.js";
import { fakeGateway } from "../../support/fake-adapter.js";
import { countsOf, DAY, payRow, reconcileSetup, sh } from "../../support/reconcile-setup.js";

function shops() {
  const gateways = { A: fakeGateway(), B: fakeGateway() };
  const setup = reconcileSetup({
    extra: {
      gateways: undefined,
      routing: { wechat: "fake" },
      merchants: (merchantId) => (merchantId === "A" || merchantId === "B" ? { gateways: [gateways[merchantId].adapter] } : null),
    },
  });
  return setup;
}

describe("reconcile with merchants", () => {
  it("merchant A's day never lists, matches or looks up merchant B's orders", async () => {
    const { store, host, emitted } = shops();
    await store.seed(merchantKey("A", "A1"), 100, sh("10:00:00"));
    await store.seed(merchantKey("B", "B1"), 200, sh("10:00:00"));
    await store.seed(merchantKey("B", "SAME"), 300, sh("11:00:00"));
    // A's bill names B's order number: for A it is unknown, never B's order.
    const result = await host.reconcile({ date: DAY, gateway: "fake", merchantId: "A", bill: [payRow(2, "SAME", 300, "11:00:00")] });
    expect(result.merchantId).toBe("A");
    expect(result.counts).toEqual(countsOf({ missing_in_bill: 1, unknown_order: 1 }));
    expect(result.mismatches.map((m) => [m.kind, m.orderNo, m.merchantId])).toEqual([
      ["unknown_order", "SAME", "A"],
      ["missing_in_bill", "A1", "A"],
    ]);
    expect(result.ours).toEqual({ payments: 1, paymentFen: 100, refunds: 0, refundFen: 0 });
    expect(store.listings.every((listing) => listing.keyPrefix === "m:A:")).toBe(true);
    expect(emitted.every((m) => m.merchantId === "A")).toBe(true);
  });

  it("needs the merchantId, and a known merchant", async () => {
    const { host } = shops();
    await expect(host.reconcile({ date: DAY, gateway: "fake", bill: [] })).rejects.toMatchObject({ code: "invalid_request", field: "merchantId" });
    await expect(host.reconcile({ date: DAY, gateway: "fake", merchantId: "C", bill: [] })).rejects.toMatchObject({ code: "order_not_found" });
  });
});
