/**
 * The memory store's notify inbox: entries by id, bounded by count (the first written goes
 * first) and by age (prune).
 */
import type { NotifyEntry, NotifyInbox, NotifyQuery } from "./contract.js";
import { matchesQuery, queryBounds, receivedMs } from "./inbox-query.js";

/** A notify is a few KiB at most (bodyLimit): 10,000 is ~100 MiB at the very worst. */
export const DEFAULT_MAX_NOTIFIES = 10_000;

export class MemoryNotifyInbox implements NotifyInbox {
  readonly #entries = new Map<string, NotifyEntry>();
  readonly #max: number;

  constructor(maxEntries = DEFAULT_MAX_NOTIFIES) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) throw new RangeError("maxNotifies must be a positive whole number");
    this.#max = maxEntries;
  }

  async put(entry: NotifyEntry): Promise<void> {
    const copy = Object.freeze({ ...entry, headers: Object.freeze({ ...entry.headers }) });
    if (!this.#entries.has(entry.id)) {
      for (const oldest of this.#entries.keys()) {
        if (this.#entries.size < this.#max) break;
        this.#entries.delete(oldest);
      }
    }
    this.#entries.set(entry.id, copy);
  }

  async get(id: string): Promise<NotifyEntry | null> {
    return this.#entries.get(id) ?? null;
  }

  async list(query: NotifyQuery): Promise<NotifyEntry[]> {
    const { since, until, limit } = queryBounds(query);
    const found: NotifyEntry[] = [];
    for (const entry of this.#entries.values()) {
      const at = receivedMs(entry.id);
      if (at >= since && at < until && matchesQuery(entry, query)) found.push(entry);
    }
    // Written when processed, so a slow notify is inserted after a later one: order by id.
    return found.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)).slice(0, limit);
  }

  async prune(receivedBefore: number): Promise<number> {
    let dropped = 0;
    for (const id of this.#entries.keys()) {
      if (receivedMs(id) >= receivedBefore) continue;
      this.#entries.delete(id);
      dropped += 1;
    }
    return dropped;
  }
}
