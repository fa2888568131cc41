/**
 * One merchant's view of the shared store: its orders live under `m:<merchantId>:<orderNo>`.
 * Order numbers cannot contain `:` (src/engine/input.ts), so no merchant's key is a
 * single-shop key or another merchant's; merchant ids cannot contain `:` either. The record as
 * stored keeps that key as its orderNo, so it names its merchant wherever it is read.
 */
import type { ListCursor, ListedRefund, OrderRecord, OrderStore, TimeWindow } from "../store/contract.js";

export const MERCHANT_KEY_PREFIX = "m:";

/** The store key of a merchant's order. */
export function merchantKey(merchantId: string, orderNo: string): string {
  return `${MERCHANT_KEY_PREFIX}${merchantId}:${orderNo}`;
}

/** `[merchantId, orderNo]` of a merchant's key; undefined for a single-shop key. */
export function parseMerchantKey(key: string): [string, string] | undefined {
  if (!key.startsWith(MERCHANT_KEY_PREFIX)) return undefined;
  const colon = key.indexOf(":", MERCHANT_KEY_PREFIX.length);
  return colon === -1 ? undefined : [key.slice(MERCHANT_KEY_PREFIX.length, colon), key.slice(colon + 1)];
}

export class ScopedOrderStore implements OrderStore {
  readonly #inner: OrderStore;
  readonly #prefix: string;
  /** The shared store's inbox: every merchant's notifies in one place, each entry naming its merchant. */
  readonly inbox: OrderStore["inbox"];

  constructor(inner: OrderStore, merchantId: string) {
    this.#inner = inner;
    this.inbox = inner.inbox;
    this.#prefix = merchantKey(merchantId, "");
    // Only when the shared store can list: a merchant's engine sweeps its own pending orders.
    if (!inner.pendingBefore) this.pendingBefore = undefined;
    if (!inner.listPaid) this.listPaid = undefined;
    if (!inner.listRefunds) this.listRefunds = undefined;
  }

  async get(orderNo: string): Promise<OrderRecord | null> {
    return this.#out(await this.#inner.get(this.#prefix + orderNo));
  }

  insert(record: Omit<OrderRecord, "version">): Promise<boolean> {
    return this.#inner.insert(this.#in(record));
  }

  async compareAndSet(orderNo: string, expectedVersion: number, next: Omit<OrderRecord, "version">): Promise<OrderRecord | null> {
    return this.#out(await this.#inner.compareAndSet(this.#prefix + orderNo, expectedVersion, this.#in(next)));
  }

  compareAndDelete(orderNo: string, expectedVersion: number): Promise<boolean> {
    return this.#inner.compareAndDelete(this.#prefix + orderNo, expectedVersion);
  }

  pendingBefore?: (createdBefore: number, limit: number) => Promise<string[]> = async (createdBefore, limit) => {
    const keys = (await this.#inner.pendingBefore?.(createdBefore, limit)) ?? [];
    return keys.filter((key) => key.startsWith(this.#prefix)).map((key) => key.slice(this.#prefix.length));
  };

  /** This merchant's paid orders only: the shared store's listing under its key prefix, unprefixed. */
  listPaid?: (window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string) => Promise<OrderRecord[]> = async (window, limit, after, keyPrefix = "") => {
    const records = (await this.#inner.listPaid?.(window, limit, this.#cursor(after), this.#prefix + keyPrefix)) ?? [];
    return records.map((record) => this.#out(record)).filter((record) => record !== null);
  };

  listRefunds?: (window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string) => Promise<ListedRefund[]> = async (window, limit, after, keyPrefix = "") => {
    const listed = (await this.#inner.listRefunds?.(window, limit, this.#cursor(after), this.#prefix + keyPrefix)) ?? [];
    return listed.flatMap(({ order, refund }) => {
      const own = this.#out(order);
      return own ? [{ order: own, refund }] : [];
    });
  };

  #cursor(after: ListCursor | undefined): ListCursor | undefined {
    return after === undefined ? undefined : { ...after, orderNo: this.#prefix + after.orderNo };
  }

  #in<T extends Omit<OrderRecord, "version">>(record: T): T {
    return { ...record, orderNo: this.#prefix + record.orderNo };
  }

  #out(record: OrderRecord | null): OrderRecord | null {
    // A store answering with another key's record is a store bug; never hand it to this merchant.
    if (!record || !record.orderNo.startsWith(this.#prefix)) return null;
    return { ...record, orderNo: record.orderNo.slice(this.#prefix.length) };
  }
}
