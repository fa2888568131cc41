/**
 * A gateway whose bill API answers a file (vbao's billDownload) is read by the one CSV reader:
 * its rows are matched like fetched rows, a malformed file is refused at its line (not retried),
 * and a failed download is retried and then reported.
 */
import { describe, expect, it } from "vitest";
import type { BillColumns } from "../../../src/bills/contract.js";
import { BillFetchError, BillFormatError, GatewayError } from "../../../src/errors.js";
import type { GatewayAdapter } from "../../../src/gateways/contract.js";
import { DAY, reconcileSetup, sh } from "../../support/reconcile-setup.js";

const COLUMNS: BillColumns = { orderNo: "orderNo", amount: "orderAmount", amountUnit: "fen", time: "payTime" };
const file = (text: string): Awaited<ReturnType<NonNullable<GatewayAdapter["fetchBillFile"]>>> => ({ format: "csv", columns: COLUMNS, body: new TextEncoder().encode(text) });
const refusal = async (promise: Promise<unknown>): Promise<unknown> => promise.then(() => "resolved", (error: unknown) => error);

describe("reconcile: a bill API that answers a file", () => {
  it("reads the downloaded CSV with the adapter's columns and matches it", async () => {
    const dates: string[] = [];
    const fetchBillFile: GatewayAdapter["fetchBillFile"] = async (input) => {
      dates.push(input.date);
      return file("orderNo,orderAmount,payTime\nA1,1000,2026-03-02 09:00:00\nU9,250,2026-03-02 11:00:00\n");
    };
    const { store, host } = reconcileSetup({ fetchBillFile });
    await store.seed("A1", 1000, sh("09:00:00"));
    await store.seed("A2", 500, sh("10:00:00"));
    const result = await host.reconcile({ date: DAY, gateway: "fake" });
    expect(dates).toEqual([DAY]);
    expect(result.bill).toMatchObject({ payments: 2, paymentFen: 1250 });
    expect(result.matched.payments).toBe(1);
    expect(result.mismatches.map((m) => [m.kind, m.orderNo, m.bill?.line])).toEqual([
      ["unknown_order", "U9", 3],
      ["missing_in_bill", "A2", undefined],
    ]);
  });

  it("refuses a malformed file at its line without downloading it again", async () => {
    let tries = 0;
    const fetchBillFile: GatewayAdapter["fetchBillFile"] = async () => {
      tries++;
      return file("orderNo,orderAmount,payTime\nA1,12.5,2026-03-02 09:00:00\n");
    };
    const { host, emitted } = reconcileSetup({ fetchBillFile });
    const error = await refusal(host.reconcile({ date: DAY, gateway: "fake", retryDelayMs: 1 }));
    expect(error).toBeInstanceOf(BillFormatError);
    expect(error).toMatchObject({ line: 2 });
    expect([tries, emitted]).toEqual([1, []]);
  });

  it("retries a failed download, then reports BillFetchError", async () => {
    let tries = 0;
    const fetchBillFile: GatewayAdapter["fetchBillFile"] = async () => {
      tries++;
      throw new GatewayError("fake", "download failed");
    };
    const { host } = reconcileSetup({ fetchBillFile });
    expect(await refusal(host.reconcile({ date: DAY, gateway: "fake", fetchAttempts: 2, retryDelayMs: 1 }))).toBeInstanceOf(BillFetchError);
    expect(tries).toBe(2);
  });
});
