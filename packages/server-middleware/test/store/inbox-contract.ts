/**
 * The notify inbox contract, run against every store's inbox: what replay, the operator's
 * listing and retention rely on.
 */
import { afterAll, beforeAll, expect, it } from "vitest";
import type { NotifyEntry, NotifyInbox } from "../../src/store/contract.js";
import { newNotifyId } from "../../src/engine/inbox.js";

export interface InboxUnderTest {
  /** Two handles on the same stored data. */
  inboxes: [NotifyInbox, NotifyInbox];
  close(): Promise<void>;
}

let sequence = 0;
/** An entry received at `at` (epoch ms), with the body's bytes covering every byte value. */
export function newEntry(at: number, fields: Partial<NotifyEntry> = {}): NotifyEntry {
  sequence += 1;
  return {
    id: newNotifyId(at),
    gateway: "fake",
    receivedAt: new Date(at).toISOString(),
    body: Buffer.from([...Array.from({ length: 256 }, (_, i) => i), sequence & 0xff]).toString("base64"),
    headers: { "content-type": "application/json", "x-fake-sign": `s${sequence}` },
    verdict: "accepted",
    orderNo: `IN-${sequence}`,
    replays: 0,
    processedAt: new Date(at).toISOString(),
    ...fields,
  };
}

export function describeInboxContract(open: () => Promise<InboxUnderTest>): void {
  let subject: InboxUnderTest;
  let inbox: NotifyInbox;
  let other: NotifyInbox;
  // Each test works in its own hour, so the shared data of one store does not mix tests.
  let hour = Date.parse("2026-01-01T00:00:00Z");
  const nextHour = (): number => (hour += 3_600_000);
  beforeAll(async () => {
    subject = await open();
    [inbox, other] = subject.inboxes;
  });
  afterAll(() => subject?.close());

  it("keeps an entry exactly (raw bytes, headers, verdict) and reads it from any handle", async () => {
    const entry = newEntry(nextHour(), { verdict: "unmatched", reason: "unknown order" });
    await inbox.put(entry);
    expect(await other.get(entry.id)).toEqual(entry);
    expect(await inbox.get("000000000-none")).toBeNull();
  });

  it("rewrites an entry put again under its id (a replay), without listing it twice", async () => {
    const at = nextHour();
    const entry = newEntry(at, { verdict: "retry", reason: "onPaid threw" });
    await inbox.put(entry);
    const replayed: NotifyEntry = { ...entry, verdict: "accepted", replays: 1 };
    delete replayed.reason;
    await other.put(replayed);
    expect(await inbox.get(entry.id)).toEqual(replayed);
    expect(await inbox.list({ since: at, until: at + 1 })).toEqual([replayed]);
  });

  it("lists by receipt time, oldest first, filtered by gateway and verdict, in pages", async () => {
    const start = nextHour();
    const entries = Array.from({ length: 25 }, (_, i) =>
      newEntry(start + Math.floor(i / 3), { gateway: i % 2 === 0 ? "fake" : "other", verdict: i % 5 === 0 ? "rejected" : "accepted" }),
    );
    // Written out of order: a slow notify is written after a later one.
    for (const entry of [...entries].reverse()) await inbox.put(entry);
    const byId = [...entries].sort((a, b) => (a.id < b.id ? -1 : 1));
    const window = { since: start, until: start + 60_000 };
    expect((await other.list({ ...window, limit: 1000 })).map((entry) => entry.id)).toEqual(byId.map((entry) => entry.id));
    expect((await other.list({ ...window, gateway: "other" })).map((entry) => entry.id)).toEqual(byId.filter((entry) => entry.gateway === "other").map((entry) => entry.id));
    expect((await other.list({ ...window, verdict: "rejected" })).map((entry) => entry.id)).toEqual(byId.filter((entry) => entry.verdict === "rejected").map((entry) => entry.id));
    const pages: string[] = [];
    for (let after: string | undefined, round = 0; round < 20; round++) {
      const page = await inbox.list({ ...window, limit: 4, ...(after ? { after } : {}) });
      if (page.length === 0) break;
      expect(page.length).toBeLessThanOrEqual(4);
      pages.push(...page.map((entry) => entry.id));
      after = page[page.length - 1]?.id;
    }
    expect(pages).toEqual(byId.map((entry) => entry.id));
    expect(await inbox.list({ since: start + 60_000, until: start + 120_000 })).toEqual([]);
  });

  it("drops entries received before the retention bound, and only those", async () => {
    const start = nextHour();
    const old = newEntry(start);
    const fresh = newEntry(start + 10_000);
    await inbox.put(old);
    await inbox.put(fresh);
    expect(await inbox.prune(start + 5_000)).toBeGreaterThanOrEqual(1);
    expect((await other.list({ since: start, until: start + 60_000 })).map((entry) => entry.id)).toEqual([fresh.id]);
    expect(await other.get(fresh.id)).toEqual(fresh);
  });

  it("lists with no time bound, or only one (the operator's `notify list`)", async () => {
    const start = nextHour();
    const entry = newEntry(start + 1_000, { gateway: `open-${start}` });
    await inbox.put(entry);
    for (const bounds of [{}, { since: start }, { until: start + 60_000 }]) {
      expect(await other.list({ ...bounds, gateway: entry.gateway }), JSON.stringify(bounds)).toEqual([entry]);
    }
  });

  it("refuses a query with a bad limit or time", async () => {
    await expect(inbox.list({ limit: 0 })).rejects.toThrow(RangeError);
    await expect(inbox.list({ since: "yesterday" })).rejects.toThrow(RangeError);
  });
}
