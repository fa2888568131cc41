/**
 * Expiry: a pending order older than `expireAfterMs` is closed (src/engine/close.ts) on its next touch
 * (the status route, a re-posted create) and by `sweep()`, which the merchant calls or an
 * optional unref'd timer runs every `sweepIntervalMs`. The sweep also drops finished orders past
 * their retention from a store that keeps them itself (the store contract's optional prune).
 */
import type { OrderRecord } from "../store/contract.js";
import type { SweepResult } from "../types.js";
import type { CloseService } from "./close.js";
import type { EngineContext } from "./context.js";

/** Orders a sweep reads at most, so one sweep is bounded. */
const SWEEP_LIMIT = 1_000;

export class Expiry {
  readonly #ctx: EngineContext;
  readonly #close: CloseService;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<SweepResult> | undefined;

  constructor(ctx: EngineContext, close: CloseService) {
    this.#ctx = ctx;
    this.#close = close;
  }

  get expireAfterMs(): number {
    return this.#ctx.options.expireAfterMs;
  }

  /** ISO 8601 time an order created at `createdAt` expires: what a gateway that takes an expiry is sent. */
  expiresAt(createdAt: string): string {
    return new Date(Date.parse(createdAt) + this.expireAfterMs).toISOString();
  }

  isExpired(record: OrderRecord, now = Date.now()): boolean {
    return record.status === "pending" && Date.parse(record.createdAt) + this.expireAfterMs <= now;
  }

  /** A pending order a request read: if it has expired it is closed (a gateway refusal is logged; it stays pending). */
  async touch(record: OrderRecord): Promise<OrderRecord> {
    if (!this.isExpired(record)) return record;
    try {
      await this.#close.closeRecord(record);
    } catch {
      // Logged and reported by the close service; the order stays pending for now.
    }
    return (await this.#ctx.options.store.get(record.orderNo)) ?? record;
  }

  /** Closes expired pending orders (at most 1 000 per call) and prunes what retention allows. One sweep at a time per instance. */
  sweep(): Promise<SweepResult> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  /** Starts the optional timer (unref'd: it never keeps the process alive). */
  start(intervalMs: number): void {
    if (intervalMs <= 0 || this.#timer) return;
    this.#timer = setInterval(() => {
      this.sweep().catch((error: unknown) => this.#ctx.logError("expiry sweep failed", error, {}));
    }, intervalMs);
    this.#timer.unref();
  }

  stop(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  async #sweep(): Promise<SweepResult> {
    const { store } = this.#ctx.options;
    const result: SweepResult = { closed: 0, failed: 0, pruned: 0, prunedNotifies: 0 };
    const now = Date.now();
    const candidates = store.pendingBefore ? await store.pendingBefore(now - this.expireAfterMs, SWEEP_LIMIT) : [];
    for (const orderNo of candidates) {
      const record = await store.get(orderNo);
      if (!record || !this.isExpired(record, now)) continue;
      try {
        const closed = await this.#close.closeRecord(record);
        if (closed.closedAt) result.closed += 1;
      } catch {
        result.failed += 1;
      }
    }
    if (store.prune) result.pruned = await store.prune();
    if (store.inbox) result.prunedNotifies = await store.inbox.prune(now - this.#ctx.options.notifyRetentionMs);
    return result;
  }
}
