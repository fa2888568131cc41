/**
 * The memory store's listing index: keys kept sorted in chunks of at most CHUNK, so an add, a
 * delete or a page's first key is a binary search plus a splice of one chunk, not of the whole
 * index, and a page of n keys costs O(log size + n) however many orders are held.
 */
import { compareListKeys, type ListKey } from "./listing.js";

/** Keys per chunk before it is split in two: a splice moves at most this many. */
const CHUNK = 512;

export class SortedKeys {
  /** Sorted, none empty; every key of a chunk sorts before every key of the next. */
  readonly #chunks: ListKey[][] = [];
  #size = 0;

  get size(): number {
    return this.#size;
  }

  add(key: ListKey): void {
    if (this.#chunks.length === 0) {
      this.#chunks.push([key]);
      this.#size = 1;
      return;
    }
    const index = Math.min(this.#chunkFor(key), this.#chunks.length - 1);
    const chunk = this.#chunks[index]!;
    const at = lowerBound(chunk, key);
    if (at < chunk.length && compareListKeys(chunk[at]!, key) === 0) return;
    chunk.splice(at, 0, key);
    this.#size += 1;
    if (chunk.length > CHUNK) this.#chunks.splice(index + 1, 0, chunk.splice(CHUNK / 2));
  }

  delete(key: ListKey): boolean {
    const index = this.#chunkFor(key);
    const chunk = this.#chunks[index];
    if (chunk === undefined) return false;
    const at = lowerBound(chunk, key);
    if (at === chunk.length || compareListKeys(chunk[at]!, key) !== 0) return false;
    chunk.splice(at, 1);
    this.#size -= 1;
    if (chunk.length === 0) this.#chunks.splice(index, 1);
    return true;
  }

  /** Up to `limit` keys from `start` (past it when `exclusive`) with a time before `before`, in order. */
  range(start: ListKey, exclusive: boolean, before: number, limit: number): ListKey[] {
    const found: ListKey[] = [];
    let index = this.#chunkFor(start);
    let at = index < this.#chunks.length ? lowerBound(this.#chunks[index]!, start) : 0;
    // Only the first key at or past `start` can be `start` itself.
    if (exclusive && index < this.#chunks.length && at < this.#chunks[index]!.length && compareListKeys(this.#chunks[index]![at]!, start) === 0) at += 1;
    for (; index < this.#chunks.length; index++, at = 0) {
      const chunk = this.#chunks[index]!;
      for (; at < chunk.length; at++) {
        const key = chunk[at]!;
        if (key.at >= before || found.length === limit) return found;
        found.push(key);
      }
    }
    return found;
  }

  /** The first chunk whose last key is at or past `key` (the chunk count when none is). */
  #chunkFor(key: ListKey): number {
    let low = 0;
    let high = this.#chunks.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const chunk = this.#chunks[middle]!;
      if (compareListKeys(chunk[chunk.length - 1]!, key) < 0) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** The first position in `chunk` whose key is at or past `key`. */
function lowerBound(chunk: readonly ListKey[], key: ListKey): number {
  let low = 0;
  let high = chunk.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (compareListKeys(chunk[middle]!, key) < 0) low = middle + 1;
    else high = middle;
  }
  return low;
}
