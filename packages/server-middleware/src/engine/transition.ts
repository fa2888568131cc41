/**
 * The one compare-and-set loop every change of an order goes through: applies `change` to the
 * latest record until it sticks or `change` declines. `from`, a record the caller already
 * read, saves the first read: a stale one only loses its compare-and-set. `change` may throw to
 * refuse (nothing is written); it may run several times, so it must only read its argument.
 *
 * Correctness comes from the store's compare-and-set alone. For throughput, the transitions of
 * one order in one process also take turns (a queue per store and order): hundreds of
 * concurrent refunds of one order then race only with other processes, not each other, instead
 * of all re-reading and rewriting the record in lockstep. A race lost to another process waits
 * a short random while, growing with each loss.
 */
import type { OrderRecord, OrderStore } from "../store/contract.js";

export type RecordFields = Omit<OrderRecord, "version">;

export interface Transition {
  record: OrderRecord | null;
  changed: boolean;
}

/** The longest wait between two attempts after lost races, in ms. */
const MAX_BACKOFF_MS = 32;

/** The tail of each order's queue, per store; an entry goes when its queue empties. */
const queues = new WeakMap<OrderStore, Map<string, Promise<unknown>>>();

export function transition(
  store: OrderStore,
  orderNo: string,
  change: (current: OrderRecord) => Partial<RecordFields> | undefined,
  from?: OrderRecord,
): Promise<Transition> {
  let byOrder = queues.get(store);
  if (!byOrder) queues.set(store, (byOrder = new Map()));
  const previous = byOrder.get(orderNo);
  // Behind others: `from` is stale by the time this runs, so read afresh.
  const run = previous
    ? previous.then(() => casLoop(store, orderNo, change, undefined))
    : casLoop(store, orderNo, change, from);
  const tail = run.catch(() => undefined);
  byOrder.set(orderNo, tail);
  void tail.then(() => {
    if (byOrder.get(orderNo) === tail) byOrder.delete(orderNo);
  });
  return run;
}

async function casLoop(
  store: OrderStore,
  orderNo: string,
  change: (current: OrderRecord) => Partial<RecordFields> | undefined,
  from: OrderRecord | undefined,
): Promise<Transition> {
  let current = from ?? (await store.get(orderNo));
  for (let lost = 0; ; lost++) {
    if (!current) return { record: null, changed: false };
    const patch = change(current);
    if (!patch) return { record: current, changed: false };
    // A plain spread, which V8 copies fastest; the stale `version` it carries is ignored, as
    // every store sets the version itself.
    const stored = await store.compareAndSet(orderNo, current.version, { ...current, ...patch });
    if (stored) return { record: stored, changed: true };
    if (lost > 0) await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(2 ** lost, MAX_BACKOFF_MS)));
    current = await store.get(orderNo);
  }
}
