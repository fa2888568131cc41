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
  /**
   * Ids in the order first written, from `#head` on: the next to go when the inbox is full.
   * Not the map's own key order: a Map keeps a deleted key's slot until it is rebuilt, so
   * finding its first live key after many deletions walks thousands of dead slots, on every
   * notify once the inbox is full. Ids pruned meanwhile are skipped here, and the dead front
   * of the array is dropped once it is half of it.
   */
  #order: string[] = [];
  #head = 0;
  readonly #max: number;

  constructor(maxEntries = DEFAULT_MAX_NOTIFIES) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries <= 0) throw new RangeError("maxNotifies must be a positive whole number");
    this.#max = maxEntries;
  }

  async put(entry: NotifyEntry): Promise<void> {
    const copy = Object.freeze({ ...entry, headers: Object.freeze({ ...entry.headers }) });
    if (!this.#entries.has(entry.id)) {
      while (this.#entries.size >= this.#max && this.#head < this.#order.length) this.#entries.delete(this.#order[this.#head++] as string);
      this.#order.push(entry.id);
      if (this.#head > 1024 && this.#head * 2 > this.#order.length) {
        this.#order = this.#order.slice(this.#head);
        this.#head = 0;
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
    // Forgets the ids dropped here too: the inbox may never fill, so eviction would never skip them.
    if (dropped > 0) {
      this.#order = this.#order.slice(this.#head).filter((id) => this.#entries.has(id));
      this.#head = 0;
    }
    return dropped;
  }
}
