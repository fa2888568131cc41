/**
 * The memory store's listing index: a million paid orders paged by 1,000 are each met once, in
 * order, and the whole listing costs about what one sort does (a page is a search plus its
 * keys, not a scan from the start), so it is not quadratic.
 */
import { describe, expect, it } from "vitest";
import { compareListKeys, type ListKey } from "../../src/store/listing.js";
import { SortedKeys } from "../../src/store/sorted-keys.js";

/** `items` shuffled within each run of `span` (xorshift, so a failure repeats): payments arrive nearly in time order. */
function shuffledLocally<T>(items: T[], span: number): T[] {
  let seed = 0x2545f491;
  for (let i = items.length - 1; i > 0; i--) {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    const j = i - ((seed >>> 0) % Math.min(span, i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

describe("SortedKeys", () => {
  it("pages 1,000,000 keys inserted out of order, 1,000 at a time: each once, in order, in linear time", { timeout: 60_000 }, async () => {
    // 1,500 orders in each millisecond, so pages end and start inside ties.
    const keys = Array.from({ length: 1_000_000 }, (_, i): ListKey => ({ at: 1_000 + Math.floor(i / 1_500), orderNo: `O${String(i).padStart(7, "0")}`, refundNo: "" }));
    const index = new SortedKeys();
    for (const key of shuffledLocally([...keys], 5_000)) index.add(key);
    expect(index.size).toBe(1_000_000);

    const pageAll = (): ListKey[] => {
      const listed: ListKey[] = [];
      let start: ListKey = { at: 0, orderNo: "", refundNo: "" };
      for (let exclusive = false; ; exclusive = true) {
        const page = index.range(start, exclusive, 10_000, 1_000);
        listed.push(...page);
        if (page.length < 1_000) return listed;
        start = page[page.length - 1]!;
      }
    };
    const pagingStarted = performance.now();
    const listed = pageAll();
    const pagingMs = performance.now() - pagingStarted;
    const expected = keys.sort(compareListKeys);
    // One pass comparing every key: rescanning from the first key for each page would be ~500 of them.
    const scanStarted = performance.now();
    const scanned = expected.filter((key, i) => i === 0 || compareListKeys(expected[i - 1]!, key) < 0).length;
    const scanMs = performance.now() - scanStarted;
    expect(scanned).toBe(expected.length);
    expect(listed.length).toBe(expected.length);
    expect(listed.every((key, i) => key === expected[i])).toBe(true);
    expect(pagingMs).toBeLessThan(Math.max(scanMs, 20) * 50);
  });

  it("deletes keys and ends a range at its time bound", () => {
    const index = new SortedKeys();
    const key = (at: number, orderNo: string): ListKey => ({ at, orderNo, refundNo: "" });
    for (let i = 0; i < 2_000; i++) index.add(key(i % 10, `O${i}`));
    index.add(key(3, "O3"));
    expect(index.size).toBe(2_000);
    for (let i = 0; i < 2_000; i += 2) expect(index.delete(key(i % 10, `O${i}`))).toBe(true);
    expect(index.delete(key(0, "O0"))).toBe(false);
    // Every key at an even time went; those at 3 and 5 stay, and the range stops before 6.
    const listed = index.range(key(3, ""), false, 6, 10_000);
    expect(listed.map((entry) => entry.at)).toEqual([...Array<number>(200).fill(3), ...Array<number>(200).fill(5)]);
    expect(listed.every((entry) => Number(entry.orderNo.slice(1)) % 2 === 1)).toBe(true);
  });
});
