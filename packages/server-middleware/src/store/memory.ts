/**
 * An in-process order store: the default, for one server process. No caller can change what
 * is stored: each record is kept as this store's own object and handed out as a shallow copy,
 * its nested objects (`action`) deep-frozen copies shared by every copy. A write copies what it
 * is given once, sharing the nested objects this store froze before (an unchanged `action`
 * spread from a record it handed out).
 *
 * Not Object.freeze on every record: on records whose shape varies (fields set, then cleared),
 * freezing costs microseconds per write, several times a whole first-time notify's other
 * work; a shallow copy per read costs a tenth of a microsecond.
 *
 * It is bounded: a finished order is dropped `retentionMs` after it finished, and at
 * `maxOrders` the oldest finished order makes room for a new one. A pending order, or one whose
 * onPaid / onRefunded / refund is still in progress, is never dropped: when the store is full of
 * those, a new order is refused (StoreFullError) rather than one of them lost.
 */
import { StoreFullError } from "../errors.js";
import type { ListCursor, ListedRefund, OrderRecord, OrderStore, PendingCursor, TimeWindow } from "./contract.js";
import { checkListArgs, compareListKeys, cursorKey, listKeysOf, type ListKey } from "./listing.js";
import { DEFAULT_MAX_NOTIFIES, MemoryNotifyInbox } from "./memory-inbox.js";
import { DEFAULT_RETENTION_MS, FinishedOrders } from "./retention.js";
import { SortedKeys } from "./sorted-keys.js";

export interface MemoryOrderStoreOptions {
  /** A finished order is kept this long after it finished, in ms. Default 30 days. */
  retentionMs?: number | undefined;
  /** At most this many orders; past it the oldest finished order is evicted. Default 50 000. */
  maxOrders?: number | undefined;
  /** The notify inbox keeps at most this many notifies (the first written goes first). Default 10 000. */
  maxNotifies?: number | undefined;
  /** The clock, in epoch ms (tests). Default Date.now. */
  now?: (() => number) | undefined;
}

/** About 54 MiB of heap at ~1.1 KB per order (bench/results.json, section memory). */
export const DEFAULT_MAX_ORDERS = 50_000;

export class MemoryOrderStore implements OrderStore {
  readonly #orders = new Map<string, OrderRecord>();
  readonly #finished = new FinishedOrders();
  /** listPaid's and listRefunds' indexes, kept with every write (listing.ts has the keys). */
  readonly #paid = new SortedKeys();
  readonly #refunds = new SortedKeys();
  readonly #retentionMs: number;
  readonly #maxOrders: number;
  readonly #now: () => number;
  /** get and compareAndSet resolve a new object each time (contract.ts). */
  readonly recordsAreCopies = true;
  readonly inbox: MemoryNotifyInbox;

  constructor(options: MemoryOrderStoreOptions = {}) {
    const { retentionMs = DEFAULT_RETENTION_MS, maxOrders = DEFAULT_MAX_ORDERS, now = Date.now, maxNotifies = DEFAULT_MAX_NOTIFIES } = options;
    if (!Number.isSafeInteger(retentionMs) || retentionMs <= 0) throw new RangeError("retentionMs must be a positive whole number of ms");
    if (!Number.isSafeInteger(maxOrders) || maxOrders <= 0) throw new RangeError("maxOrders must be a positive whole number");
    this.#retentionMs = retentionMs;
    this.#maxOrders = maxOrders;
    this.#now = now;
    this.inbox = new MemoryNotifyInbox(maxNotifies);
  }

  /** How many orders are held. */
  get size(): number {
    return this.#orders.size;
  }

  /** In this process: always answers (health()). */
  async ping(): Promise<void> {}

  async get(orderNo: string): Promise<OrderRecord | null> {
    const stored = this.#orders.get(orderNo);
    return stored === undefined ? null : { ...stored };
  }

  async insert(record: Omit<OrderRecord, "version">): Promise<boolean> {
    if (this.#orders.has(record.orderNo)) return false;
    this.#makeRoom();
    const stored = ownRecord({ ...record, version: 1 });
    this.#orders.set(record.orderNo, stored);
    this.#finished.track(stored, this.#now());
    this.#index(stored);
    return true;
  }

  async compareAndSet(
    orderNo: string,
    expectedVersion: number,
    next: Omit<OrderRecord, "version">,
  ): Promise<OrderRecord | null> {
    const stored = this.#orders.get(orderNo);
    if (!stored || stored.version !== expectedVersion) return null;
    // The key is the order number; a `next` naming another order must not move it.
    // Assigned after a plain spread, which V8 copies fastest (a spread with more fields is not).
    const updated = { ...next } as OrderRecord;
    updated.orderNo = orderNo;
    updated.version = expectedVersion + 1;
    ownRecord(updated, stored);
    this.#orders.set(orderNo, updated);
    this.#finished.track(updated, this.#now(), stored);
    this.#index(updated, stored);
    return { ...updated };
  }

  async compareAndDelete(orderNo: string, expectedVersion: number): Promise<boolean> {
    const stored = this.#orders.get(orderNo);
    if (!stored || stored.version !== expectedVersion) return false;
    this.#drop(orderNo);
    return true;
  }

  async pendingBefore(createdBefore: number, limit: number, after?: PendingCursor): Promise<string[]> {
    const found: Array<{ createdAt: number; orderNo: string }> = [];
    for (const record of this.#orders.values()) {
      if (record.status !== "pending") continue;
      const createdAt = Date.parse(record.createdAt);
      if (createdAt < createdBefore && isAfter(createdAt, record.orderNo, after)) found.push({ createdAt, orderNo: record.orderNo });
    }
    // Insertion order is nearly creation order, but not quite (a failed create inserted again).
    found.sort((a, b) => a.createdAt - b.createdAt || (a.orderNo < b.orderNo ? -1 : a.orderNo > b.orderNo ? 1 : 0));
    return found.slice(0, limit).map((entry) => entry.orderNo);
  }

  async listPaid(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<OrderRecord[]> {
    checkListArgs(window, limit, after);
    return this.#page(this.#paid, window, limit, after, keyPrefix).map((key) => ({ ...this.#orders.get(key.orderNo)! }));
  }

  async listRefunds(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<ListedRefund[]> {
    checkListArgs(window, limit, after);
    return this.#page(this.#refunds, window, limit, after, keyPrefix).map((key) => {
      const order = this.#orders.get(key.orderNo)!;
      return { order: { ...order }, refund: order.refunds!.find((refund) => refund.refundNo === key.refundNo)! };
    });
  }

  /** Up to `limit` keys of `index` in the window, past the cursor, under the prefix. */
  #page(index: SortedKeys, window: TimeWindow, limit: number, after: ListCursor | undefined, keyPrefix: string | undefined): ListKey[] {
    const from: ListKey = { at: window.from, orderNo: "", refundNo: "" };
    let start = after === undefined ? from : cursorKey(after);
    let exclusive = after !== undefined;
    if (compareListKeys(start, from) < 0) [start, exclusive] = [from, false];
    const found: ListKey[] = [];
    // With a prefix, other keys in the window are read and skipped, a page's worth at a time.
    for (;;) {
      const keys = index.range(start, exclusive, window.to, limit);
      for (const key of keys) if (found.length < limit && (keyPrefix === undefined || key.orderNo.startsWith(keyPrefix))) found.push(key);
      if (found.length === limit || keys.length < limit) return found;
      [start, exclusive] = [keys[keys.length - 1]!, true];
    }
  }

  /** Moves the record's listing keys from those of `previous` (the record it replaces) to its own. */
  #index(record: OrderRecord | undefined, previous?: OrderRecord): void {
    // Most writes (a hook's claim, a query's time) change neither time: nothing to do then.
    if (record?.paidAt === previous?.paidAt && record?.status === previous?.status && record?.refunds === previous?.refunds) return;
    const [before, after] = [previous && listKeysOf(previous), record && listKeysOf(record)];
    if (before?.paid) this.#paid.delete(before.paid);
    for (const key of before?.refunds ?? []) this.#refunds.delete(key);
    if (after?.paid) this.#paid.add(after.paid);
    for (const key of after?.refunds ?? []) this.#refunds.add(key);
  }

  /** Drops the finished orders past their retention; resolves how many. Insert does this too. */
  async prune(): Promise<number> {
    return this.#dropExpired();
  }

  #dropExpired(): number {
    const finishedBy = this.#now() - this.#retentionMs;
    let dropped = 0;
    for (let orderNo = this.#finished.oldest(finishedBy); orderNo !== undefined; orderNo = this.#finished.oldest(finishedBy)) {
      this.#drop(orderNo);
      dropped += 1;
    }
    return dropped;
  }

  /** Before an insert: past-retention orders go, then (at the bound) the oldest finished one. */
  #makeRoom(): void {
    this.#dropExpired();
    while (this.#orders.size >= this.#maxOrders) {
      const oldest = this.#finished.oldest();
      if (oldest === undefined) throw new StoreFullError(this.#maxOrders);
      this.#drop(oldest);
    }
  }

  #drop(orderNo: string): void {
    this.#index(undefined, this.#orders.get(orderNo));
    this.#orders.delete(orderNo);
    this.#finished.forget(orderNo);
  }
}

/**
 * `record` (a fresh object) made this store's own: its nested objects copied and deep-frozen,
 * except those still the very ones of `previous`, which are frozen already.
 */
function ownRecord(record: OrderRecord, previous?: OrderRecord): OrderRecord {
  // The record's nested objects by name, not a `for…in` over every field: that loop cost more
  // than the rest of a write. A new object-valued field of OrderRecord needs its line here
  // (test/store/memory.test.ts checks that every nested field of a full record is copied).
  if (record.action !== undefined && record.action !== previous?.action) record.action = deepFreeze(structuredClone(record.action));
  if (record.refunds !== undefined && record.refunds !== previous?.refunds) record.refunds = deepFreeze(structuredClone(record.refunds));
  return record;
}

/** True when (createdAt, orderNo) comes after `cursor` in pendingBefore's order. */
function isAfter(createdAt: number, orderNo: string, cursor: PendingCursor | undefined): boolean {
  if (cursor === undefined || createdAt > cursor.createdAt) return true;
  return createdAt === cursor.createdAt && orderNo > cursor.orderNo;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}
