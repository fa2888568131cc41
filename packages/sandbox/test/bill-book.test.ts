/** The sandbox's bill book: which orders and refunds make a day's bill, and each mismatch switch. */
import { describe, expect, it } from "vitest";
import { BillBook, BILL_MISMATCHES, compactDay, type BillMismatch, type SandboxBillRow } from "../src/bill-book.js";
import { billCsv } from "../src/bill-files.js";
import { OrderBook, type SandboxOrder } from "../src/order-book.js";
import { RefundDesk } from "../src/refund-desk.js";

/** A time on 2025-12-03 in Asia/Shanghai (01:00 there is still the 2nd in UTC). */
const AT = (hh: number, mm = 0) => new Date(Date.UTC(2025, 11, 3, hh - 8, mm));
const DAY = "20251203";

function order(orderNo: string, amountFen: number, status: SandboxOrder["status"], completedAt?: Date): SandboxOrder {
  return { orderNo, gatewayOrderNo: `G-${orderNo}`, amountFen, channel: "wechat", status, createdAt: completedAt ?? AT(9), ...(completedAt ? { completedAt } : {}), extra: {} };
}

/** Three paid orders on the day, one pending, one paid the day before; two refunds on the day. */
function fixture(switches: readonly BillMismatch[] = []) {
  const orders = new OrderBook();
  const desk = new RefundDesk();
  const paid = [order("P1", 100, "paid", AT(1)), order("P2", 250, "paid", AT(11)), order("P3", 1, "paid", AT(12, 30))];
  for (const o of [...paid, order("W1", 300, "pending"), order("Y1", 500, "paid", new Date(Date.UTC(2025, 11, 2, 15, 59, 59)))]) orders.admit(o);
  desk.refund("xiangma", paid[0]!, "R1", 40);
  desk.refund("xiangma", paid[1]!, "R2", 250);
  for (const refund of [...desk.refundsOf(paid[0]!), ...desk.refundsOf(paid[1]!)]) refund.createdAt = AT(13);
  const book = new BillBook(() => orders, desk, { xiangma: switches });
  return { book, rows: () => book.rows("xiangma", DAY) };
}

const brief = (rows: SandboxBillRow[]) => rows.map((row) => `${row.kind} ${row.orderNo}${row.refundNo ? `/${row.refundNo}` : ""} ${row.amountFen} ${row.status}`);

describe("BillBook", () => {
  it("lists the day's paid orders (Asia/Shanghai) and succeeded refunds, by time; not pending orders nor another day's", () => {
    expect(brief(fixture().rows())).toEqual([
      "payment P1 100 success",
      "payment P2 250 success",
      "payment P3 1 success",
      "refund P1/R1 40 success",
      "refund P2/R2 250 success",
    ]);
    expect(brief(fixture().book.rows("xiangma", "20251202"))).toEqual(["payment Y1 500 success"]);
  });

  it("lists by creation day with unpaid orders as failed, for fubei's reconciliation", () => {
    const rows = fixture().book.rows("xiangma", DAY, { byCreation: true }).filter((row) => row.kind === "payment");
    expect(brief(rows)).toEqual(["payment P1 100 success", "payment W1 300 failed", "payment P2 250 success", "payment P3 1 success"]);
  });

  it.each<[BillMismatch, string[]]>([
    ["drop-payment", ["payment P2 250 success", "payment P3 1 success", "refund P1/R1 40 success", "refund P2/R2 250 success"]],
    ["change-amount", ["payment P1 99 success", "payment P2 250 success", "payment P3 1 success", "refund P1/R1 40 success", "refund P2/R2 250 success"]],
    ["mark-failed", ["payment P1 100 failed", "payment P2 250 success", "payment P3 1 success", "refund P1/R1 40 success", "refund P2/R2 250 success"]],
    ["drop-refund", ["payment P1 100 success", "payment P2 250 success", "payment P3 1 success", "refund P2/R2 250 success"]],
    ["change-refund", ["payment P1 100 success", "payment P2 250 success", "payment P3 1 success", "refund P1/R1 39 success", "refund P2/R2 250 success"]],
    ["unknown-order", ["payment P1 100 success", "payment P2 250 success", "payment P3 1 success", "refund P1/R1 40 success", "refund P2/R2 250 success", "payment SBX-UNKNOWN-20251203 100 success"]],
    ["unknown-refund", ["payment P1 100 success", "payment P2 250 success", "payment P3 1 success", "refund P1/R1 40 success", "refund P2/R2 250 success", "refund P1/SBX-UNKNOWN-R20251203 1 success"]],
  ])("%s changes exactly one row", (kind, expected) => {
    expect(brief(fixture([kind]).rows())).toEqual(expected);
  });

  it("applies several switches to different rows, and an empty list turns them off", () => {
    const { book, rows } = fixture(["drop-payment", "change-amount", "mark-failed"]);
    expect(brief(rows()).slice(0, 2)).toEqual(["payment P2 249 success", "payment P3 1 failed"]);
    book.setMismatches("xiangma", []);
    expect(brief(rows())).toEqual(brief(fixture().rows()));
    expect(book.mismatches("xiangma")).toEqual([]);
    // The switches are per gateway.
    expect(book.rows("fubei", DAY)).toHaveLength(5);
  });

  it("has a switch for every kind and reads only real days", () => {
    expect(BILL_MISMATCHES).toHaveLength(7);
    expect(compactDay("2025-12-03")).toBe(DAY);
    expect([compactDay("2025-02-30"), compactDay("2025-12-3"), compactDay(20251203)]).toEqual([null, null, null]);
  });
});

describe("billCsv", () => {
  it("writes each gateway's header and amounts in its unit; quotes a field with a comma or quote", () => {
    const rows = fixture().rows().slice(0, 1);
    expect(billCsv("fubei", rows).split("\r\n")[1]).toBe(`P1,G-P1,,,SUCCESS,1.00,0.00,${Math.floor(AT(1).getTime() / 1000)}`);
    expect(billCsv("xiangma", rows).split("\r\n")[1]).toBe("P1,G-P1,,PAY_SUCCESS,100,2025-12-03 01:00:00");
    expect(billCsv("upaas", fixture().rows()).trimEnd().split("\r\n")).toHaveLength(4);
    expect(billCsv("vbao", [{ ...rows[0]!, orderNo: 'a,"b' }]).split("\r\n")[1]).toBe('PAY,"a,""b",G-P1,,SUCCESS,100,2025-12-03 01:00:00');
  });
});
