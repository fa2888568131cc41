/**
 * readBillCsv on a console bill as merchants download it: a WeChat-style file (UTF-8 with BOM,
 * a title line, numbers behind backticks, a quoted comma, quote and line break, a summary after
 * the rows), from a Node stream, a web stream and chunks cut anywhere; both entry points.
 */
import { createReadStream, readFileSync } from "node:fs";
import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import * as expressEntry from "@paybridge/server-middleware";
import { ConfigError, readBillCsv, type BillCsvOptions, type BillRow } from "@paybridge/server-middleware/web";
import { chunked, refusalOf, rowsOf, shanghai } from "./helpers.js";

const FIXTURE = new URL("../fixtures/bills/wechat-style-utf8-bom.csv", import.meta.url);

const OPTIONS: BillCsvOptions = {
  columns: {
    orderNo: "商户订单号",
    gatewayOrderNo: "微信订单号",
    refundNo: "商户退款单号",
    amount: "金额(元)",
    amountUnit: "yuan",
    fee: "手续费(元)",
    time: "交易时间",
    kind: { column: "交易类型", refund: ["退款"] },
    status: { column: "交易状态", success: ["SUCCESS"], failed: ["PAYERROR"] },
    merchant: "商户号",
  },
  date: "2026-12-04",
  merchant: "1900000109",
  skipLines: 1,
  endMarkers: ["总交易单数"],
  negativeRefundAmounts: true,
};

// What the fixture says, read by hand.
const EXPECTED: BillRow[] = [
  { line: 3, kind: "payment", orderNo: "P001", gatewayOrderNo: "4200000001", amountFen: 1, feeFen: 0, at: shanghai("2026-12-04 00:00:00"), status: "success", merchant: "1900000109" },
  { line: 4, kind: "payment", orderNo: "P002", gatewayOrderNo: "4200000002", amountFen: 9_999_999_999, feeFen: 60, at: shanghai("2026-12-04 09:30:15"), status: "success", merchant: "1900000109" },
  { line: 5, kind: "payment", orderNo: "P003", gatewayOrderNo: "4200000003", amountFen: 1230, feeFen: 0, at: shanghai("2026-12-04 12:00:00"), status: "failed", merchant: "1900000109" },
  { line: 7, kind: "refund", orderNo: "P002", gatewayOrderNo: "4200000002", refundNo: "R001", amountFen: 1000, feeFen: -6, at: shanghai("2026-12-04 23:59:59"), status: "success", merchant: "1900000109" },
];

const bytes = (): Uint8Array<ArrayBuffer> => new Uint8Array(readFileSync(FIXTURE));

describe("readBillCsv: a console bill", () => {
  it("reads every row of the WeChat-style fixture from a Node file stream", async () => {
    expect(await rowsOf(readBillCsv(createReadStream(FIXTURE, { highWaterMark: 16 }), OPTIONS))).toEqual(EXPECTED);
  });

  it("reads the same from a web ReadableStream, bytes cut at every 1 to 9 bytes, and decoded text", async () => {
    expect(await rowsOf(readBillCsv(new Blob([bytes()]).stream(), OPTIONS))).toEqual(EXPECTED);
    for (let size = 1; size <= 9; size++) expect(await rowsOf(readBillCsv(chunked(bytes(), size), OPTIONS))).toEqual(EXPECTED);
    expect(await rowsOf(readBillCsv(Readable.from([new TextDecoder().decode(bytes())]), OPTIONS))).toEqual(EXPECTED);
  });

  it("is exported by the Express entry point too", async () => {
    expect(expressEntry.readBillCsv).toBe(readBillCsv);
    expect(await rowsOf(expressEntry.readBillCsv(chunked(bytes()), OPTIONS))).toEqual(EXPECTED);
  });

  it("without the end marker, reads the summary as rows and refuses it", async () => {
    const { error, before } = await refusalOf(readBillCsv(chunked(bytes()), { ...OPTIONS, endMarkers: [] }));
    expect(before).toHaveLength(4);
    expect(error.line).toBe(9);
    expect(error.reason).toMatch(/3 cells where the header has 10/);
  });

  it("without skipLines, takes the title for the header and lists every mapped column it lacks", async () => {
    const { error, before } = await refusalOf(readBillCsv(chunked(bytes()), { ...OPTIONS, skipLines: 0 }));
    expect(before).toEqual([]);
    expect(error.line).toBe(1);
    expect(error.reason).toBe('the header lacks the columns "商户订单号", "金额(元)", "交易时间", "微信订单号", "商户退款单号", "手续费(元)", "商户号", "交易类型", "交易状态"');
  });

  it("without negativeRefundAmounts, refuses the refund's negative amount at its line, after the rows before it", async () => {
    const { error, before } = await refusalOf(readBillCsv(chunked(bytes()), { ...OPTIONS, negativeRefundAmounts: false }));
    expect(before).toEqual(EXPECTED.slice(0, 3));
    expect(error).toMatchObject({ line: 7, field: "金额(元)", code: "invalid_request", status: 400 });
    expect(error.message).toMatch(/^bill line 7: column "金额\(元\)": the amount is negative/);
  });
});

describe("readBillCsv: the mapping's defaults", () => {
  const minimal: BillCsvOptions = { columns: { orderNo: "order", amount: "fen", amountUnit: "fen", time: "time" }, date: "2026-12-04" };

  it("without kind and status columns, every row is a successful payment; extra columns are ignored; blank lines skipped", async () => {
    const csv = "time,note,order,fen\n1796349600,x,A,100\n,,,\n\n1796349600000,y,B,1\n";
    expect(await rowsOf(readBillCsv(chunked(csv), minimal))).toEqual([
      { line: 2, kind: "payment", orderNo: "A", amountFen: 100, at: shanghai("2026-12-04 10:00:00"), status: "success" },
      { line: 5, kind: "payment", orderNo: "B", amountFen: 1, at: shanghai("2026-12-04 10:00:00"), status: "success" },
    ]);
  });

  it("maps a status neither success nor failed to unknown, and a kind not listed as refund to payment", async () => {
    const columns = { ...minimal.columns, kind: { column: "kind", refund: ["REFUND", "退款"] }, status: { column: "st", success: ["OK"], failed: ["FAIL"] } };
    const csv = "order,fen,time,kind,st\nA,5,20261204101010,PAY,OK\nB,5,20261204101010,退款,FAIL\nC,5,20261204101010,REVOKED,PENDING\n";
    const rows = await rowsOf(readBillCsv(chunked(csv), { ...minimal, columns }));
    expect(rows.map((row) => [row.orderNo, row.kind, row.status])).toEqual([
      ["A", "payment", "success"],
      ["B", "refund", "failed"],
      ["C", "payment", "unknown"],
    ]);
  });

  it("keeps a row's merchant when no merchant is expected, and leaves empty optional cells out", async () => {
    const columns = { ...minimal.columns, merchant: "mch", fee: "fee", gatewayOrderNo: "trade" };
    const rows = await rowsOf(readBillCsv(chunked("order,fen,time,mch,fee,trade\nA,5,20261204101010,M2,,\n"), { ...minimal, columns }));
    expect(rows).toEqual([{ line: 2, kind: "payment", orderNo: "A", amountFen: 5, at: shanghai("2026-12-04 10:10:10"), status: "success", merchant: "M2" }]);
  });

  it("refuses a file with no header line", async () => {
    expect((await refusalOf(readBillCsv(chunked(""), minimal))).error.reason).toMatch(/no header line/);
    expect((await refusalOf(readBillCsv(chunked("title\n"), { ...minimal, skipLines: 1 }))).error.reason).toMatch(/no header line/);
  });

  it("reads a header-only file as a day without trades", async () => {
    expect(await rowsOf(readBillCsv(chunked("order,fen,time\r\n"), minimal))).toEqual([]);
  });
});

describe("readBillCsv: options", () => {
  const columns = { orderNo: "o", amount: "a", amountUnit: "yuan" as const, time: "t" };

  it("refuses bad options when called, before reading a byte", () => {
    const untouched = { [Symbol.asyncIterator]: () => { throw new Error("read"); } };
    const bad: [string, Partial<BillCsvOptions>][] = [
      ["date", { date: "2026-02-30" }],
      ["date", { date: "20261204" }],
      ["columns.amount", { columns: { ...columns, amount: " " } }],
      ["columns.amountUnit", { columns: { ...columns, amountUnit: "jiao" as "fen" } }],
      ["columns.kind", { columns: { ...columns, kind: { column: "k", refund: "退款" as unknown as string[] } } }],
      ["encoding", { encoding: "latin1" as "utf-8" }],
      ["skipLines", { skipLines: -1 }],
      ["maxLineChars", { maxLineChars: 1.5 }],
      ["maxRows", { maxRows: 0 }],
      ["endMarkers", { endMarkers: [""] }],
      ["merchant", { merchant: "" }],
    ];
    for (const [option, change] of bad) {
      const call = (): unknown => readBillCsv(untouched, { columns, date: "2026-12-04", ...change });
      expect(call, option).toThrow(ConfigError);
      expect(call, option).toThrow(expect.objectContaining({ option }));
    }
  });

  it("stops reading the source at a refusal or when the caller stops", async () => {
    let pulled = 0;
    let closed = false;
    async function* source(amount: string): AsyncGenerator<string> {
      try {
        yield "o,a,t\n";
        for (;;) {
          pulled += 1;
          yield `A${pulled},${amount},2026-12-04 10:00:00\n`;
        }
      } finally {
        closed = true;
      }
    }
    const { error } = await refusalOf(readBillCsv(source("x"), { columns, date: "2026-12-04" }));
    expect(error.line).toBe(2);
    expect([pulled, closed]).toEqual([1, true]);
    [pulled, closed] = [0, false];
    for await (const row of readBillCsv(source("1.00"), { columns, date: "2026-12-04" })) if (row.orderNo === "A3") break;
    expect([pulled, closed]).toEqual([3, true]);
  });

  it("cancels a web stream at a refusal", async () => {
    let pulls = 0;
    let cancelled = false;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        pulls += 1;
        controller.enqueue(new TextEncoder().encode(pulls === 1 ? "o,a,t\n" : `A${pulls},1.001,2026-12-04 10:00:00\n`));
      },
      cancel() {
        cancelled = true;
      },
    }, { highWaterMark: 0 });
    const { error } = await refusalOf(readBillCsv(stream, { columns, date: "2026-12-04" }));
    expect(error).toMatchObject({ line: 2, reason: 'column "a": the amount has more than 2 decimals' });
    expect(cancelled).toBe(true);
    expect(pulls).toBeLessThanOrEqual(3);
  });
});
