/**
 * Bounded memory: with a row budget far below the day's rows, both sides spill to temporary
 * files split by hash(orderNo) (and split again where a partition is still too large); the
 * result and the events are the same as when everything fits in memory. The temporary folder
 * is removed however the run ends, an abort included.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { BillRow } from "../../../src/bills/contract.js";
import type { Mismatch } from "../../../src/types.js";
import { refundEntry, type ListingStore } from "../../support/listing-store.js";
import { DAY, payRow, reconcileSetup, refundRow, sh } from "../../support/reconcile-setup.js";

const ORDERS = 1_500;
const time = (i: number): string => `${String(Math.floor(i / 120) % 24).padStart(2, "0")}:${String(Math.floor(i / 2) % 60).padStart(2, "0")}:${String(i % 60).padStart(2, "0")}`;

/** A day of ORDERS orders with every kind of mismatch spread through it (every 7th order, by kind). */
async function seedDay(store: ListingStore): Promise<BillRow[]> {
  const bill: BillRow[] = [];
  let line = 1;
  for (let i = 0; i < ORDERS; i++) {
    const orderNo = `O${i}`;
    const amount = 100 + i;
    const variant = i % 7 === 0 ? (i / 7) % 8 : -1;
    if (variant === 1) {
      bill.push(payRow(++line, `U${i}`, amount, time(i))); // unknown_order
      continue;
    }
    if (variant === 2) {
      await store.seed(orderNo, amount, undefined); // unpaid_here
      bill.push(payRow(++line, orderNo, amount, time(i)));
      continue;
    }
    const refunds = i % 5 === 0 ? [refundEntry(`R${i}`, 10, sh(time(i)))] : [];
    await store.seed(orderNo, amount, sh(time(i)), refunds.length > 0 ? { status: "partially_refunded", refunds } : {});
    if (variant === 0) continue; // missing_in_bill (and its refund missing too)
    bill.push(payRow(++line, orderNo, variant === 3 ? amount + 1 : amount, time(i), { feeFen: 1, ...(variant === 4 ? { status: "failed" as const } : {}) }));
    if (variant === 5) bill.push(refundRow(++line, orderNo, `X${i}`, 7, time(i))); // refund_unknown
    if (refunds.length > 0) {
      if (variant === 6) continue; // refund_missing_in_bill
      bill.push(refundRow(++line, orderNo, `R${i}`, variant === 7 ? 11 : 10, time(i)));
    }
  }
  return bill;
}

const byKey = (a: Mismatch, b: Mismatch): number => JSON.stringify(a).localeCompare(JSON.stringify(b));

let folder: string | undefined;
const previousTmp = process.env.TMPDIR;
const baseTmp = tmpdir();
afterEach(async () => {
  if (previousTmp === undefined) delete process.env.TMPDIR;
  else process.env.TMPDIR = previousTmp;
  if (folder) await rm(folder, { recursive: true, force: true });
  folder = undefined;
});

/** Points os.tmpdir() at a folder of this test's own, to see what a run leaves there. */
async function ownTmp(): Promise<string> {
  folder = await mkdtemp(join(baseTmp, "reconcile-test-"));
  process.env.TMPDIR = folder;
  return folder;
}

describe("reconcile: spilled to disk", () => {
  it("gives the same result and the same mismatch events with a tiny row budget (K > 1, split again) as in memory", async () => {
    const tmp = await ownTmp();
    const { store, host, emitted, done } = reconcileSetup();
    const bill = await seedDay(store);
    const inMemory = await host.reconcile({ date: DAY, gateway: "fake", bill, maxListed: 50 });
    const memoryEvents = emitted.splice(0).sort(byKey);
    const seen = new Set<number>();
    const spilled = await host.reconcile({
      date: DAY,
      gateway: "fake",
      bill,
      maxListed: 50,
      rowBudget: 20,
      // Files exist while it runs: the spill really happened.
      onProgress: () => void readdir(tmp, { recursive: true }).then((names) => seen.add(names.filter((name) => name.endsWith(".jsonl")).length)),
    });
    expect(spilled).toEqual(inMemory);
    expect(emitted.sort(byKey)).toEqual(memoryEvents);
    expect(done).toEqual([inMemory, spilled]);
    expect(Math.max(...seen)).toBeGreaterThan(32);
    for (const kind of Object.keys(inMemory.counts) as (keyof typeof inMemory.counts)[]) expect(inMemory.counts[kind], kind).toBeGreaterThan(0);
    expect(inMemory.truncated).toBe(true);
    expect(await readdir(tmp)).toEqual([]);
  });

  it("an abort stops the run and removes its temporary folder; nothing is reported", async () => {
    const tmp = await ownTmp();
    const { store, host, emitted, done } = reconcileSetup();
    const bill = await seedDay(store);
    const controller = new AbortController();
    let atAbort: string[] = [];
    const run = host.reconcile({
      date: DAY,
      gateway: "fake",
      rowBudget: 20,
      signal: controller.signal,
      bill: (async function* () {
        for (const [i, row] of bill.entries()) {
          if (i === 1_000) {
            atAbort = await readdir(tmp);
            controller.abort();
          }
          yield row;
        }
      })(),
    });
    await expect(run).rejects.toMatchObject({ name: "AbortError" });
    expect(atAbort).toEqual([expect.stringMatching(/^paybridge-reconcile-/)]);
    expect(await readdir(tmp)).toEqual([]);
    expect([emitted, done]).toEqual([[], []]);
  });
});
