/**
 * The Redis store's listing indexes: `<prefix>:paid` and `<prefix>:refunds`, sorted sets whose
 * members all score 0 and sort by their bytes: `<time> <store key>[ <refund number>]`, the time
 * as 15 fixed digits of epoch ms. A page is then one ZRANGEBYLEX from just past the cursor's own
 * member, however many entries share a millisecond. Store keys and refund numbers hold no
 * space (src/engine/input.ts), which sorts below every character they do hold, so the bytes
 * sort as (time, store key, refund number).
 *
 * The write scripts (redis.ts) add a record's members in the same script that writes it, and
 * note each in `<prefix>:listed` scored by when the record expires (its TTL); whatever expired
 * there is dropped, a few entries by every write and in batches by prune(), so no entry
 * outlives its record for long and the indexes never grow past the records.
 */
import type { ListCursor, ListedRefund, OrderRecord, TimeWindow } from "./contract.js";
import { compareListKeys, cursorKey, listKeysOf, paidAtMs, refundAtMs, type ListKey } from "./listing.js";
import type { RedisCommands } from "./redis-commands.js";

const TIME_DIGITS = 15;
const MAX_TIME = 10 ** TIME_DIGITS - 1;

/** Entries whose record expired, dropped by each write script. */
const PRUNED_PER_WRITE = 8;

function timeText(ms: number): string {
  return String(Math.min(Math.max(ms, 0), MAX_TIME)).padStart(TIME_DIGITS, "0");
}

export const paidMember = (key: ListKey): string => `${timeText(key.at)} ${key.orderNo}`;
export const refundMember = (key: ListKey): string => `${timeText(key.at)} ${key.orderNo} ${key.refundNo}`;

function parseMember(member: string): ListKey {
  const rest = member.slice(TIME_DIGITS + 1);
  const space = rest.indexOf(" ");
  const [orderNo, refundNo] = space === -1 ? [rest, ""] : [rest.slice(0, space), rest.slice(space + 1)];
  return { at: Number(member.slice(0, TIME_DIGITS)), orderNo, refundNo };
}

/**
 * The ARGV tail REINDEX reads for a record: its paid member ("" if not paid), then per refund its
 * member and the member it had while unfinished ("" while it is), which a finished one replaces.
 */
export function indexArgs(record: OrderRecord): string[] {
  const keys = listKeysOf(record);
  const args = [keys.paid ? paidMember(keys.paid) : ""];
  for (const [index, refund] of (record.refunds ?? []).entries()) {
    const key = keys.refunds[index]!;
    args.push(refundMember(key), refund.finishedAt === undefined ? "" : refundMember({ ...key, at: Date.parse(refund.requestedAt) }));
  }
  return args;
}

/**
 * Lua, with KEYS[2] the paid index, KEYS[3] the refunds index, KEYS[4] the expiry set:
 * pruneListed(count) drops up to `count` entries whose record has expired and resolves how many
 * paid entries (orders) went; reindex(base) adds the record's members (ARGV[base] its TTL in
 * seconds, then indexArgs()) after pruning a few.
 */
export const REINDEX = `
local function clockMs()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function pruneListed(count) -- entries dropped, orders (paid entries) among them
  local due = redis.call('ZRANGEBYSCORE', KEYS[4], '-inf', string.format('(%.0f', clockMs()), 'LIMIT', 0, count)
  local orders = 0
  for _, entry in ipairs(due) do
    local member = string.sub(entry, 2)
    if string.sub(entry, 1, 1) == 'p' then
      redis.call('ZREM', KEYS[2], member)
      orders = orders + 1
    else
      redis.call('ZREM', KEYS[3], member)
    end
    redis.call('ZREM', KEYS[4], entry)
  end
  return #due, orders
end
local function reindex(base)
  pruneListed(${PRUNED_PER_WRITE})
  local expires = string.format('%.0f', clockMs() + tonumber(ARGV[base]) * 1000)
  local paid = ARGV[base + 1]
  if paid ~= '' then
    redis.call('ZADD', KEYS[2], 0, paid)
    redis.call('ZADD', KEYS[4], expires, 'p' .. paid)
  end
  for i = base + 2, #ARGV, 2 do
    local member, unfinished = ARGV[i], ARGV[i + 1]
    if unfinished ~= '' and unfinished ~= member then
      redis.call('ZREM', KEYS[3], unfinished)
      redis.call('ZREM', KEYS[4], 'r' .. unfinished)
    end
    redis.call('ZADD', KEYS[3], 0, member)
    redis.call('ZADD', KEYS[4], expires, 'r' .. member)
  end
end`;

/** One page's request: the window, page size, cursor and store-key prefix. */
export interface PageRequest {
  window: TimeWindow;
  limit: number;
  after: ListCursor | undefined;
  keyPrefix: string | undefined;
}

/** Paid orders from `<prefix>:paid`; an entry whose record is gone or no longer paid then is skipped. */
export function listPaidIndexed(client: RedisCommands, prefix: string, page: PageRequest): Promise<OrderRecord[]> {
  return listIndexed(client, { key: `${prefix}:paid`, member: paidMember }, page, async (keys) => {
    const records = await readRecords(client, keys, prefix);
    return keys.map((key) => {
      const record = records.get(key.orderNo);
      return record && paidAtMs(record) === key.at ? record : undefined;
    });
  });
}

/** Refunds from `<prefix>:refunds`; an entry whose refund is gone or at another time now is skipped. */
export function listRefundsIndexed(client: RedisCommands, prefix: string, page: PageRequest): Promise<ListedRefund[]> {
  return listIndexed(client, { key: `${prefix}:refunds`, member: refundMember }, page, async (keys) => {
    const records = await readRecords(client, keys, prefix);
    return keys.map((key) => {
      const order = records.get(key.orderNo);
      const refund = order?.refunds?.find((entry) => entry.refundNo === key.refundNo);
      return order && refund && refundAtMs(refund) === key.at ? { order, refund } : undefined;
    });
  });
}

/**
 * Up to `limit` listed items in the window, past the cursor, under `keyPrefix`, in order.
 * `resolve` turns a chunk of index keys into items, undefined for an entry its record no longer
 * backs (gone, or its time moved): those are skipped, so a short page means the end.
 */
async function listIndexed<T>(
  client: RedisCommands,
  index: { key: string; member: (key: ListKey) => string },
  { window, limit, after, keyPrefix }: PageRequest,
  resolve: (keys: ListKey[]) => Promise<Array<T | undefined>>,
): Promise<T[]> {
  if (window.to <= window.from) return [];
  const from: ListKey = { at: window.from, orderNo: "", refundNo: "" };
  let start = after !== undefined && compareListKeys(cursorKey(after), from) >= 0 ? `(${index.member(cursorKey(after))}` : `[${timeText(window.from)}`;
  const end = `(${timeText(window.to)}`;
  const found: T[] = [];
  // With a prefix, other keys in the window are read and skipped, a page's worth at a time.
  for (;;) {
    const members = await client.zrangebylex(index.key, start, end, "LIMIT", 0, limit);
    const keys = members.map(parseMember).filter((key) => keyPrefix === undefined || key.orderNo.startsWith(keyPrefix));
    for (const item of keys.length === 0 ? [] : await resolve(keys)) {
      if (item !== undefined && found.length < limit) found.push(item);
    }
    if (found.length === limit || members.length < limit) return found;
    start = `(${members[members.length - 1]!}`;
  }
}

/** The records of `keys` (under the store's key prefix), each read once, by store key; absent when gone. */
async function readRecords(client: RedisCommands, keys: readonly ListKey[], prefix: string): Promise<Map<string, OrderRecord>> {
  const orderNos = [...new Set(keys.map((key) => key.orderNo))];
  const records = new Map<string, OrderRecord>();
  (await client.mget(...orderNos.map((orderNo) => prefix + orderNo))).forEach((json, index) => {
    if (json !== null) records.set(orderNos[index]!, JSON.parse(json) as OrderRecord);
  });
  return records;
}
