/**
 * What a bill's cells read as: amounts exact in fen (the float traps, both ends of the range,
 * thousands separators by option), signed fees, and every time form on the Shanghai day's edges.
 */
import { describe, expect, it } from "vitest";
import { readBillCsv, type BillColumns, type BillCsvOptions } from "@paybridge/server-middleware/web";
import { chunked, refusalOf, rowsOf, shanghai } from "./helpers.js";

function options(unit: BillColumns["amountUnit"], more: Partial<BillCsvOptions> = {}): BillCsvOptions {
  return {
    columns: { orderNo: "order", amount: "amount", amountUnit: unit, fee: "fee", time: "time", kind: { column: "kind", refund: ["refund"] } },
    date: "2026-12-04",
    ...more,
  };
}

/** One row per amount (quoted, so a thousands comma stays in its cell); the rows read. */
async function read(unit: BillColumns["amountUnit"], amounts: readonly string[], more: Partial<BillCsvOptions> = {}, kind = "pay") {
  const lines = amounts.map((amount, i) => `O${i},"${amount}",,20261204120000,${kind}`);
  return rowsOf(readBillCsv(chunked(["order,amount,fee,time,kind", ...lines, ""].join("\r\n")), options(unit, more)));
}

async function reason(unit: BillColumns["amountUnit"], amount: string, more: Partial<BillCsvOptions> = {}): Promise<string> {
  const csv = `order,amount,fee,time,kind\nO1,"${amount}",,20261204120000,pay\n`;
  return (await refusalOf(readBillCsv(chunked(csv), options(unit, more)))).error.reason;
}

describe("amounts", () => {
  it("reads yuan exactly: the smallest, the largest, the float traps", async () => {
    const rows = await read("yuan", ["0.01", "99999999.99", "12.3", "12", "0.29", "1.10", "19.99", "007.50"]);
    expect(rows.map((row) => row.amountFen)).toEqual([1, 9_999_999_999, 1230, 1200, 29, 110, 1999, 750]);
  });

  it("reads fen as whole numbers only", async () => {
    expect((await read("fen", ["1", "9999999999", "0012"])).map((row) => row.amountFen)).toEqual([1, 9_999_999_999, 12]);
    expect(await reason("fen", "12.30")).toBe('column "amount": the amount is not a whole number of fen (the amount unit is fen)');
    expect(await reason("fen", "10000000000")).toMatch(/over the largest amount/);
    expect(await reason("fen", "1e3")).toBe('column "amount": the amount is not an amount of fen (digits only)');
  });

  it("refuses thousands separators by default and reads well-placed ones with thousandsSeparators", async () => {
    expect(await reason("yuan", "1,234.00")).toMatch(/thousands separators \(the `thousandsSeparators` option/);
    const grouped = await read("yuan", ["1,234.00", "12,345,678.9", "999", "1234.56"], { thousandsSeparators: true });
    expect(grouped.map((row) => row.amountFen)).toEqual([123_400, 1_234_567_890, 99_900, 123_456]);
    for (const misplaced of ["1,23.00", "1234,567.00", ",123.00", "1,234,"]) {
      expect(await reason("yuan", misplaced, { thousandsSeparators: true }), misplaced).toMatch(/misplaced thousands separators|not an amount/);
    }
  });

  it("reads a refund's negative amount as its size with negativeRefundAmounts, never a payment's", async () => {
    const refunds = await read("yuan", ["-10.00", "0.50"], { negativeRefundAmounts: true }, "refund");
    expect(refunds.map((row) => [row.kind, row.amountFen])).toEqual([
      ["refund", 1000],
      ["refund", 50],
    ]);
    expect((await read("fen", ["-7"], { negativeRefundAmounts: true }, "refund"))[0]?.amountFen).toBe(7);
    expect(await reason("yuan", "-10.00", { negativeRefundAmounts: true })).toBe('column "amount": the amount is negative');
  });

  it("reads fees signed (a refund returns a fee), zero as 0 not -0, and an empty fee as none", async () => {
    const csv = "order,amount,fee,time,kind\nA,1.00,-0.06,20261204120000,pay\nB,1.00,-0.00,20261204120000,pay\nC,1.00,`0.60,20261204120000,pay\nD,1.00, ,20261204120000,pay\n";
    const rows = await rowsOf(readBillCsv(chunked(csv), options("yuan")));
    expect(rows.map((row) => row.feeFen)).toEqual([-6, 0, 60, undefined]);
    expect(Object.is(rows[1]?.feeFen, 0)).toBe(true);
    expect(rows[3]).not.toHaveProperty("feeFen");
  });
});

describe("times, read in Asia/Shanghai", () => {
  async function times(values: readonly string[], date = "2026-12-04"): Promise<number[]> {
    const csv = ["order,amount,fee,time,kind", ...values.map((time, i) => `O${i},1.00,,${time},pay`)].join("\n");
    return (await rowsOf(readBillCsv(chunked(csv), options("yuan", { date })))).map((row) => row.at);
  }

  it("reads every documented form as the same moment", async () => {
    const noon = shanghai("2026-12-04 12:34:56");
    const forms = ["2026-12-04 12:34:56", "2026/12/04 12:34:56", "20261204123456", String(noon / 1000), String(noon), "`2026-12-04 12:34:56", "\t2026-12-04 12:34:56"];
    expect(await times(forms)).toEqual(forms.map(() => noon));
  });

  it("takes the day's first and last second and refuses the next day's first", async () => {
    expect(await times(["2026-12-04 00:00:00", "2026-12-04 23:59:59"])).toEqual([shanghai("2026-12-04 00:00:00"), shanghai("2026-12-04 23:59:59")]);
    expect(shanghai("2026-12-04 00:00:00")).toBe(Date.UTC(2026, 11, 3, 16));
    const { error } = await refusalOf(readBillCsv(chunked("order,amount,fee,time,kind\nA,1.00,,2026-12-05 00:00:00,pay\n"), options("yuan")));
    expect(error.reason).toMatch(/wrong day/);
  });

  it("reads a leap day and refuses a day the year lacks", async () => {
    expect(await times(["2028-02-29 10:00:00"], "2028-02-29")).toEqual([shanghai("2028-02-29 10:00:00")]);
    expect(() => readBillCsv(chunked(""), options("yuan", { date: "2026-02-29" }))).toThrow(/option `date`/);
  });
});
