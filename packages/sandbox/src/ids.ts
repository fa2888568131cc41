/** Identifiers and timestamps the simulators hand out. */
import { randomBytes, randomInt } from "node:crypto";

export function randomDigits(count: number): string {
  let digits = "";
  for (let i = 0; i < count; i += 1) digits += String(randomInt(10));
  return digits;
}

export function randomHex(bytes: number): string {
  return randomBytes(bytes).toString("hex");
}

/** The gateways run on China time (UTC+8, no daylight saving). */
function shanghaiParts(date: Date): string[] {
  const shifted = new Date(date.getTime() + 8 * 3600_000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return [
    String(shifted.getUTCFullYear()),
    pad(shifted.getUTCMonth() + 1),
    pad(shifted.getUTCDate()),
    pad(shifted.getUTCHours()),
    pad(shifted.getUTCMinutes()),
    pad(shifted.getUTCSeconds()),
  ];
}

/** yyyyMMddHHmmss in Asia/Shanghai. */
export function compactTime(date: Date): string {
  return shanghaiParts(date).join("");
}

/** yyyy-MM-dd HH:mm:ss in Asia/Shanghai. */
export function dashedTime(date: Date): string {
  const [y, mo, d, h, mi, s] = shanghaiParts(date);
  return `${y}-${mo}-${d} ${h}:${mi}:${s}`;
}

/** A gateway order number: prefix + China-time stamp + random digits, `length` characters. */
export function gatewayOrderNumber(prefix: string, length: number): string {
  const head = prefix + compactTime(new Date());
  return head + randomDigits(Math.max(0, length - head.length));
}

/** Seconds since the epoch, 10 digits. */
export function epochSeconds(date: Date): string {
  return String(Math.floor(date.getTime() / 1000));
}
