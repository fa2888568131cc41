/**
 * The matching rules (docs/reconciliation.md, "Matching"): a clean day, then each mismatch
 * kind on its own, against a store seeded as the engine leaves paid orders and refunds.
 */
import { describe, expect, it } from "vitest";
import { refundEntry } from "../../support/listing-store.js";
import { countsOf, DAY, payRow, reconcileSetup, refundRow, sh } from "../../support/reconcile-setup.js";

describe.each(["web", "express5"] as const)("reconcile on the %s host: a clean day", (hostName) => {
  it("matches every row, totals both sides in fen and fees, and reports nothing but reconcile.done", async () => {
    const { store, host, emitted, done } = reconcileSetup({ hostName });
    await store.seed("A1", 1000, sh("09:00:00"));
    await store.seed("A2", 2550, sh("12:30:00"), { status: "partially_refunded", refunds: [refundEntry("R1", 550, sh("15:00:00"), { gatewayRefundNo: "G-R1" })] });
    await store.seed("A3", 1, sh("23:59:59"));
    const bill = [
      payRow(2, "A1", 1000, "09:00:01", { feeFen: 6 }),
      payRow(3, "A2", 2550, "12:30:00", { feeFen: 15 }),
      refundRow(4, "A2", "R1", 550, "15:00:02", { feeFen: -3 }),
      payRow(5, "A3", 1, "23:59:59", { feeFen: 0 }),
    ];
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill });
    expect(result).toEqual({
      date: DAY,
      gateway: "fake",
      bill: { payments: 3, paymentFen: 3551, refunds: 1, refundFen: 550, feeFen: 18 },
      ours: { payments: 3, paymentFen: 3551, refunds: 1, refundFen: 550 },
      matched: { payments: 3, refunds: 1 },
      counts: countsOf({}),
      mismatches: [],
      truncated: false,
    });
    expect(emitted).toEqual([]);
    expect(done).toEqual([result]);
  });
});

describe("reconcile: each mismatch kind", () => {
  it("missing_in_bill: paid here, absent from the bill", async () => {
    const { store, host, emitted } = reconcileSetup();
    await store.seed("M1", 800, sh("10:00:00"));
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill: [] });
    expect(result.counts).toEqual(countsOf({ missing_in_bill: 1 }));
    expect(result.mismatches).toEqual([{ kind: "missing_in_bill", orderNo: "M1", gateway: "fake", ours: { amountFen: 800, status: "paid", at: sh("10:00:00") } }]);
    expect(emitted).toEqual(result.mismatches);
  });

  it("unknown_order: in the bill, no such order here; names the inbox's unmatched notify for it", async () => {
    const { store, host } = reconcileSetup();
    const notify = { gateway: "fake", receivedAt: sh("11:00:00"), body: "", headers: {}, verdict: "unmatched" as const, orderNo: "U1", replays: 0, processedAt: sh("11:00:00") };
    // Ids sort by receipt time (their first 9 base-36 digits are epoch ms), as the inbox writes them.
    const id = (suffix: string): string => `${Date.parse(sh("11:00:00")).toString(36).padStart(9, "0")}-${suffix}`;
    await store.inbox?.put({ ...notify, id: id("x") });
    await store.inbox?.put({ ...notify, id: id("y"), orderNo: "OTHER" });
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill: [payRow(2, "U1", 300, "10:59:58"), payRow(3, "U2", 400, "11:30:00")] });
    expect(result.counts).toEqual(countsOf({ unknown_order: 2 }));
    expect(result.mismatches).toEqual([
      { kind: "unknown_order", orderNo: "U1", gateway: "fake", bill: { amountFen: 300, at: sh("10:59:58"), line: 2, status: "success" }, notifyId: id("x") },
      { kind: "unknown_order", orderNo: "U2", gateway: "fake", bill: { amountFen: 400, at: sh("11:30:00"), line: 3, status: "success" } },
    ]);
  });

  it("unpaid_here: the order exists but was never paid here", async () => {
    const { store, host } = reconcileSetup();
    await store.seed("P1", 500, undefined);
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill: [payRow(2, "P1", 500, "08:00:00")] });
    expect(result.counts).toEqual(countsOf({ unpaid_here: 1 }));
    expect(result.mismatches[0]).toMatchObject({ kind: "unpaid_here", orderNo: "P1", ours: { amountFen: 500, status: "pending" }, bill: { line: 2 } });
  });

  it("amount_differs: both sides paid, for different fen", async () => {
    const { store, host } = reconcileSetup();
    await store.seed("D1", 1000, sh("10:00:00"));
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill: [payRow(2, "D1", 999, "10:00:00")] });
    expect(result.counts).toEqual(countsOf({ amount_differs: 1 }));
    expect(result.mismatches[0]).toMatchObject({ kind: "amount_differs", bill: { amountFen: 999 }, ours: { amountFen: 1000 } });
    expect(result.matched.payments).toBe(0);
  });

  it("status_differs: the bill's payment failed but the order is paid here; a refund succeeded in the bill but is processing here", async () => {
    const { store, host } = reconcileSetup();
    await store.seed("S1", 1000, sh("10:00:00"));
    await store.seed("S2", 1000, sh("10:00:00"), { status: "paid", refunds: [refundEntry("R9", 200, sh("11:00:00"), { status: "processing", finishedAt: undefined })] });
    const bill = [payRow(2, "S1", 1000, "10:00:00", { status: "failed" }), payRow(3, "S2", 1000, "10:00:00"), refundRow(4, "S2", "R9", 200, "11:00:01")];
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill });
    expect(result.counts).toEqual(countsOf({ status_differs: 2 }));
    expect(result.mismatches.map((m) => [m.orderNo, m.refundNo, m.bill?.status, m.ours?.status])).toEqual([
      ["S1", undefined, "failed", "paid"],
      ["S2", "R9", "success", "processing"],
    ]);
  });

  it("refund_unknown: a refund in the bill that no refund here is, by number or amount", async () => {
    const { store, host } = reconcileSetup();
    await store.seed("F1", 1000, sh("10:00:00"), { status: "partially_refunded", refunds: [refundEntry("R1", 100, sh("12:00:00"))] });
    const bill = [payRow(2, "F1", 1000, "10:00:00"), refundRow(3, "F1", "R1", 100, "12:00:00"), refundRow(4, "F1", "R2", 300, "13:00:00"), refundRow(5, "NOPE", "R1", 50, "13:00:00")];
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill });
    expect(result.counts).toEqual(countsOf({ refund_unknown: 2 }));
    expect(result.mismatches.map((m) => [m.kind, m.orderNo, m.refundNo, m.bill?.line])).toEqual([
      ["refund_unknown", "F1", "R2", 4],
      ["refund_unknown", "NOPE", "R1", 5],
    ]);
    expect(result.matched).toEqual({ payments: 1, refunds: 1 });
  });

  it("refund_differs: the same refund for another amount; a refund is matched by the gateway's number, else by amount once", async () => {
    const { store, host } = reconcileSetup();
    const refunds = [refundEntry("R1", 100, sh("12:00:00")), refundEntry("R2", 200, sh("12:00:00"), { gatewayRefundNo: "GW-2" }), refundEntry("R3", 300, sh("12:00:00"))];
    await store.seed("F1", 1000, sh("10:00:00"), { status: "partially_refunded", refunds });
    const bill = [
      payRow(2, "F1", 1000, "10:00:00"),
      refundRow(3, "F1", "R1", 101, "12:00:00"),
      refundRow(4, "F1", undefined, 200, "12:00:00", { gatewayRefundNo: "GW-2" }),
      refundRow(5, "F1", undefined, 300, "12:00:00"),
      refundRow(6, "F1", undefined, 300, "12:00:00", { gatewayRefundNo: "GW-X" }),
    ];
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill });
    expect(result.counts).toEqual(countsOf({ refund_differs: 1, refund_unknown: 1 }));
    expect(result.mismatches.map((m) => [m.kind, m.refundNo, m.bill?.line])).toEqual([
      ["refund_differs", "R1", 3],
      ["refund_unknown", undefined, 6],
    ]);
    expect(result.matched.refunds).toBe(2);
  });

  it("refund_missing_in_bill: a refund that succeeded here, absent from the bill; a failed one is not missing", async () => {
    const { store, host } = reconcileSetup();
    const refunds = [refundEntry("R1", 100, sh("12:00:00")), refundEntry("R2", 50, sh("12:10:00"), { status: "failed" })];
    await store.seed("F1", 1000, sh("10:00:00"), { status: "partially_refunded", refunds });
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill: [payRow(2, "F1", 1000, "10:00:00")] });
    expect(result.counts).toEqual(countsOf({ refund_missing_in_bill: 1 }));
    expect(result.mismatches[0]).toEqual({ kind: "refund_missing_in_bill", orderNo: "F1", refundNo: "R1", gateway: "fake", ours: { amountFen: 100, status: "succeeded", at: sh("12:00:00") } });
    expect(result.ours).toEqual({ payments: 1, paymentFen: 1000, refunds: 1, refundFen: 100 });
  });
});

describe("reconcile: the day's edges", () => {
  it("an order paid here just after midnight but billed the day before is reported on one day only", async () => {
    const { store, host } = reconcileSetup();
    // Our clock put it 4 s into 2026-03-03; the gateway billed it at 23:59:58 on 2026-03-02.
    await store.seed("E1", 700, sh("2026-03-03 00:00:04"));
    // And one the bill lists that was paid here long before (a late bill row): looked up, matched.
    await store.seed("E2", 900, sh("2026-02-20 10:00:00"));
    const first = await host.reconcile({ date: DAY, gateway: "fake", bill: [payRow(2, "E1", 700, "23:59:58"), payRow(3, "E2", 900, "08:00:00")] });
    expect(first.counts).toEqual(countsOf({}));
    expect(first.matched.payments).toBe(2);
    const next = await host.reconcile({ date: "2026-03-03", gateway: "fake", bill: [] });
    const reports = [...first.mismatches, ...next.mismatches].filter((m) => m.orderNo === "E1");
    expect(reports.length).toBeLessThanOrEqual(1);
    // Other gateways' orders are never this gateway's.
    await store.seed("O1", 100, sh("10:00:00"), { gateway: "other" });
    expect((await host.reconcile({ date: DAY, gateway: "fake", bill: [payRow(2, "E1", 700, "23:59:58"), payRow(3, "E2", 900, "08:00:00")] })).counts).toEqual(countsOf({}));
  });

  it("lists at most maxListed mismatches in bill order and says the rest were cut", async () => {
    const { host, emitted } = reconcileSetup();
    const bill = [payRow(7, "X3", 1, "10:00:00"), payRow(3, "X1", 1, "10:00:00"), payRow(5, "X2", 1, "10:00:00")];
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill, maxListed: 2 });
    expect(result.mismatches.map((m) => m.bill?.line)).toEqual([3, 5]);
    expect(result.truncated).toBe(true);
    expect(result.counts.unknown_order).toBe(3);
    expect(emitted).toHaveLength(3);
  });
});
