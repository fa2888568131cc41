/**
 * A 1,000,000-row bill (~90 MB of text) read in bounded memory: the rows are generated as they
 * are pulled and dropped once counted, so the heap grows only if the reader keeps rows or text.
 * Kept, the rows alone take over 200 MB (checked against a reader that buffers); the cap is 48 MB.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { readBillCsv, type BillCsvOptions } from "@paybridge/server-middleware/web";

const ROWS = 1_000_000;
const HEAP_GROWTH_CAP = 48 * 1024 * 1024;

const OPTIONS: BillCsvOptions = {
  columns: { orderNo: "out_trade_no", gatewayOrderNo: "trade_no", amount: "total", amountUnit: "yuan", fee: "fee", time: "time", merchant: "mch" },
  date: "2026-12-04",
  merchant: "1900000109",
};

/** Rows 0–999 as two chunks of text; the bill repeats them (duplicates are the matcher's to find, not the reader's). */
const CHUNKS = [0, 1].map((half) =>
  Array.from({ length: 500 }, (_, k) => {
    const i = half * 500 + k;
    const second = String(i % 60).padStart(2, "0");
    return `\`2026-12-04 12:00:${second},\`1900000109,\`42000000${i},\`ORDER${i},\`${i + 1}.${second},\`0.01,"a note, quoted"\r\n`;
  }).join(""),
);

// A full GC before each measure, so the heap is what is live (the flag works for contexts made after it).
setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

function heapUsed(): number {
  gc();
  return process.memoryUsage().heapUsed;
}

/** The most heap in use, sampled while the reader pulls the bill and while its rows are consumed. */
let peak = 0;

/** The bill, yielded chunk by chunk as the reader pulls it. */
async function* bill(): AsyncGenerator<string> {
  yield "time,mch,trade_no,out_trade_no,total,fee,note\r\n";
  for (let chunk = 0; chunk < ROWS / 500; chunk++) {
    if (chunk % 250 === 249) peak = Math.max(peak, heapUsed());
    yield CHUNKS[chunk % 2] ?? "";
  }
}

describe("readBillCsv: a large bill", () => {
  it(
    "reads 1,000,000 rows in bounded memory",
    async () => {
      let rows = 0;
      let sumFen = 0;
      let lastLine = 0;
      const baseline = heapUsed();
      const started = Date.now();
      for await (const row of readBillCsv(bill(), OPTIONS)) {
        rows += 1;
        sumFen += row.amountFen;
        lastLine = row.line;
      }
      const seconds = (Date.now() - started) / 1000;
      expect(rows).toBe(ROWS);
      expect(lastLine).toBe(ROWS + 1);
      // 1000 times Σ (i + 1) * 100 + i % 60 over rows 0–999: 1000 × (50,050,000 + 16 × 1,770 + 780).
      expect(sumFen).toBe(50_079_100_000);
      const growth = peak - baseline;
      console.info(`1,000,000 rows in ${seconds.toFixed(1)} s; heap growth ${(growth / 1024 / 1024).toFixed(1)} MB`);
      expect(growth).toBeLessThan(HEAP_GROWTH_CAP);
    },
    60_000,
  );
});
