/**
 * GBK bills (what Chinese consoles export) and bytes that are not text. The GBK fixture is
 * built from a byte table (GB 2312 code points, e.g. 退款 = CD CB BF EE), never by an encoder:
 * the test must not share a mistake with the code it checks.
 */
import { describe, expect, it } from "vitest";
import { readBillCsv, type BillCsvOptions } from "@paybridge/server-middleware/web";
import { chunked, refusalOf, rowsOf, shanghai } from "./helpers.js";

/** GBK bytes of the words the fixture uses. */
const GBK: Record<string, readonly number[]> = {
  交易时间: [0xbd, 0xbb, 0xd2, 0xd7, 0xca, 0xb1, 0xbc, 0xe4],
  商户订单号: [0xc9, 0xcc, 0xbb, 0xa7, 0xb6, 0xa9, 0xb5, 0xa5, 0xba, 0xc5],
  金额: [0xbd, 0xf0, 0xb6, 0xee],
  交易类型: [0xbd, 0xbb, 0xd2, 0xd7, 0xc0, 0xe0, 0xd0, 0xcd],
  支付: [0xd6, 0xa7, 0xb8, 0xb6],
  退款: [0xcd, 0xcb, 0xbf, 0xee],
  总交易单数: [0xd7, 0xdc, 0xbd, 0xbb, 0xd2, 0xd7, 0xb5, 0xa5, 0xca, 0xfd],
  微信支付账单明细: [0xce, 0xa2, 0xd0, 0xc5, 0xd6, 0xa7, 0xb8, 0xb6, 0xd5, 0xcb, 0xb5, 0xa5, 0xc3, 0xf7, 0xcf, 0xb8],
};

/** Bytes from ASCII text and table words: `["a,", "金额"]`. */
function gbk(parts: readonly string[]): Uint8Array {
  const bytes: number[] = [];
  for (const part of parts) {
    const word = GBK[part];
    if (word) bytes.push(...word);
    else for (const char of part) bytes.push(char.charCodeAt(0) < 0x80 ? char.charCodeAt(0) : Number.NaN);
  }
  if (bytes.some(Number.isNaN)) throw new Error("a non-ASCII character outside the GBK table");
  return new Uint8Array(bytes);
}

// Title, header, a payment, a refund (the same order), a summary line and its values.
const BILL = gbk([
  "微信支付账单明细", "\r\n",
  "交易时间", ",", "商户订单号", ",", "金额", ",", "交易类型", "\r\n",
  "`2026-12-04 10:00:00,`A1,`1.00,", "支付", "\r\n",
  "`2026-12-04 11:00:00,`A1,`0.50,", "退款", "\r\n",
  "总交易单数", ",x,y,z\r\n",
  "`2,`1.50,,\r\n",
]);

const OPTIONS: BillCsvOptions = {
  columns: { orderNo: "商户订单号", amount: "金额", amountUnit: "yuan", time: "交易时间", kind: { column: "交易类型", refund: ["退款"] } },
  date: "2026-12-04",
  encoding: "gbk",
  skipLines: 1,
  endMarkers: ["总交易单数"],
};

describe("readBillCsv: encodings", () => {
  it("reads a GBK bill, its Chinese header, kinds and end marker, whatever the chunk size", async () => {
    const expected = [
      { line: 3, kind: "payment", orderNo: "A1", amountFen: 100, at: shanghai("2026-12-04 10:00:00"), status: "success" },
      { line: 4, kind: "refund", orderNo: "A1", amountFen: 50, at: shanghai("2026-12-04 11:00:00"), status: "success" },
    ];
    for (const size of [1, 2, 3, 5, BILL.length]) {
      expect(await rowsOf(readBillCsv(chunked(BILL, size), OPTIONS)), `chunks of ${size}`).toEqual(expected);
      expect(await rowsOf(readBillCsv(chunked(BILL, size), { ...OPTIONS, encoding: "gb18030" }))).toEqual(expected);
    }
  });

  it("refuses the GBK bill read as UTF-8: its bytes are not UTF-8, so nothing is misread", async () => {
    const { error, before } = await refusalOf(readBillCsv(chunked(BILL, 4), { ...OPTIONS, encoding: undefined }));
    expect(before).toEqual([]);
    expect(error).toMatchObject({ line: 1, reason: "bytes at or after this line are not utf-8 text (the `encoding` option)" });
  });

  it("names the line the bad bytes are at or after", async () => {
    const utf8 = new TextEncoder().encode("order,amount,time\nA,1.00,2026-12-04 10:00:00\n");
    async function* source(): AsyncGenerator<Uint8Array> {
      yield utf8;
      yield new Uint8Array([0x42, 0x2c, 0xff, 0x0a]);
    }
    const options: BillCsvOptions = { columns: { orderNo: "order", amount: "amount", amountUnit: "yuan", time: "time" }, date: "2026-12-04" };
    const { error, before } = await refusalOf(readBillCsv(source(), options));
    expect(before.map((row) => row.orderNo)).toEqual(["A"]);
    expect(error.line).toBe(3);
  });

  it("refuses a file cut inside a character", async () => {
    // 金 in UTF-8 is E9 87 91: the file ends after E9 87.
    const cut = new Uint8Array([...new TextEncoder().encode("order,amount,time\nA,1.00,2026-12-04 10:00:00\nB"), 0xe9, 0x87]);
    const options: BillCsvOptions = { columns: { orderNo: "order", amount: "amount", amountUnit: "yuan", time: "time" }, date: "2026-12-04" };
    const { error } = await refusalOf(readBillCsv(chunked(cut, 3), options));
    expect(error.reason).toMatch(/not utf-8 text/);
  });

  it("drops a BOM only at the very start: UTF-8 (EF BB BF) and GB18030 (84 31 95 33)", async () => {
    const options: BillCsvOptions = { columns: { orderNo: "order", amount: "amount", amountUnit: "fen", time: "time" }, date: "2026-12-04" };
    const body = new TextEncoder().encode("order,amount,time\nA,1,20261204000000\n");
    expect(await rowsOf(readBillCsv(chunked(new Uint8Array([0xef, 0xbb, 0xbf, ...body]), 1), options))).toHaveLength(1);
    expect(await rowsOf(readBillCsv(chunked(new Uint8Array([0x84, 0x31, 0x95, 0x33, ...body]), 1), { ...options, encoding: "gb18030" }))).toHaveLength(1);
  });
});
