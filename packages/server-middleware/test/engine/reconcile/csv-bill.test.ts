/**
 * Issue 20 end to end: the bill file a merchant downloaded from a console, read by readBillCsv
 * and reconciled. A good file matches and reports its mismatches; a file with one bad line
 * (another merchant's row) is refused at that line and reports nothing, not even the rows before.
 */
import { describe, expect, it } from "vitest";
import { readBillCsv, type BillCsvOptions } from "../../../src/bills/read-bill-csv.js";
import { BillFormatError } from "../../../src/errors.js";
import { countsOf, DAY, reconcileSetup, sh } from "../../support/reconcile-setup.js";

const OPTIONS: BillCsvOptions = {
  columns: { orderNo: "商户订单号", amount: "金额(元)", amountUnit: "yuan", time: "交易时间", merchant: "商户号", kind: { column: "类型", refund: ["退款"] } },
  date: DAY,
  merchant: "M1",
};

/** The file as bytes arriving in small pieces, as from a download. */
async function* file(text: string): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let at = 0; at < bytes.length; at += 5) yield bytes.slice(at, at + 5);
}

const HEADER = "\uFEFF交易时间,商户号,商户订单号,类型,金额(元)\r\n";

describe("reconcile: a console's CSV file", () => {
  it("matches the file's rows against the store and reports what differs", async () => {
    const { store, host, emitted } = reconcileSetup();
    await store.seed("A1", 1000, sh("09:00:00"));
    await store.seed("A2", 500, sh("10:00:00"));
    const csv = `${HEADER}\`${DAY} 09:00:00,M1,\`A1,支付,10.00\r\n\`${DAY} 10:00:00,M1,\`A2,支付,6.00\r\n\`${DAY} 11:00:00,M1,\`U1,支付,0.01\r\n`;
    const result = await host.reconcile({ date: DAY, gateway: "fake", bill: readBillCsv(file(csv), OPTIONS) });
    expect(result.matched.payments).toBe(1);
    expect(result.counts).toEqual(countsOf({ amount_differs: 1, unknown_order: 1 }));
    expect(result.mismatches.find((mismatch) => mismatch.orderNo === "A2")).toMatchObject({ bill: { line: 3, amountFen: 600 }, ours: { amountFen: 500 } });
    expect(emitted.map((mismatch) => [mismatch.kind, mismatch.orderNo])).toEqual(
      expect.arrayContaining([
        ["amount_differs", "A2"],
        ["unknown_order", "U1"],
      ]),
    );
  });

  it("refuses a file with another merchant's row at its line, and reports nothing", async () => {
    const { store, host, emitted, done } = reconcileSetup();
    await store.seed("A1", 1000, sh("09:00:00"));
    const csv = `${HEADER}\`${DAY} 09:00:00,M1,\`A1,支付,10.00\r\n\`${DAY} 09:30:00,M1,\`U1,支付,1.00\r\n\`${DAY} 10:00:00,M2,\`B1,支付,6.00\r\n`;
    const error = await host.reconcile({ date: DAY, gateway: "fake", bill: readBillCsv(file(csv), OPTIONS) }).then(
      () => "resolved",
      (refused: unknown) => refused,
    );
    expect(error).toBeInstanceOf(BillFormatError);
    expect(error).toMatchObject({ line: 4, reason: 'column "商户号": the row is another merchant\'s' });
    expect([emitted, done]).toEqual([[], []]);
  });
});
