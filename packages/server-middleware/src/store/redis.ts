/**
 * An order store in Redis, so several server instances share orders and the notify that one
 * instance receives settles an order another created. Each record is one JSON string; insert is
 * SET NX, and compare-and-set / compare-and-delete are Lua scripts, which Redis runs atomically.
 *
 * The scripts never decode a record: `version` is the first field of every record this store
 * writes, so a script compares the record's leading text `{"version":N,` and is done. Redis's
 * cjson refuses the `\udXXX` escape JSON.stringify writes for a lone UTF-16 surrogate (a
 * browser's `"user\ud83d"`, a description cut mid-emoji): decoding would fail the script, and the
 * order with it. JSON.stringify / JSON.parse round-trip any JavaScript string exactly.
 *
 * ioredis is an optional peer dependency: it is imported only as a type here, and loaded with a
 * dynamic import only when the store has to build its own connection.
 */
import { createHash } from "node:crypto";
import { ConfigError } from "../errors.js";
import type { ListCursor, ListedRefund, OrderRecord, OrderStore, PendingCursor, TimeWindow } from "./contract.js";
import { checkListArgs } from "./listing.js";
import type { RedisCommands } from "./redis-commands.js";
import { REINDEX, indexArgs, listPaidIndexed, listRefundsIndexed } from "./redis-listing.js";
import { RedisNotifyInbox } from "./redis-inbox.js";

export type { RedisCommands } from "./redis-commands.js";

/** ioredis connection options (its `RedisOptions`), handed to `new Redis(options)` as they are. */
export type RedisConnectOptions = object;

export interface RedisOrderStoreOptions {
  /** A connected ioredis client (left open by close()), or a URL / options to open one with. */
  redis: RedisCommands | RedisConnectOptions | string;
  /** Prepended to the order number to make the key. Default `paybridge:order:`. */
  keyPrefix?: string | undefined;
  /** A record expires this long after its last change (the retention of a finished order). Default 30 days. */
  ttlSeconds?: number | undefined;
  /** A notify in the inbox expires this long after it was last processed. Default 30 days. */
  notifyTtlSeconds?: number | undefined;
}

const DEFAULT_KEY_PREFIX = "paybridge:order:";
const DEFAULT_TTL_SECONDS = 30 * 24 * 60 * 60;

interface LuaScript {
  source: string;
  sha1: string;
}
const luaScript = (source: string): LuaScript => ({ source, sha1: createHash("sha1").update(source).digest("hex") });

/**
 * Lua: true when the stored record (non-nil) is at version ARGV[1]. A record leading with its
 * version is compared as text; only one written before versions led (by an older paybridge) is
 * decoded.
 */
const IS_AT_VERSION = `
local function isAtVersion(stored)
  local lead = '{"version":' .. ARGV[1] .. ','
  if string.sub(stored, 1, #lead) == lead then return true end
  if string.sub(stored, 1, 11) == '{"version":' then return false end
  return cjson.decode(stored).version == tonumber(ARGV[1])
end`;

/**
 * KEYS order key, paid index, refunds index, listing expiry set, pending index; ARGV record JSON,
 * creation time if pending (else ""), order number, TTL seconds, indexArgs(). 1 if inserted.
 */
const INSERT = luaScript(`${REINDEX}
if not redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[4], 'NX') then return 0 end
if ARGV[2] ~= '' then redis.call('ZADD', KEYS[5], ARGV[2], ARGV[3]) end
reindex(4)
return 1`);

/**
 * KEYS order key, paid index, refunds index, listing expiry set; ARGV expected version, next
 * record JSON, TTL seconds, indexArgs(). 1 if replaced.
 */
const COMPARE_AND_SET = luaScript(`${IS_AT_VERSION}${REINDEX}
local stored = redis.call('GET', KEYS[1])
if not stored or not isAtVersion(stored) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
reindex(3)
return 1`);

/** KEYS as COMPARE_AND_SET's; ARGV how many entries at most. {entries dropped, orders whose entries they were}. */
const PRUNE_LISTED = luaScript(`${REINDEX}
return { pruneListed(tonumber(ARGV[1])) }`);

/** prune() drops at most this many listing entries per script, and runs at most 20 scripts. */
const PRUNE_BATCH = 500;

/** KEYS[1] order key; ARGV expected version. 1 if deleted. */
const COMPARE_AND_DELETE = luaScript(`${IS_AT_VERSION}
local stored = redis.call('GET', KEYS[1])
if not stored or not isAtVersion(stored) then return 0 end
redis.call('DEL', KEYS[1])
return 1`);

/** The stored JSON of a record: `version` first (see above), the key's order number. */
function recordJson(fields: Omit<OrderRecord, "version">, orderNo: string, version: number): string {
  const record: OrderRecord = { version, ...fields };
  // Assigned after the spread (a caller's stale `version` field must not win), keeping the first position.
  record.version = version;
  record.orderNo = orderNo;
  return JSON.stringify(record);
}

export class RedisOrderStore implements OrderStore {
  readonly #client: Promise<RedisCommands>;
  /** Only a connection this store opened is closed by close(). */
  readonly #ownsClient: boolean;
  readonly #keyPrefix: string;
  readonly #ttlSeconds: number;
  #closed: Promise<void> | undefined;
  /** get and compareAndSet resolve a new object each time (contract.ts). */
  readonly recordsAreCopies = true;
  readonly inbox: RedisNotifyInbox;

  constructor(options: RedisOrderStoreOptions) {
    const { redis, keyPrefix = DEFAULT_KEY_PREFIX, ttlSeconds = DEFAULT_TTL_SECONDS, notifyTtlSeconds = DEFAULT_TTL_SECONDS } = options;
    if (redis === undefined || redis === null || (typeof redis !== "string" && typeof redis !== "object")) {
      throw new ConfigError("redis", "must be an ioredis client, a redis:// URL or ioredis options");
    }
    if (typeof keyPrefix !== "string") throw new ConfigError("keyPrefix", "must be a string");
    for (const [name, seconds] of [["ttlSeconds", ttlSeconds], ["notifyTtlSeconds", notifyTtlSeconds]] as const) {
      if (!Number.isInteger(seconds) || seconds <= 0) throw new ConfigError(name, "must be a positive whole number of seconds");
    }
    this.#keyPrefix = keyPrefix;
    this.#ttlSeconds = ttlSeconds;
    this.#ownsClient = !isClient(redis);
    this.#client = isClient(redis) ? Promise.resolve(redis) : connect(redis);
    // A failed import surfaces on the first call; do not also crash the process meanwhile.
    this.#client.catch(() => undefined);
    this.inbox = new RedisNotifyInbox(this.#client, keyPrefix, notifyTtlSeconds);
  }

  /** Resolves once Redis answers PING (health()). */
  async ping(): Promise<void> {
    const client = await this.#client;
    await (client.ping ? client.ping() : client.get(`${this.#keyPrefix}:health`));
  }

  async get(orderNo: string): Promise<OrderRecord | null> {
    const json = await (await this.#client).get(this.#key(orderNo));
    return json === null ? null : (JSON.parse(json) as OrderRecord);
  }

  async insert(record: Omit<OrderRecord, "version">): Promise<boolean> {
    const json = recordJson(record, record.orderNo, 1);
    const created = record.status === "pending" ? Date.parse(record.createdAt) : "";
    const args = [json, created, record.orderNo, this.#ttlSeconds, ...indexArgs(record as OrderRecord)];
    return (await this.#run(INSERT, record.orderNo, args, [this.#pendingKey()])) === 1;
  }

  async compareAndSet(
    orderNo: string,
    expectedVersion: number,
    next: Omit<OrderRecord, "version">,
  ): Promise<OrderRecord | null> {
    // The key is the order number; a `next` naming another order must not move it.
    const json = recordJson(next, orderNo, expectedVersion + 1);
    const written = JSON.parse(json) as OrderRecord;
    const replaced = await this.#run(COMPARE_AND_SET, orderNo, [expectedVersion, json, this.#ttlSeconds, ...indexArgs(written)]);
    return replaced === 1 ? written : null;
  }

  async compareAndDelete(orderNo: string, expectedVersion: number): Promise<boolean> {
    const deleted = (await this.#run(COMPARE_AND_DELETE, orderNo, [expectedVersion])) === 1;
    if (deleted) await this.#unindexPending(orderNo);
    return deleted;
  }

  /**
   * From a sorted set of orders inserted pending, by creation time. A write does not touch it
   * (no extra round trip on the notify path): entries whose order is no longer pending, or gone,
   * are removed here, as the sweep meets them.
   */
  async pendingBefore(createdBefore: number, limit: number, after?: PendingCursor): Promise<string[]> {
    const client = await this.#client;
    // Stale entries are removed as met, so each round reads further; bounded all the same.
    for (let round = 0; round < 100; round++) {
      const candidates = await this.#indexedAfter(client, createdBefore, limit, after);
      if (candidates.length === 0) return [];
      const records = await client.mget(...candidates.map((orderNo) => this.#key(orderNo)));
      const pending: string[] = [];
      const stale: string[] = [];
      candidates.forEach((orderNo, index) => {
        const json = records[index];
        const status = json ? (JSON.parse(json) as OrderRecord).status : undefined;
        (status === "pending" ? pending : stale).push(orderNo);
      });
      if (stale.length > 0) await client.zrem(this.#pendingKey(), ...stale);
      if (pending.length > 0) return pending;
    }
    return [];
  }

  /**
   * Up to `limit` index entries scored below `createdBefore`, past `after`. The set orders
   * members of one score by their bytes, as JavaScript compares ASCII order numbers: entries of
   * the cursor's own millisecond are read first and kept only past its order number.
   */
  async #indexedAfter(client: RedisCommands, createdBefore: number, limit: number, after: PendingCursor | undefined): Promise<string[]> {
    const key = this.#pendingKey();
    if (after === undefined) return client.zrangebyscore(key, "-inf", `(${createdBefore}`, "LIMIT", 0, limit);
    if (after.createdAt >= createdBefore) return [];
    // All of that one millisecond (a count of -1): few orders share one.
    const tied = (await client.zrangebyscore(key, `${after.createdAt}`, `${after.createdAt}`, "LIMIT", 0, -1)).filter((orderNo) => orderNo > after.orderNo);
    if (tied.length >= limit) return tied.slice(0, limit);
    return [...tied, ...(await client.zrangebyscore(key, `(${after.createdAt}`, `(${createdBefore}`, "LIMIT", 0, limit - tied.length))];
  }

  async #unindexPending(orderNo: string): Promise<void> {
    await (await this.#client).zrem(this.#pendingKey(), orderNo);
  }

  /** Order numbers hold no `:`, so this key is no order's. */
  #pendingKey(): string {
    return `${this.#keyPrefix}:pending`;
  }

  /** From the paid index (redis-listing.ts), each entry checked against its record as read. */
  async listPaid(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<OrderRecord[]> {
    checkListArgs(window, limit, after);
    return listPaidIndexed(await this.#client, this.#keyPrefix, { window, limit, after, keyPrefix });
  }

  /** From the refunds index (redis-listing.ts), each entry checked against its record as read. */
  async listRefunds(window: TimeWindow, limit: number, after?: ListCursor, keyPrefix?: string): Promise<ListedRefund[]> {
    checkListArgs(window, limit, after);
    return listRefundsIndexed(await this.#client, this.#keyPrefix, { window, limit, after, keyPrefix });
  }

  /**
   * Drops the listing entries of orders that expired (Redis drops the records themselves), in
   * batches; resolves how many orders' entries went. Every write drops a few as well.
   */
  async prune(): Promise<number> {
    let orders = 0;
    for (let batch = 0; batch < 20; batch++) {
      const [entries, ofOrders] = (await this.#run(PRUNE_LISTED, "", [PRUNE_BATCH])) as [number, number];
      orders += ofOrders;
      if (entries < PRUNE_BATCH) break;
    }
    return orders;
  }

  /** The listing expiry set: every index entry, scored by when its record expires. */
  #listedKey(): string {
    return `${this.#keyPrefix}:listed`;
  }

  /** Quits the connection this store opened (never one it was given); safe to call twice. */
  close(): Promise<void> {
    this.#closed ??= this.#ownsClient ? this.#client.then((client) => client.quit()).then(() => undefined) : Promise.resolve();
    return this.#closed;
  }

  #key(orderNo: string): string {
    return this.#keyPrefix + orderNo;
  }

  /**
   * EVALSHA, loading the script with EVAL the first time a server has not seen it. KEYS are the
   * order's key, the listing indexes (redis-listing.ts) and `extraKeys`.
   */
  async #run(script: LuaScript, orderNo: string, args: Array<string | number>, extraKeys: string[] = []): Promise<unknown> {
    const client = await this.#client;
    const keys = [this.#key(orderNo), `${this.#keyPrefix}:paid`, `${this.#keyPrefix}:refunds`, this.#listedKey(), ...extraKeys];
    try {
      return await client.evalsha(script.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
      return client.eval(script.source, keys.length, ...keys, ...args);
    }
  }
}

function isClient(redis: RedisCommands | RedisConnectOptions | string): redis is RedisCommands {
  return typeof redis === "object" && typeof (redis as { evalsha?: unknown }).evalsha === "function";
}

async function connect(target: RedisConnectOptions | string): Promise<RedisCommands> {
  let Client: typeof import("ioredis").Redis;
  try {
    ({ Redis: Client } = await import("ioredis"));
  } catch (cause) {
    throw new ConfigError("redis", `RedisOrderStore needs the ioredis package (npm install ioredis): ${String(cause)}`);
  }
  // Auto-pipelining: commands issued in one tick (concurrent notifies, an inbox entry and its
  // index) leave in one write and their replies come back in one read — fewer system calls on
  // both sides, which bounded two instances' notifies per second. Options the caller gives win.
  const client =
    typeof target === "string"
      ? new Client(target, { enableAutoPipelining: true })
      : new Client({ enableAutoPipelining: true, ...(target as import("ioredis").RedisOptions) });
  // ioredis reconnects by itself and a failed command rejects to its caller (which logs it);
  // without a listener it would also print every failed reconnect attempt to stderr.
  client.on("error", () => undefined);
  return client;
}
