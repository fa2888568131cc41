/**
 * An order record as the SQL stores keep it: the whole record as JSON (the source of truth)
 * plus the columns they query by. Shared by the PostgreSQL and MySQL stores.
 *
 * JSON columns hold only well-formed Unicode: PostgreSQL's jsonb refuses `\u0000` and a lone
 * surrogate's `\udXXX` escape, MySQL's JSON the latter. A browser's `"user\ud83d"` or a
 * description cut mid-emoji must still round-trip exactly, so a string holding one of those (or
 * the marker U+0001) is stored marked: U+0001, then the string with each such code unit written
 * as U+0001 and four hex digits. Every other string, almost all, is stored as it is.
 */
import { PAID_STATUSES } from "@paybridge/shared";
import type { OrderRecord, RefundEntry } from "./contract.js";
import { isFinished } from "./retention.js";

type RecordFields = Omit<OrderRecord, "version">;

const MARK = "\u0001";
/** What a JSON column cannot hold, plus the marker itself. In a `u` regex a well-formed pair is one code point, never Cs. */
const UNSAFE = /[\u0000\u0001]|\p{Cs}/gu;
const MARKED = /\u0001([0-9a-f]{4})/g;

function markString(text: string): string {
  UNSAFE.lastIndex = 0;
  if (!UNSAFE.test(text)) return text;
  return MARK + text.replace(UNSAFE, (unit) => MARK + unit.charCodeAt(0).toString(16).padStart(4, "0"));
}

function unmarkString(text: string): string {
  if (!text.startsWith(MARK)) return text;
  return text.slice(1).replace(MARKED, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

/** `value` with every string (object keys too) passed through `map`; what JSON drops stays dropped. */
function mapStrings(value: unknown, map: (text: string) => string): unknown {
  if (typeof value === "string") return map(value);
  if (Array.isArray(value)) return value.map((item) => mapStrings(item, map));
  if (typeof value === "object" && value !== null) {
    const mapped: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) if (item !== undefined) mapped[map(key)] = mapStrings(item, map);
    return mapped;
  }
  return value;
}

/**
 * The JSON text stored for a record, under its key's order number. `version` is not in it:
 * the column is the counter the compare-and-set compares.
 */
export function recordJson(fields: RecordFields, orderNo: string): string {
  const { version: _stale, ...rest } = fields as RecordFields & { version?: unknown };
  return JSON.stringify(mapStrings({ ...rest, orderNo }, markString));
}

/** The record from its stored JSON (text, or already parsed by the driver) and version column. */
export function readRecord(json: unknown, version: number | string): OrderRecord {
  const parsed = typeof json === "string" ? (JSON.parse(json) as unknown) : json;
  const fields = mapStrings(parsed, unmarkString) as RecordFields;
  return { ...fields, version: Number(version) };
}

/** The paid statuses as an SQL list, for `status IN (…)`: an order paid, refunded or not. */
export const PAID_STATUS_LIST = PAID_STATUSES.map((status) => `'${status}'`).join(", ");

/** A refund as its row in paybridge_refunds. */
export interface RefundRow {
  refund_no: string;
  amount_fen: number;
  status: RefundEntry["status"];
  requested_at: string;
  finished_at: string | null;
}

/** The queryable columns of a record; times are ISO 8601 (UTC), or null. */
export interface RecordColumns {
  status: string;
  gateway: string;
  amountFen: number;
  createdAt: string;
  paidAt: string | null;
  /** Whether the record is finished (store/retention.ts): then finished_at is kept, or set to now. */
  finished: boolean;
  refunds: RefundRow[];
}

export function columnsOf(fields: RecordFields): RecordColumns {
  return {
    status: fields.status,
    gateway: fields.gateway,
    amountFen: fields.amountFen,
    createdAt: isoTime(fields.createdAt),
    paidAt: fields.paidAt === undefined ? null : isoTime(fields.paidAt),
    finished: isFinished(fields as OrderRecord),
    refunds: (fields.refunds ?? []).map((refund) => ({
      refund_no: refund.refundNo,
      amount_fen: refund.amountFen,
      status: refund.status,
      requested_at: isoTime(refund.requestedAt),
      finished_at: refund.finishedAt === undefined ? null : isoTime(refund.finishedAt),
    })),
  };
}

/** An ISO 8601 time normalised to UTC milliseconds; a time that is not one fails the write. */
function isoTime(text: string): string {
  const ms = Date.parse(text);
  if (Number.isNaN(ms)) throw new RangeError(`not an ISO 8601 time: ${JSON.stringify(text.slice(0, 40))}`);
  return new Date(ms).toISOString();
}
