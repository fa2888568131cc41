/**
 * A bill that cannot be trusted reports nothing: duplicate rows and rows outside the day are
 * refused with their line, a failing bill API is retried and then reported as a failure (never
 * as a day without payments), and a reconcile without any bill source says so.
 */
import { describe, expect, it } from "vitest";
import type { BillRow } from "../../../src/bills/contract.js";
import { BillFetchError, BillFormatError, GatewayError, InvalidRequestError } from "../../../src/errors.js";
import type { GatewayAdapter } from "../../../src/gateways/contract.js";
import { DAY, payRow, reconcileSetup, refundRow, sh } from "../../support/reconcile-setup.js";

const refusal = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => "resolved", (error: unknown) => error);

describe("reconcile: a malformed bill", () => {
  it("refuses a payment listed twice, naming both lines, and emits and reports nothing", async () => {
    const { store, host, emitted, done } = reconcileSetup();
    await store.seed("A1", 1000, sh("09:00:00"));
    const reported: unknown[] = [];
    const bill = [payRow(2, "U1", 5, "08:00:00"), payRow(3, "A1", 1000, "09:00:00"), payRow(4, "U2", 5, "08:00:00"), payRow(9, "A1", 1000, "09:00:00")];
    const error = await refusal(host.reconcile({ date: DAY, gateway: "fake", bill, onMismatch: (m) => void reported.push(m) }));
    expect(error).toBeInstanceOf(BillFormatError);
    expect(error).toMatchObject({ line: 9, reason: "the same payment as line 3 (listed twice)" });
    expect([emitted, done, reported]).toEqual([[], [], []]);
  });

  it("refuses a refund listed twice under the same refund number; two refunds of one order are not duplicates", async () => {
    const { host } = reconcileSetup();
    const twice = [refundRow(2, "A1", "R1", 100, "10:00:00"), refundRow(3, "A1", "R2", 100, "10:00:00"), refundRow(4, "A1", "R1", 100, "10:00:00")];
    expect(await refusal(host.reconcile({ date: DAY, gateway: "fake", bill: twice }))).toMatchObject({ line: 4, reason: "the same refund as line 2 (listed twice)" });
  });

  it("refuses a row outside the day (Asia/Shanghai), a negative amount, a row without a line", async () => {
    const { host, emitted } = reconcileSetup();
    const cases: [BillRow, number, string][] = [
      [payRow(5, "A1", 100, "2026-03-03 00:00:00"), 5, "the row's time is outside the bill's day"],
      [payRow(6, "A1", 100, "2026-03-01 23:59:59"), 6, "the row's time is outside the bill's day"],
      [payRow(7, "A1", -100, "10:00:00"), 7, "amount must be a positive whole number of fen"],
      [payRow(0, "A1", 100, "10:00:00"), 0, "the row has no line number"],
    ];
    for (const [row, line, reason] of cases) {
      expect(await refusal(host.reconcile({ date: DAY, gateway: "fake", bill: [payRow(2, "Z", 1, "00:00:00"), row] }))).toMatchObject({ line, reason });
    }
    expect(emitted).toEqual([]);
  });

  it("refuses a date that is not a calendar day, and a gateway that is not configured", async () => {
    const { host } = reconcileSetup();
    expect(await refusal(host.reconcile({ date: "2026-02-30", gateway: "fake", bill: [] }))).toMatchObject({ field: "date" });
    expect(await refusal(host.reconcile({ date: "2026-3-2", gateway: "fake", bill: [] }))).toMatchObject({ field: "date" });
    expect(await refusal(host.reconcile({ date: DAY, gateway: "nope", bill: [] }))).toMatchObject({ field: "gateway" });
  });
});

describe("reconcile: the gateway's bill API", () => {
  it("without a bill and without a bill API: a clear error, not an empty day", async () => {
    const { host } = reconcileSetup();
    const error = await refusal(host.reconcile({ date: DAY, gateway: "fake" }));
    expect(error).toBeInstanceOf(InvalidRequestError);
    expect(error).toMatchObject({ field: "bill", message: expect.stringContaining("no bill API") });
  });

  it("fetches the day's bill through the engine's client, retrying a failed page from the start", async () => {
    const calls: { date: string; http: boolean }[] = [];
    const fetchBill: GatewayAdapter["fetchBill"] = async function* (input, http) {
      calls.push({ date: input.date, http: typeof http === "function" });
      yield payRow(2, "A1", 1000, "09:00:00");
      // The first try fails after a row: the retry must not count that row twice.
      if (calls.length === 1) throw new GatewayError("fake", "page 2 failed");
      yield payRow(3, "A2", 500, "10:00:00");
    };
    const { store, host, warnings } = reconcileSetup({ fetchBill });
    await store.seed("A1", 1000, sh("09:00:00"));
    await store.seed("A2", 500, sh("10:00:00"));
    const result = await host.reconcile({ date: DAY, gateway: "fake", retryDelayMs: 1 });
    expect(calls).toEqual([{ date: DAY, http: true }, { date: DAY, http: true }]);
    expect(result.bill).toEqual({ payments: 2, paymentFen: 1500, refunds: 0, refundFen: 0, feeFen: 0 });
    expect(result.matched.payments).toBe(2);
    expect(warnings).toEqual(["bill fetch failed"]);
  });

  it("a bill API that keeps failing is retried fetchAttempts times, then BillFetchError; nothing is reported", async () => {
    let tries = 0;
    const fetchBill: GatewayAdapter["fetchBill"] = async function* () {
      tries++;
      yield payRow(2, "U1", 1000, "09:00:00");
      throw new GatewayError("fake", "bill service down");
    };
    const { host, emitted, done } = reconcileSetup({ fetchBill });
    const started = Date.now();
    const error = await refusal(host.reconcile({ date: DAY, gateway: "fake", fetchAttempts: 3, retryDelayMs: 20 }));
    expect(error).toBeInstanceOf(BillFetchError);
    expect(error).toMatchObject({ gateway: "fake", attempts: 3, code: "gateway_error" });
    expect((error as BillFetchError).cause).toBeInstanceOf(GatewayError);
    expect(tries).toBe(3);
    // Backoff: 20 ms, then 40 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);
    expect([emitted, done]).toEqual([[], []]);
  });

  it("a malformed fetched row is not retried: it is refused at once", async () => {
    let tries = 0;
    const fetchBill: GatewayAdapter["fetchBill"] = async function* () {
      tries++;
      yield payRow(2, "A1", 1000, "2026-03-05 09:00:00");
    };
    const { host } = reconcileSetup({ fetchBill });
    expect(await refusal(host.reconcile({ date: DAY, gateway: "fake", retryDelayMs: 1 }))).toBeInstanceOf(BillFormatError);
    expect(tries).toBe(1);
  });
});
