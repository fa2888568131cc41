/**
 * Rows kept on disk when they are too many for memory: JSON lines appended to a file in the
 * reconciliation's own temporary folder (removed when it ends), read back as a stream. Lines
 * are batched before they are written, and a full write buffer is waited out, so memory holds
 * one batch per open file whatever the volume.
 */
import { createReadStream, createWriteStream, type WriteStream } from "node:fs";
import { once } from "node:events";
import { createInterface } from "node:readline";

/** Characters batched per file before a write. */
const BATCH_CHARS = 64 * 1024;

export class SpillFile<T> {
  readonly path: string;
  #stream: WriteStream | undefined;
  #batch = "";
  #count = 0;

  constructor(path: string) {
    this.path = path;
  }

  get count(): number {
    return this.#count;
  }

  async append(row: T): Promise<void> {
    this.#batch += `${JSON.stringify(row)}\n`;
    this.#count++;
    if (this.#batch.length >= BATCH_CHARS) await this.#flush();
  }

  /** Writes what is batched and closes the file; reading it is possible from then on. */
  async close(): Promise<void> {
    await this.#flush();
    const stream = this.#stream ?? (this.#stream = createWriteStream(this.path));
    if (!stream.closed) {
      stream.end();
      await once(stream, "close");
    }
  }

  async *rows(): AsyncGenerator<T> {
    if (this.#count === 0) return;
    const lines = createInterface({ input: createReadStream(this.path), crlfDelay: Infinity });
    for await (const line of lines) if (line !== "") yield JSON.parse(line) as T;
  }

  async #flush(): Promise<void> {
    if (this.#batch === "") return;
    const stream = this.#stream ?? (this.#stream = createWriteStream(this.path));
    const batch = this.#batch;
    this.#batch = "";
    if (!stream.write(batch)) await once(stream, "drain");
  }
}

/** A part of one side of the join: its rows in memory, or in a file. */
export interface Part<T> {
  readonly count: number;
  rows(): AsyncIterable<T> | Iterable<T>;
}

/** A 32-bit FNV-1a hash of the order number, seeded per level so a re-split spreads rows anew. */
export function partitionOf(orderNo: string, seed: number, parts: number): number {
  let hash = (0x811c9dc5 ^ Math.imul(seed, 0x9e3779b1)) >>> 0;
  for (let i = 0; i < orderNo.length; i++) hash = Math.imul(hash ^ orderNo.charCodeAt(i), 0x01000193);
  return (hash >>> 0) % parts;
}

/**
 * One side of the join, split by hash(orderNo) into `fanOut` files once it holds more than
 * `budget` rows in memory (until then: one part in memory). `spill()` forces the split (the
 * other side spilled, so both must be split alike).
 */
export class Partitioned<T> {
  readonly #prefix: string;
  readonly #budget: number;
  readonly #fanOut: number;
  readonly #seed: number;
  readonly #orderNoOf: (row: T) => string;
  #held: T[] = [];
  #files: SpillFile<T>[] | undefined;

  constructor(prefix: string, budget: number, fanOut: number, seed: number, orderNoOf: (row: T) => string) {
    this.#prefix = prefix;
    this.#budget = budget;
    this.#fanOut = fanOut;
    this.#seed = seed;
    this.#orderNoOf = orderNoOf;
  }

  get spilled(): boolean {
    return this.#files !== undefined;
  }

  async add(row: T): Promise<void> {
    if (this.#files) return this.#files[partitionOf(this.#orderNoOf(row), this.#seed, this.#fanOut)]!.append(row);
    this.#held.push(row);
    if (this.#held.length > this.#budget) await this.spill();
  }

  async spill(): Promise<void> {
    if (this.#files) return;
    this.#files = Array.from({ length: this.#fanOut }, (_, i) => new SpillFile<T>(`${this.#prefix}-${this.#seed}-${i}.jsonl`));
    const held = this.#held;
    this.#held = [];
    for (const row of held) await this.add(row);
  }

  /** Closes the files; the parts, in partition order (one part when nothing spilled). */
  async parts(): Promise<Part<T>[]> {
    if (!this.#files) {
      const held = this.#held;
      return [{ count: held.length, rows: () => held }];
    }
    for (const file of this.#files) await file.close();
    return this.#files;
  }
}
