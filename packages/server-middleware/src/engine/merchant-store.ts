/**
 * One merchant's view of the shared store: its orders live under `m:<merchantId>:<orderNo>`.
 * Order numbers cannot contain `:` (src/engine/input.ts), so no merchant's key is a
 * single-shop key or another merchant's; merchant ids cannot contain `:` either. The record as
 * stored keeps that key as its orderNo, so it names its merchant wherever it is read.
 */
import type { ListCursor, ListedRefund, OrderRecord, OrderStore, PendingCursor, TimeWindow } from "../store/contract.js";

export const MERCHANT_KEY_PREFIX = "m:";

/**
 * Pages of the shared store one scoped pendingBefore reads at most: other merchants' pending
 * orders are skipped a page at a time, so one call is bounded however many they are.
 */
const MAX_SHARED_PAGES = 8;

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
  /** The inner store hands out copies: its records are renamed in place, not copied twice. */
  readonly #renameInPlace: boolean;
  /** The shared store's inbox: every merchant's notifies in one place, each entry naming its merchant. */
  readonly inbox: OrderStore["inbox"];
  /** A scoped record is always a copy: renamed from the inner store's, or copied from it. */
  readonly recordsAreCopies = true;

  constructor(inner: OrderStore, merchantId: string) {
    this.#inner = inner;
    this.inbox = inner.inbox;
    this.#prefix = merchantKey(merchantId, "");
    this.#renameInPlace = inner.recordsAreCopies === true;
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

  /**
   * This merchant's pending orders, read from the shared store past `after` (this merchant's
   * position, prefixed as stored), skipping other merchants' a page at a time.
   */
  pendingBefore?: (createdBefore: number, limit: number, after?: PendingCursor) => Promise<string[]> = async (createdBefore, limit, after) => {
    const own: string[] = [];
    let cursor = after === undefined ? undefined : { createdAt: after.createdAt, orderNo: this.#prefix + after.orderNo };
    for (let page = 0; page < MAX_SHARED_PAGES && own.length < limit; page++) {
      const keys = (await this.#inner.pendingBefore?.(createdBefore, limit, cursor)) ?? [];
      for (const key of keys) if (key.startsWith(this.#prefix) && own.length < limit) own.push(key.slice(this.#prefix.length));
      const last = keys.at(-1);
      if (keys.length < limit || last === undefined) break;
      // The next page starts past the last key read: its creation time is in its record.
      const record = await this.#inner.get(last);
      if (!record) break;
      cursor = { createdAt: Date.parse(record.createdAt), orderNo: last };
    }
    return own;
  };

  /** This merchant's paid orders only: the shared store's listing under its key prefix, unprefixed. */
  listPaid?: (window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string) => Promise<OrderRecord[]> = async (window, limit, after, keyPrefix = "") => {
    const records = (await this.#inner.listPaid?.(window, limit, this.#cursor(after), this.#prefix + keyPrefix)) ?? [];
    return records.map((record) => this.#out(record, false)).filter((record) => record !== null);
  };

  listRefunds?: (window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string) => Promise<ListedRefund[]> = async (window, limit, after, keyPrefix = "") => {
    const listed = (await this.#inner.listRefunds?.(window, limit, this.#cursor(after), this.#prefix + keyPrefix)) ?? [];
    return listed.flatMap(({ order, refund }) => {
      // Copied: one order's refunds may share its record.
      const own = this.#out(order, false);
      return own ? [{ order: own, refund }] : [];
    });
  };

  #cursor(after: ListCursor | undefined): ListCursor | undefined {
    return after === undefined ? undefined : { ...after, orderNo: this.#prefix + after.orderNo };
  }

  // Copied by a plain spread, then renamed: V8 copies a plain spread fastest (a notify reads and
  // writes a record three times; with a thousand merchants the copies were most of their cost).
  #in<T extends Omit<OrderRecord, "version">>(record: T): T {
    const stored = { ...record };
    stored.orderNo = this.#prefix + record.orderNo;
    return stored;
  }

  #out(record: OrderRecord | null, inPlace = this.#renameInPlace): OrderRecord | null {
    // A store answering with another key's record is a store bug; never hand it to this merchant.
    if (!record || !record.orderNo.startsWith(this.#prefix)) return null;
    const own = inPlace ? record : { ...record };
    own.orderNo = record.orderNo.slice(this.#prefix.length);
    return own;
  }
}
