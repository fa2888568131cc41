/**
 * The compare-and-set loop the order lifecycle modules (refunds, close, expiry) share: applies
 * `change` to the latest record until it sticks or `change` declines. `change` may throw to
 * refuse (nothing is written); it may run several times, so it must only read its argument.
 */
import type { OrderRecord, OrderStore } from "./store/types.js";

export type RecordFields = Omit<OrderRecord, "version">;

export interface Transition {
  record: OrderRecord | null;
  changed: boolean;
}

export async function transition(
  store: OrderStore,
  orderNo: string,
  change: (current: OrderRecord) => Partial<RecordFields> | undefined,
  from?: OrderRecord,
): Promise<Transition> {
  let current = from ?? (await store.get(orderNo));
  for (;;) {
    if (!current) return { record: null, changed: false };
    const patch = change(current);
    if (!patch) return { record: current, changed: false };
    const stored = await store.compareAndSet(orderNo, current.version, { ...current, ...patch });
    if (stored) return { record: stored, changed: true };
    current = await store.get(orderNo);
  }
}
