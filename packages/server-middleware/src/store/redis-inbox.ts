/**
 * The Redis store's notify inbox: each entry one JSON string that expires with the inbox's
 * retention, and a sorted set of ids by receipt time to list them in pages without a scan.
 */
import type { NotifyEntry, NotifyInbox, NotifyQuery } from "./contract.js";
import { matchesQuery, queryBounds, receivedMs } from "./inbox-query.js";
import type { RedisCommands } from "./redis-commands.js";

/** Ids read per round while filling a page whose filters skip entries; bounded rounds. */
const PAGE_READ = 500;
const MAX_ROUNDS = 20;

export class RedisNotifyInbox implements NotifyInbox {
  readonly #client: Promise<RedisCommands>;
  readonly #prefix: string;
  readonly #ttlSeconds: number;

  /** `prefix` ends where an order key's order number would start; order numbers hold no `:`. */
  constructor(client: Promise<RedisCommands>, prefix: string, ttlSeconds: number) {
    this.#client = client;
    this.#prefix = `${prefix}:notify:`;
    this.#ttlSeconds = ttlSeconds;
  }

  async put(entry: NotifyEntry): Promise<void> {
    const client = await this.#client;
    // Both sent at once: one round trip, not two, on every notify. An index entry whose entry
    // failed to be written is skipped by list() as an expired one is.
    await Promise.all([
      client.set(this.#prefix + entry.id, JSON.stringify(entry), "EX", this.#ttlSeconds),
      client.zadd(this.#indexKey(), receivedMs(entry.id), entry.id),
    ]);
  }

  async get(id: string): Promise<NotifyEntry | null> {
    const json = await (await this.#client).get(this.#prefix + id);
    return json === null ? null : (JSON.parse(json) as NotifyEntry);
  }

  async list(query: NotifyQuery): Promise<NotifyEntry[]> {
    const { since, until, limit } = queryBounds(query);
    const client = await this.#client;
    const found: NotifyEntry[] = [];
    let from = Math.max(since, query.after === undefined ? 0 : receivedMs(query.after));
    let offset = 0;
    for (let round = 0; round < MAX_ROUNDS && found.length < limit; round++) {
      const ids = await client.zrangebyscore(this.#indexKey(), String(from), `(${until}`, "LIMIT", offset, PAGE_READ);
      if (ids.length === 0) break;
      const records = await client.mget(...ids.map((id) => this.#prefix + id));
      for (const json of records) {
        // An id whose entry expired is skipped here; prune removes it from the index.
        const entry = json === null ? undefined : (JSON.parse(json) as NotifyEntry);
        if (entry && matchesQuery(entry, query)) found.push(entry);
        if (found.length >= limit) break;
      }
      const lastScore = receivedMs(ids[ids.length - 1] ?? "");
      // Ids sharing the last score are re-read by offset, not skipped.
      offset = lastScore === from ? offset + ids.length : ids.filter((id) => receivedMs(id) === lastScore).length;
      from = lastScore;
    }
    return found;
  }

  async prune(receivedBefore: number): Promise<number> {
    // The entries themselves expire by their TTL; the index forgets them here.
    const removed = await (await this.#client).zremrangebyscore(this.#indexKey(), "-inf", `(${receivedBefore}`);
    return Number(removed);
  }

  #indexKey(): string {
    return `${this.#prefix}index`;
  }
}
