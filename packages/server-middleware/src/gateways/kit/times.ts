/**
 * Gateway times. The gateways write local time in Asia/Shanghai (UTC+8 all year, no daylight
 * saving), so a fixed offset converts it; a time that does not read is left out, never guessed.
 */
import { textOf } from "./text.js";

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const GATEWAY_TIME = /^(\d{4})-?(\d{2})-?(\d{2})[ T]?(\d{2}):?(\d{2}):?(\d{2})$/;

/** `yyyyMMddHHmmss` in Asia/Shanghai (UTC+8 all year) for a moment. */
export function shanghaiCompactTime(at: Date): string {
  return new Date(at.getTime() + SHANGHAI_OFFSET_MS).toISOString().replace(/\D/g, "").slice(0, 14);
}

/**
 * A gateway time in Asia/Shanghai (`yyyyMMddHHmmss` or `yyyy-MM-dd HH:mm:ss`) as ISO 8601 UTC;
 * undefined when absent or in another form (the time is informative, never decisive).
 */
export function shanghaiTimeToIso(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const m = GATEWAY_TIME.exec(value);
  if (!m) return undefined;
  // Each group by itself, not match.map(Number): this runs on every notify.
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) - SHANGHAI_OFFSET_MS;
  return Number.isNaN(utc) ? undefined : new Date(utc).toISOString();
}

/** Unix seconds (an integer of at most 10 digits, or its text) as ISO 8601; 0 or another form gives undefined. */
export function unixSecondsToIso(value: unknown): string | undefined {
  const text = textOf(value);
  if (text === undefined || !/^\d{1,10}$/.test(text) || Number(text) === 0) return undefined;
  return new Date(Number(text) * 1000).toISOString();
}
