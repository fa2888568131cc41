/**
 * Listing by paid / refund time (issue 20), run against every store by contract-suite.ts:
 * reconciliation pages through a day's payments and refunds and must meet each exactly once.
 * Each test uses its own year long past, so no other test's order falls in its windows.
 */
import { expect, it } from "vitest";
import type { ListCursor, ListedRefund, OrderRecord, OrderStore, RefundEntry, TimeWindow } from "../../src/store/contract.js";
import { RETENTION_MS, type StoreFeatures } from "./contract-more.js";
import { newOrder } from "./orders.js";

type Fields = Omit<OrderRecord, "version">;

/** Epoch ms of a second of a year long past. */
const at = (year: number, second: number): number => Date.UTC(year, 0, 1, 0, 0, second);
const iso = (ms: number): string => new Date(ms).toISOString();

const paid = (paidAt: number, overrides: Partial<Fields> = {}): Fields =>
  newOrder({ status: "paid", paidAt: iso(paidAt), fulfilment: "done", action: undefined, ...overrides });

const refund = (refundNo: string, requestedAt: number, finishedAt?: number, status: RefundEntry["status"] = finishedAt === undefined ? "processing" : "succeeded"): RefundEntry => ({
  refundNo,
  amountFen: 1,
  status,
  requestedAt: iso(requestedAt),
  attempts: 1,
  fulfilment: "none",
  ...(finishedAt === undefined ? {} : { finishedAt: iso(finishedAt) }),
});

const byKey = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** Every page of a listing, each of `limit`, each read after the last item of the one before. */
async function allPages<T>(list: (after: ListCursor | undefined) => Promise<T[]>, cursorOf: (item: T) => ListCursor, limit: number): Promise<T[][]> {
  const pages: T[][] = [];
  for (let after: ListCursor | undefined; pages.length < 100; ) {
    const page = await list(after);
    pages.push(page);
    if (page.length < limit) return pages;
    after = cursorOf(page[page.length - 1]!);
  }
  throw new Error("the listing never ended");
}

const paidCursor = (record: OrderRecord): ListCursor => ({ at: Date.parse(record.paidAt!), orderNo: record.orderNo });
const refundCursor = ({ order, refund: entry }: ListedRefund): ListCursor => ({
  at: Date.parse(entry.finishedAt ?? entry.requestedAt),
  orderNo: order.orderNo,
  refundNo: entry.refundNo,
});
const refundIds = (listed: ListedRefund[]): string[] => listed.map(({ order, refund: entry }) => `${order.orderNo}/${entry.refundNo}`);

export function describeListingContract(stores: () => [OrderStore, OrderStore], clock: { offsetMs: number }, features: StoreFeatures): void {
  it("lists orders paid in [from, to), refunded ones too, by (paid time, order number); never pending, closed or outside", async () => {
    const [store, otherStore] = stores();
    const window: TimeWindow = { from: at(1981, 10), to: at(1981, 20) };
    const inside = [paid(window.from), paid(window.to - 1), paid(at(1981, 15), { status: "refunded", refunds: [refund("R1", at(1981, 16), at(1981, 17))] }), paid(window.from)];
    const outside = [paid(window.from - 1), paid(window.to), newOrder({ createdAt: iso(at(1981, 12)) }), paid(at(1981, 12), { status: "closed" })];
    for (const order of [...inside, ...outside]) expect(await store.insert(order)).toBe(true);
    // Paid through compareAndSet, as a notify pays an order.
    const later = newOrder({ createdAt: iso(at(1981, 11)) });
    await store.insert(later);
    const paidLater = { ...later, status: "paid" as const, paidAt: iso(at(1981, 11)) };
    await store.compareAndSet(later.orderNo, 1, paidLater);
    const expected = [...inside, paidLater].sort((a, b) => Date.parse(a.paidAt!) - Date.parse(b.paidAt!) || byKey(a.orderNo, b.orderNo));
    const listed = await otherStore.listPaid!(window, 10);
    expect(listed.map((record) => record.orderNo)).toEqual(expected.map((order) => order.orderNo));
    expect(listed[0]).toEqual({ ...expected[0], version: 1 });
    expect(await otherStore.listPaid!({ from: window.to, to: window.to }, 10)).toEqual([]);
    // Deleted (a failed create retried): gone from the listing too.
    expect(await store.compareAndDelete(inside[1]!.orderNo, 1)).toBe(true);
    expect((await store.listPaid!(window, 10)).map((record) => record.orderNo)).not.toContain(inside[1]!.orderNo);
  });

  it("pages 2,500 orders paid at 3 distinct times by 1,000: every order exactly once, in order", { timeout: 120_000 }, async () => {
    const [store, otherStore] = stores();
    const times = [at(1982, 1), at(1982, 2), at(1982, 3)];
    const orders = Array.from({ length: 2_500 }, (_, i) => paid(times[(i * 7) % 3]!));
    for (let i = 0; i < orders.length; i += 50) await Promise.all(orders.slice(i, i + 50).map((order) => store.insert(order)));
    const window = { from: times[0]!, to: times[2]! + 1 };
    const pages = await allPages((after) => otherStore.listPaid!(window, 1_000, after), paidCursor, 1_000);
    expect(pages.map((page) => page.length)).toEqual([1_000, 1_000, 500]);
    const expected = [...orders].sort((a, b) => Date.parse(a.paidAt!) - Date.parse(b.paidAt!) || byKey(a.orderNo, b.orderNo));
    expect(pages.flat().map((record) => record.orderNo)).toEqual(expected.map((order) => order.orderNo));
    // A cursor before the window starts at the window; one at its end lists nothing.
    expect((await store.listPaid!(window, 1, { at: 0, orderNo: "" }))[0]?.orderNo).toBe(expected[0]!.orderNo);
    expect(await store.listPaid!(window, 10, paidCursor(pages[2]![499]!))).toEqual([]);
  });

  it("lists refunds by their time: finished ones by when they finished, others by when they were requested", async () => {
    const [store, otherStore] = stores();
    const window: TimeWindow = { from: at(1983, 10), to: at(1983, 20) };
    const order = paid(at(1983, 1), {
      status: "partially_refunded",
      refunds: [
        refund("R1", at(1983, 11), at(1983, 25)), // requested inside, finished after: not listed
        refund("R2", at(1983, 5), at(1983, 12)), // requested before, finished inside
        refund("R3", at(1983, 13)), // processing, requested inside
        refund("R4", at(1983, 9), at(1983, 14), "failed"),
        refund("R5", at(1983, 9), at(1983, 14)), // the same time as R4: by refund number
      ],
    });
    await store.insert(order);
    const listed = await otherStore.listRefunds!(window, 10);
    expect(refundIds(listed)).toEqual(["R2", "R3", "R4", "R5"].map((refundNo) => `${order.orderNo}/${refundNo}`));
    expect(listed[0]).toEqual({ order: { ...order, version: 1 }, refund: order.refunds![1] });
    // Paged by one, each after the last: the refunds of one order at one time one by one.
    const pages = await allPages((after) => otherStore.listRefunds!(window, 1, after), refundCursor, 1);
    expect(refundIds(pages.flat())).toEqual(refundIds(listed));

    // R3 finishes after the window: it moves out of it, and into the later one.
    const finished = order.refunds!.map((entry) => (entry.refundNo === "R3" ? { ...entry, status: "succeeded" as const, finishedAt: iso(at(1983, 30)) } : entry));
    expect(await store.compareAndSet(order.orderNo, 1, { ...order, refunds: finished })).not.toBeNull();
    expect(refundIds(await otherStore.listRefunds!(window, 10))).toEqual(["R2", "R4", "R5"].map((refundNo) => `${order.orderNo}/${refundNo}`));
    expect(refundIds(await otherStore.listRefunds!({ from: at(1983, 20), to: at(1983, 40) }, 10))).toEqual(["R1", "R3"].map((refundNo) => `${order.orderNo}/${refundNo}`));
  });

  it("with a key prefix lists only the keys under it: merchant A never sees merchant B's orders or refunds", async () => {
    const [store, otherStore] = stores();
    const window: TimeWindow = { from: at(1984, 0), to: at(1984, 60) };
    const orderOf = (merchant: string, second: number, i: number): Fields => {
      const { orderNo } = newOrder();
      return paid(at(1984, second), { orderNo: `m:${merchant}:${orderNo}-${i}`, refunds: [refund("R1", at(1984, second), at(1984, second))] });
    };
    // A's three among B's thirty, at the same seconds; and a merchant "A2" whose prefix extends A's id.
    const a = [1, 2, 3].map((second) => orderOf("A", second, second));
    const b = Array.from({ length: 30 }, (_, i) => orderOf("B", 1 + (i % 3), i));
    const a2 = orderOf("A2", 2, 0);
    for (const order of [...b, ...a, a2]) await store.insert(order);
    const pages = await allPages((after) => otherStore.listPaid!(window, 2, after, "m:A:"), paidCursor, 2);
    expect(pages.flat().map((record) => record.orderNo)).toEqual(a.map((order) => order.orderNo));
    const refunds = await allPages((after) => otherStore.listRefunds!(window, 2, after, "m:A:"), refundCursor, 2);
    expect(refundIds(refunds.flat())).toEqual(a.map((order) => `${order.orderNo}/R1`));
    expect((await store.listPaid!(window, 100, undefined, "m:B:")).map((record) => record.orderNo).sort()).toEqual(b.map((order) => order.orderNo).sort());
  });

  if (features.prunes) {
    it("drops a pruned order from the listings with its record", async () => {
      const [store, otherStore] = stores();
      const window: TimeWindow = { from: at(1985, 0), to: at(1985, 60) };
      const gone = paid(at(1985, 1), { refunds: [refund("R1", at(1985, 2), at(1985, 3), "failed")] });
      const kept = paid(at(1985, 4), { fulfilment: "none" }); // its onPaid has not run: never pruned
      for (const order of [gone, kept]) await store.insert(order);
      expect(await store.listRefunds!(window, 10)).toHaveLength(1);
      clock.offsetMs += RETENTION_MS + 1_000;
      // Every earlier test's finished orders go too, a bounded batch per call.
      let pruned = 0;
      for (let calls = 0, last = -1; last !== 0 && calls < 500; calls++) pruned += last = await otherStore.prune!();
      expect(pruned).toBeGreaterThanOrEqual(1);
      expect(await store.get(gone.orderNo)).toBeNull();
      expect((await otherStore.listPaid!(window, 10)).map((record) => record.orderNo)).toEqual([kept.orderNo]);
      expect(await otherStore.listRefunds!(window, 10)).toEqual([]);
    });
  }
}
