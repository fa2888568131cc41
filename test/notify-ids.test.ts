/**
 * Notify ids from two real processes (two instances sharing one store's inbox): each process
 * draws its random prefix once and counts from there, so no two ids are the same across them,
 * every id sorts by its receipt time, one process's ids of one millisecond sort in the order they
 * were made, and each fits the SQL inbox's id column (varchar(40)). The processes run the built
 * package (packages/server-middleware/dist), as test/sql-restart.test.ts does.
 */
import { execFile } from "node:child_process";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { receivedMs } from "../packages/server-middleware/src/store/inbox-query.js";

const INBOX = pathToFileURL(new URL("../packages/server-middleware/dist/engine/inbox.js", import.meta.url).pathname).href;
const PER_PROCESS = 20_000;
/** Three receipt times, in this order: the ids of one process come out in runs of one ms. */
const TIMES = [Date.parse("2026-03-01T08:00:00.000Z"), Date.parse("2026-03-01T08:00:00.001Z"), Date.parse("2027-01-01T00:00:00.000Z")];

async function idsFromProcess(): Promise<string[]> {
  const script = `
    const { newNotifyId } = await import(${JSON.stringify(INBOX)});
    const times = ${JSON.stringify(TIMES)};
    const ids = [];
    for (let i = 0; i < ${PER_PROCESS}; i++) ids.push(newNotifyId(times[Math.floor((i * times.length) / ${PER_PROCESS})]));
    process.stdout.write(JSON.stringify(ids));`;
  const { stdout } = await promisify(execFile)(process.execPath, ["--input-type=module", "-e", script], { maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(stdout) as string[];
}

describe("notify ids across two processes", () => {
  it("are unique, sort by receipt time, and in one process by creation within a millisecond", async () => {
    const [a, b] = await Promise.all([idsFromProcess(), idsFromProcess()]);
    const all = [...(a ?? []), ...(b ?? [])];
    expect(all).toHaveLength(2 * PER_PROCESS);
    expect(new Set(all).size).toBe(all.length);
    for (const ids of [a ?? [], b ?? []]) {
      // Made in time order, so each process's list is already sorted.
      expect([...ids].sort()).toEqual(ids);
      expect(new Set(ids.map(receivedMs))).toEqual(new Set(TIMES));
    }
    // Merged, they sort by receipt time first, whichever process made them.
    const merged = [...all].sort();
    for (let i = 1; i < merged.length; i++) expect(receivedMs(merged[i] ?? "")).toBeGreaterThanOrEqual(receivedMs(merged[i - 1] ?? ""));
    expect(Math.max(...all.map((id) => id.length))).toBeLessThanOrEqual(40);
    expect(all.every((id) => /^[0-9a-z]{9}-[A-Za-z0-9_-]+$/.test(id))).toBe(true);
  }, 30_000);
});
