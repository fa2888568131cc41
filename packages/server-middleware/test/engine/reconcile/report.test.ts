/**
 * The reports a merchant files: CSV of every mismatch (not only the listed ones), written as
 * reconcile hands them over and waiting for a slow file, and JSON of the result.
 */
import { PassThrough } from "node:stream";
import { text } from "node:stream/consumers";
import { describe, expect, it } from "vitest";
import { mismatchCsvLine, reconcileReport } from "../../../src/engine/reconcile/report.js";
import { DAY, payRow, reconcileSetup, sh } from "../../support/reconcile-setup.js";

describe("reconcileReport", () => {
  it("CSV: a header and every mismatch, amounts in exact yuan, even past maxListed", async () => {
    const { store, host } = reconcileSetup();
    await store.seed("M1", 1005, sh("10:00:00"));
    // A small buffer: the report must wait for "drain" rather than queue everything.
    const out = new PassThrough({ highWaterMark: 16 });
    const written = text(out);
    const report = reconcileReport(out, "csv");
    const bill = [payRow(2, "U1", 1, "09:00:00"), payRow(3, "U2", 123456789, "09:30:00")];
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill, maxListed: 1, onMismatch: report.onMismatch });
    await report.finish(result);
    const lines = (await written).split("\r\n");
    expect(result.mismatches).toHaveLength(1);
    expect(lines[0]).toBe("kind,order_no,refund_no,bill_line,bill_amount,bill_status,bill_time,our_amount,our_status,our_time,notify_id");
    expect(lines.slice(1, -1).sort()).toEqual([
      `missing_in_bill,M1,,,,,,10.05,paid,${sh("10:00:00")},`,
      `unknown_order,U1,,2,0.01,success,${sh("09:00:00")},,,,`,
      `unknown_order,U2,,3,1234567.89,success,${sh("09:30:00")},,,,`,
    ]);
    expect(lines.at(-1)).toBe("");
  });

  it("CSV fields are quoted, and one a spreadsheet would run as a formula is defused", () => {
    const line = mismatchCsvLine({ kind: "unknown_order", orderNo: "=HYPERLINK(1)", refundNo: 'a,"b"', gateway: "fake" });
    expect(line).toBe(`unknown_order,'=HYPERLINK(1),"a,""b""",,,,,,,,\r\n`);
  });

  it("JSON: the result as reconcile returned it", async () => {
    const { host } = reconcileSetup();
    const out = new PassThrough();
    const written = text(out);
    const report = reconcileReport(out, "json");
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill: [payRow(2, "U1", 1, "09:00:00")], onMismatch: report.onMismatch });
    await report.finish(result);
    expect(JSON.parse(await written)).toEqual(result);
  });
});
