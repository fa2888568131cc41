/** What every notify inbox shares: reading a query's bounds and matching an entry against it. */
import type { NotifyEntry, NotifyQuery } from "./contract.js";

export const DEFAULT_LIST_LIMIT = 100;
export const MAX_LIST_LIMIT = 1_000;

export interface QueryBounds {
  since: number;
  until: number;
  limit: number;
}

const epochMs = (value: string | number | undefined, fallback: number): number => {
  if (value === undefined) return fallback;
  const ms = typeof value === "number" ? value : Date.parse(value);
  if (!Number.isFinite(ms)) throw new RangeError(`not a time: ${String(value)}`);
  return ms;
};

export function queryBounds(query: NotifyQuery): QueryBounds {
  const limit = query.limit ?? DEFAULT_LIST_LIMIT;
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError("limit must be a positive whole number");
  return { since: epochMs(query.since, 0), until: epochMs(query.until, Number.MAX_SAFE_INTEGER), limit: Math.min(limit, MAX_LIST_LIMIT) };
}

/** The entry passes the query's filters other than time (gateway, verdict, cursor). */
export function matchesQuery(entry: NotifyEntry, query: NotifyQuery): boolean {
  if (query.gateway !== undefined && entry.gateway !== query.gateway) return false;
  if (query.verdict !== undefined && entry.verdict !== query.verdict) return false;
  return query.after === undefined || entry.id > query.after;
}

/** The receipt time an id carries (its first 9 base-36 digits are epoch ms). */
export function receivedMs(id: string): number {
  return parseInt(id.slice(0, 9), 36);
}
