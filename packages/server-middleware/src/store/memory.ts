/**
 * An in-process order store: the default, for one server process. Records are copied in and
 * out so a caller holding a returned record can never change what is stored.
 */
import type { OrderRecord, OrderStore } from "./types.js";

export class MemoryOrderStore implements OrderStore {
  readonly #orders = new Map<string, OrderRecord>();

  async get(orderNo: string): Promise<OrderRecord | null> {
    const stored = this.#orders.get(orderNo);
    return stored ? structuredClone(stored) : null;
  }

  async insert(record: Omit<OrderRecord, "version">): Promise<boolean> {
    if (this.#orders.has(record.orderNo)) return false;
    this.#orders.set(record.orderNo, { ...structuredClone(record), version: 1 });
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
    const updated: OrderRecord = { ...structuredClone(next), orderNo, version: expectedVersion + 1 };
    this.#orders.set(orderNo, updated);
    return structuredClone(updated);
  }

  async compareAndDelete(orderNo: string, expectedVersion: number): Promise<boolean> {
    const stored = this.#orders.get(orderNo);
    if (!stored || stored.version !== expectedVersion) return false;
    this.#orders.delete(orderNo);
    return true;
  }
}
