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

/** The last transition queued for each order, per store; an entry goes when that one ends. */
const queues = new WeakMap<OrderStore, Map<string, Queued>>();

interface Queued {
  /** Settles when this transition has ended, whichever way. */
  readonly ended: Promise<unknown>;
}

export function transition(
  store: OrderStore,
  orderNo: string,
  change: (current: OrderRecord) => Partial<RecordFields> | undefined,
  from?: OrderRecord,
): Promise<Transition> {
  let byOrder = queues.get(store);
  if (!byOrder) queues.set(store, (byOrder = new Map()));
  const previous = byOrder.get(orderNo);
  const self: { ended: Promise<unknown> } = { ended: Promise.resolve() };
  const run = queued(store, byOrder, self, orderNo, change, previous === undefined ? from : undefined, previous);
  self.ended = run;
  byOrder.set(orderNo, self);
  return run;
}

/**
 * One transition in its order's queue. It leaves the queue in `finally`, before its caller
 * resumes: a caller's next transition of the same order (settle's claim, then its "done") then
 * runs at once from the record it holds, instead of queueing behind a finished one and reading
 * the record again.
 */
async function queued(
  store: OrderStore,
  byOrder: Map<string, Queued>,
  self: Queued,
  orderNo: string,
  change: (current: OrderRecord) => Partial<RecordFields> | undefined,
  from: OrderRecord | undefined,
  previous: Queued | undefined,
): Promise<Transition> {
  try {
    // Behind others: `from` is stale by the time this runs (the caller passed none), so it reads afresh.
    if (previous) await previous.ended.then(noop, noop);
    return await casLoop(store, orderNo, change, from);
  } finally {
    if (byOrder.get(orderNo) === self) byOrder.delete(orderNo);
  }
}

const noop = (): void => {};

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
