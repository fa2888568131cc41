/**
 * A bill's times, read in Asia/Shanghai (UTC+8 all year, no daylight saving). Strict where
 * gateways/kit/times.ts is lenient: a bill's time decides which day a row belongs to, so
 * 2026-02-30 or 24:00:00 is refused, never rolled over (and bills/ may not import the kit).
 */

const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
export const DAY_MS = 24 * 60 * 60 * 1000;

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
/** `yyyy-MM-dd HH:mm:ss` or `yyyy/MM/dd HH:mm:ss` (one separator throughout). */
const DATE_TIME = /^(\d{4})([-/])(\d{2})\2(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;
/** `yyyyMMddHHmmss`. */
const COMPACT = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})$/;
/** Unix seconds (10 digits) or milliseconds (13 digits): no other length is a time of this century. */
const UNIX = /^\d+$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Epoch ms of a wall-clock time in Shanghai; undefined when it is no such time. */
function shanghaiMs(year: number, month: number, day: number, hour: number, minute: number, second: number): number | undefined {
  // Date.UTC reads years 0–99 as 1900–1999: no bill is that old.
  if (year < 1970 || month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 59) return undefined;
  if (day > 28 && day > daysInMonth(year, month)) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second) - SHANGHAI_OFFSET_MS;
}

/** Epoch ms of 00:00 in Shanghai on a `yyyy-MM-dd` day; undefined when it is no such day. */
export function shanghaiDayStart(date: string): number | undefined {
  const m = DATE.exec(date);
  return m ? shanghaiMs(Number(m[1]), Number(m[2]), Number(m[3]), 0, 0, 0) : undefined;
}

/** A bill's trade time as epoch ms; undefined when it is in none of the known forms or no such time. */
export function billTimeToMs(text: string): number | undefined {
  // One pattern per length: this runs on every row of a bill.
  switch (text.length) {
    case 19: {
      const m = DATE_TIME.exec(text);
      return m ? shanghaiMs(Number(m[1]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), Number(m[7])) : undefined;
    }
    case 14: {
      const m = COMPACT.exec(text);
      return m ? shanghaiMs(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6])) : undefined;
    }
    case 10:
      return UNIX.test(text) ? Number(text) * 1000 : undefined;
    case 13:
      return UNIX.test(text) ? Number(text) : undefined;
    default:
      return undefined;
  }
}
