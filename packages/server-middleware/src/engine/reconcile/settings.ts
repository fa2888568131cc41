/**
 * A reconciliation's settings, from its request and their defaults, and the day it covers: a
 * `yyyy-MM-dd` in Asia/Shanghai (UTC+8, no daylight saving) as a half-open window of epoch ms.
 */
import { InvalidRequestError } from "../../errors.js";
import type { TimeWindow } from "../../store/contract.js";
import type { ReconcileRequest } from "../../types.js";

export const RECONCILE_DEFAULTS = {
  maxListed: 1_000,
  toleranceMs: 15 * 60 * 1000,
  fetchAttempts: 3,
  retryDelayMs: 1_000,
  rowBudget: 200_000,
} as const;

/** Partitions a spilled side is split into (per level): a partition then holds about rows / this. */
export const SPILL_FAN_OUT = 32;

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

export interface ReconcileSettings {
  readonly date: string;
  readonly gateway: string;
  /** The day: [00:00, next 00:00) Asia/Shanghai. */
  readonly day: TimeWindow;
  readonly maxListed: number;
  readonly toleranceMs: number;
  readonly fetchAttempts: number;
  readonly retryDelayMs: number;
  readonly rowBudget: number;
}

/** The day's window; throws InvalidRequestError for anything but a real calendar date. */
export function shanghaiDay(date: unknown): TimeWindow {
  const match = typeof date === "string" ? DATE.exec(date) : null;
  if (!match) throw new InvalidRequestError("date must be yyyy-MM-dd", "date");
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const utc = Date.UTC(year, month - 1, day);
  const check = new Date(utc);
  // Date.UTC rolls 2026-02-30 over to March: a date that does not round-trip is not one.
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) {
    throw new InvalidRequestError("date must be a calendar date (yyyy-MM-dd)", "date");
  }
  const from = utc - SHANGHAI_OFFSET_MS;
  return { from, to: from + DAY_MS };
}

function whole(value: number | undefined, field: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value < min) throw new InvalidRequestError(`${field} must be a whole number of at least ${min}`, field);
  return value;
}

export function resolveSettings(request: ReconcileRequest): ReconcileSettings {
  if (typeof request.gateway !== "string" || request.gateway === "") throw new InvalidRequestError("gateway must name a configured gateway", "gateway");
  return {
    date: request.date,
    gateway: request.gateway,
    day: shanghaiDay(request.date),
    maxListed: whole(request.maxListed, "maxListed", RECONCILE_DEFAULTS.maxListed, 0),
    toleranceMs: whole(request.toleranceMs, "toleranceMs", RECONCILE_DEFAULTS.toleranceMs, 0),
    fetchAttempts: whole(request.fetchAttempts, "fetchAttempts", RECONCILE_DEFAULTS.fetchAttempts, 1),
    retryDelayMs: whole(request.retryDelayMs, "retryDelayMs", RECONCILE_DEFAULTS.retryDelayMs, 0),
    rowBudget: whole(request.rowBudget, "rowBudget", RECONCILE_DEFAULTS.rowBudget, 2),
  };
}
