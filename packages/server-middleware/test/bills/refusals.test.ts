/**
 * Issue 20's bad input: a malformed bill is refused with the line and the reason, nothing after
 * the bad line is read, and the reason never repeats the row (a bill holds customers' data).
 * Each case puts its fault on line 3, after one good row, so the line number is the fault's.
 */
import { describe, expect, it } from "vitest";
import { readBillCsv, type BillCsvOptions } from "@paybridge/server-middleware/web";
import { chunked, refusalOf, shanghai } from "./helpers.js";

const OPTIONS: BillCsvOptions = {
  columns: {
    orderNo: "out_trade_no",
    amount: "amount",
    amountUnit: "yuan",
    fee: "fee",
    time: "trade_time",
    merchant: "mch_id",
    kind: { column: "type", refund: ["REFUND"] },
  },
  date: "2026-12-04",
  merchant: "M100",
};

const HEADER = "trade_time,mch_id,out_trade_no,type,amount,fee";
const GOOD = "2026-12-04 08:00:00,M100,SECRET-ORDER-1,PAY,1.00,0.01";

async function faultOn(badLine: string, options: Partial<BillCsvOptions> = {}) {
  const { error, before } = await refusalOf(readBillCsv(chunked(`${HEADER}\n${GOOD}\n${badLine}\n${GOOD}\n`), { ...OPTIONS, ...options }));
  expect(before.map((row) => row.line)).toEqual([2]);
  expect(error.line).toBe(3);
  expect(error.message).toBe(`bill line 3: ${error.reason}`);
  // No cell of the bad line is repeated: only the header names and our own words.
  for (const cell of badLine.split(",").filter((value) => value.length > 4)) expect(error.message).not.toContain(cell);
  return error;
}

describe("readBillCsv refuses a bad line with its number and reason", () => {
  it("wrong columns: a line with more or fewer cells than the header", async () => {
    expect((await faultOn("2026-12-04 08:00:00,M100,CUSTOMER-PHONE-13800000000,PAY,1.00")).reason).toBe("5 cells where the header has 6");
    expect((await faultOn(`${GOOD},EXTRA-CUSTOMER-NOTE`)).reason).toBe("7 cells where the header has 6");
  });

  it("a missing order number", async () => {
    expect(await faultOn("2026-12-04 08:00:00,M100,`,PAY,1.00,0.01")).toMatchObject({ reason: 'column "out_trade_no": the order number is empty', field: "out_trade_no" });
  });

  it("bad amounts: more than 2 decimals, exponent, empty, negative, zero, too large", async () => {
    const amount = async (value: string) => (await faultOn(`2026-12-04 08:00:00,M100,ORDER-77,PAY,${value},0.01`)).reason;
    expect(await amount("12.345")).toBe('column "amount": the amount has more than 2 decimals');
    expect(await amount("1e3")).toBe('column "amount": the amount is not an amount of yuan (digits, at most 2 decimals)');
    expect(await amount("")).toBe('column "amount": the amount is empty');
    expect(await amount("-1.00")).toBe('column "amount": the amount is negative');
    expect(await amount("0.00")).toBe('column "amount": the amount is zero');
    expect(await amount("100000000.00")).toBe('column "amount": the amount is over the largest amount (9999999999 fen, 99999999.99 yuan)');
    expect(await amount('"1,234.00"')).toMatch(/thousands separators/);
  });

  it("a bad fee", async () => {
    expect((await faultOn("2026-12-04 08:00:00,M100,ORDER-77,PAY,1.00,0.001")).reason).toBe('column "fee": the fee has more than 2 decimals');
  });

  it("a negative refund amount without negativeRefundAmounts names the option", async () => {
    expect((await faultOn("2026-12-04 08:00:00,M100,ORDER-77,REFUND,-1.00,0")).reason).toMatch(/negative .*`negativeRefundAmounts`/);
  });

  it("wrong day: a time before or after the bill's Shanghai day", async () => {
    const wrongDay = 'column "trade_time": wrong day: the time is not on 2026-12-04 (Asia/Shanghai)';
    expect((await faultOn("2026-12-03 23:59:59,M100,ORDER-77,PAY,1.00,0")).reason).toBe(wrongDay);
    expect((await faultOn("2026-12-05 00:00:00,M100,ORDER-77,PAY,1.00,0")).reason).toBe(wrongDay);
    // 2026-12-04 00:00 UTC is 08:00 in Shanghai (inside); 2026-12-04 16:00 UTC is the next day there.
    expect((await faultOn(`${Date.UTC(2026, 11, 4, 16) / 1000},M100,ORDER-77,PAY,1.00,0`)).reason).toBe(wrongDay);
  });

  it("a time in no known form or no such time", async () => {
    for (const time of ["2026-12-04T08:00:00", "04/12/2026 08:00:00", "2026-12-04 8:00:00", "2026-02-30 08:00:00", "2026-12-04 24:00:00", "2026-12-04/08:00:00", "17963496"]) {
      expect((await faultOn(`${time},M100,ORDER-77,PAY,1.00,0`)).reason, time).toMatch(/^column "trade_time": the time is not a valid yyyy-MM-dd HH:mm:ss/);
    }
    expect((await faultOn(",M100,ORDER-77,PAY,1.00,0")).reason).toBe('column "trade_time": the time is empty');
  });

  it("another merchant's row, or a row naming none, when a merchant is expected", async () => {
    expect((await faultOn("2026-12-04 08:00:00,OTHER-MERCHANT-9,ORDER-77,PAY,1.00,0")).reason).toBe('column "mch_id": the row is another merchant\'s');
    expect((await faultOn("2026-12-04 08:00:00,,ORDER-77,PAY,1.00,0")).reason).toBe('column "mch_id": the row names no merchant');
  });

  it("a malformed quote", async () => {
    expect((await faultOn('2026-12-04 08:00:00,M100,"ORDER-77"x,PAY,1.00,0')).reason).toMatch(/text after a closing quote/);
  });

  it("a file with more rows than maxRows, at the first row over", async () => {
    const { error } = await refusalOf(readBillCsv(chunked(`${HEADER}\n${GOOD}\n${GOOD}\n${GOOD}\n`), { ...OPTIONS, maxRows: 2 }));
    expect(error).toMatchObject({ line: 4, reason: "more than 2 rows (the `maxRows` option)" });
  });

  it("a line over maxLineChars", async () => {
    const long = `2026-12-04 08:00:00,M100,ORDER-77,PAY,1.00,"${"n".repeat(200)}"`;
    const { error } = await refusalOf(readBillCsv(chunked(`${HEADER}\n${GOOD}\n${long}\n`), { ...OPTIONS, maxLineChars: 100 }));
    expect(error).toMatchObject({ line: 3, reason: "a line longer than 100 characters (the `maxLineChars` option)" });
  });

  it("a header with a mapped column twice", async () => {
    const { error } = await refusalOf(readBillCsv(chunked(`${HEADER},amount\n`), OPTIONS));
    expect(error).toMatchObject({ line: 1, reason: 'the header has the column "amount" twice' });
  });

  it("reads the good line the cases share, as a check on the fixture itself", async () => {
    const { error, before } = await refusalOf(readBillCsv(chunked(`${HEADER}\n${GOOD}\nx\n`), OPTIONS));
    expect(before).toEqual([{ line: 2, kind: "payment", orderNo: "SECRET-ORDER-1", amountFen: 100, feeFen: 1, at: shanghai("2026-12-04 08:00:00"), status: "success", merchant: "M100" }]);
    expect(error.line).toBe(3);
  });
});
