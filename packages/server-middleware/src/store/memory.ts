/**
 * An in-process order store: the default, for one server process. Stored records are
 * deep-frozen copies, handed out as they are: no caller can change what is stored, and a read
 * costs no copy. A write copies what it is given once, sharing the parts this store froze
 * before (an unchanged `action` spread from a record it handed out).
 */
import type { OrderRecord, OrderStore } from "./types.js";

export class MemoryOrderStore implements OrderStore {
  readonly #orders = new Map<string, OrderRecord>();

  async get(orderNo: string): Promise<OrderRecord | null> {
    return this.#orders.get(orderNo) ?? null;
  }

  async insert(record: Omit<OrderRecord, "version">): Promise<boolean> {
    if (this.#orders.has(record.orderNo)) return false;
    this.#orders.set(record.orderNo, frozenRecord({ ...record, version: 1 }));
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
    const updated = frozenRecord({ ...next, orderNo, version: expectedVersion + 1 }, stored);
    this.#orders.set(orderNo, updated);
    return updated;
  }

  async compareAndDelete(orderNo: string, expectedVersion: number): Promise<boolean> {
    const stored = this.#orders.get(orderNo);
    if (!stored || stored.version !== expectedVersion) return false;
    this.#orders.delete(orderNo);
    return true;
  }
}

/**
 * `record`, deep-frozen: its own fields are frozen in place (it is a fresh object), its nested
 * objects copied first, except those still the very ones of `previous`, which is frozen already.
 */
function frozenRecord(record: OrderRecord, previous?: OrderRecord): OrderRecord {
  const fields = record as unknown as Record<string, unknown>;
  const before = previous as unknown as Record<string, unknown> | undefined;
  // `for…in`, not Object.keys: no array per write. A record is a plain object, with no inherited keys.
  for (const key in fields) {
    const value = fields[key];
    if (typeof value === "object" && value !== null && value !== before?.[key]) fields[key] = deepFreeze(structuredClone(value));
  }
  return Object.freeze(record);
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null) {
    for (const field of Object.values(value)) deepFreeze(field);
    Object.freeze(value);
  }
  return value;
}
