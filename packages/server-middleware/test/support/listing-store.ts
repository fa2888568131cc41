/**
 * A MemoryOrderStore that can list by time (listPaid, listRefunds) for the reconciliation's
 * tests, by scanning its keys: the contract's ordering, cursor and key prefix, none of its
 * indexes (the stores' own listings are tested by the store contract suite).
 */
import { isPaidStatus } from "@paybridge/shared";
import type { ListCursor, ListedRefund, OrderRecord, RefundEntry, TimeWindow } from "../../src/store/contract.js";
import { MemoryOrderStore } from "../../src/store/memory.js";

interface Keyed<T> {
  at: number;
  orderNo: string;
  refundNo: string;
  item: T;
}

function page<T>(items: Keyed<T>[], window: TimeWindow, limit: number, after: ListCursor | undefined): T[] {
  const inWindow = items.filter(({ at }) => at >= window.from && at < window.to);
  const compare = (a: { at: number; orderNo: string; refundNo?: string }, b: { at: number; orderNo: string; refundNo?: string }): number =>
    a.at - b.at || (a.orderNo < b.orderNo ? -1 : a.orderNo > b.orderNo ? 1 : 0) || ((a.refundNo ?? "") < (b.refundNo ?? "") ? -1 : (a.refundNo ?? "") > (b.refundNo ?? "") ? 1 : 0);
  inWindow.sort(compare);
  return inWindow.filter((key) => after === undefined || compare(key, after) > 0).slice(0, limit).map(({ item }) => item);
}

export class ListingStore extends MemoryOrderStore {
  readonly #keys = new Set<string>();
  /** listPaid and listRefunds calls, with the key prefix they were given. */
  readonly listings: { method: "listPaid" | "listRefunds"; keyPrefix: string | undefined }[] = [];

  constructor() {
    super({ maxOrders: 1_000_000 });
  }

  override async insert(record: Omit<OrderRecord, "version">): Promise<boolean> {
    const inserted = await super.insert(record);
    if (inserted) this.#keys.add(record.orderNo);
    return inserted;
  }

  /** Stores a paid order (and its refunds) as the engine would have left it. */
  async seed(orderNo: string, amountFen: number, paidAt: string | undefined, fields: Partial<OrderRecord> = {}): Promise<void> {
    const status = paidAt === undefined ? "pending" : "paid";
    const record = { orderNo, status, amountFen, gateway: "fake", channel: "wechat", scene: "h5", createdAt: paidAt ?? "2026-03-01T00:00:00.000Z", fulfilment: "done", ...(paidAt === undefined ? {} : { paidAt }), ...fields } as const;
    await this.insert(record);
  }

  async listPaid(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<OrderRecord[]> {
    this.listings.push({ method: "listPaid", keyPrefix });
    const items: Keyed<OrderRecord>[] = [];
    for (const record of await this.#records(keyPrefix)) {
      if (isPaidStatus(record.status) && record.paidAt !== undefined) items.push({ at: Date.parse(record.paidAt), orderNo: record.orderNo, refundNo: "", item: record });
    }
    return page(items, window, limit, after);
  }

  async listRefunds(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<ListedRefund[]> {
    this.listings.push({ method: "listRefunds", keyPrefix });
    const items: Keyed<ListedRefund>[] = [];
    for (const order of await this.#records(keyPrefix)) {
      for (const refund of order.refunds ?? []) items.push({ at: Date.parse(refund.finishedAt ?? refund.requestedAt), orderNo: order.orderNo, refundNo: refund.refundNo, item: { order, refund } });
    }
    return page(items, window, limit, after);
  }

  async #records(keyPrefix: string | undefined): Promise<OrderRecord[]> {
    const records: OrderRecord[] = [];
    for (const key of this.#keys) {
      if (keyPrefix !== undefined && !key.startsWith(keyPrefix)) continue;
      const record = await this.get(key);
      if (record) records.push(record);
    }
    return records;
  }
}

/** A refund entry as the ledger keeps a finished one. */
export function refundEntry(refundNo: string, amountFen: number, at: string, fields: Partial<RefundEntry> = {}): RefundEntry {
  return { refundNo, amountFen, status: "succeeded", requestedAt: at, finishedAt: at, attempts: 1, fulfilment: "done", ...fields };
}
