/**
 * Expiry: a pending order older than `expireAfterMs` is closed (src/engine/close.ts) on its next touch
 * (the status route, a re-posted create) and by `sweep()`, which the merchant calls or an
 * optional unref'd timer runs every `sweepIntervalMs`. The sweep also drops finished orders past
 * their retention from a store that keeps them itself (the store contract's optional prune).
 *
 * These closes are automatic, so each is claimed first by compare-and-set (`lastCloseAttemptAt`):
 * an order's gateway is asked to close it at most once per `queryIntervalMs`, however many polls
 * and sweeps meet it. A sweep closes `sweepConcurrency` orders at once, starts none after
 * `sweepTimeLimitMs`, and reads the store on from where the last sweep stopped (a cursor), so
 * orders whose gateway refuses to close them never hold the ones behind them pending.
 */
import type { OrderRecord, PendingCursor } from "../store/contract.js";
import type { SweepResult } from "../types.js";
import type { CloseService } from "./close.js";
import type { EngineContext } from "./context.js";

/** Orders a sweep reads at most, so one sweep is bounded. */
const SWEEP_LIMIT = 1_000;

type Outcome = "closed" | "failed" | "deferred" | "none";

/** What closing a listed share came to; `untaken`: those the deadline left (counted in `deferred` too). */
export type ListedSweep = Pick<SweepResult, "closed" | "failed" | "deferred"> & { untaken: number };

export class Expiry {
  readonly #ctx: EngineContext;
  readonly #close: CloseService;
  #timer: NodeJS.Timeout | undefined;
  #sweeping: Promise<SweepResult> | undefined;
  /** Where the next sweep reads on; undefined: from the oldest. */
  #cursor: PendingCursor | undefined;

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
    await this.#closeExpired(record, Date.now());
    return (await this.#ctx.options.store.get(record.orderNo)) ?? record;
  }

  /**
   * Closes up to `count` expired orders, oldest first, starting none after `timeLimitMs`, so that
   * the memory store may evict them (a full store): each is closed at its gateway first, where it
   * has a close API. Resolves how many were closed.
   */
  async closeOldest(count: number, timeLimitMs: number): Promise<number> {
    const { store } = this.#ctx.options;
    if (!store.pendingBefore) return 0;
    const now = Date.now();
    const pageSize = Math.min(count * 4, SWEEP_LIMIT);
    let closed = 0;
    let after: PendingCursor | undefined;
    // Past orders whose gateway refuses, a page at a time; at most SWEEP_LIMIT orders read.
    for (let read = 0; closed < count && read < SWEEP_LIMIT && Date.now() < now + timeLimitMs; ) {
      const page = await store.pendingBefore(now - this.expireAfterMs, pageSize, after);
      read += page.length;
      const taken = await this.#closeAll(page, now, now + timeLimitMs);
      closed += taken.outcomes.filter((outcome) => outcome === "closed").length;
      if (page.length < pageSize || taken.cursor === undefined) break;
      after = taken.cursor;
    }
    return closed;
  }

  /** Closes expired pending orders (at most 1 000 per call) and prunes what retention allows. One sweep at a time per instance. */
  sweep(): Promise<SweepResult> {
    this.#sweeping ??= this.#sweep().finally(() => {
      this.#sweeping = undefined;
    });
    return this.#sweeping;
  }

  /**
   * Closes the expired ones of `orderNos` — this engine's share of a page that a sweep across
   * merchants read from the shared store — starting none after `deadline` (epoch ms).
   */
  async closeListed(orderNos: readonly string[], deadline: number): Promise<ListedSweep> {
    const { outcomes } = await this.#closeAll(orderNos, Date.now(), deadline);
    const untaken = orderNos.length - outcomes.length;
    const result = { closed: 0, failed: 0, deferred: untaken, untaken };
    for (const outcome of outcomes) if (outcome !== "none") result[outcome] += 1;
    return result;
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
    const { store, sweepTimeLimitMs } = this.#ctx.options;
    const result: SweepResult = { closed: 0, failed: 0, deferred: 0, pruned: 0, prunedNotifies: 0 };
    const now = Date.now();
    if (store.pendingBefore) {
      const candidates = await store.pendingBefore(now - this.expireAfterMs, SWEEP_LIMIT, this.#cursor);
      const { outcomes, cursor } = await this.#closeAll(candidates, now, now + sweepTimeLimitMs);
      for (const outcome of outcomes) if (outcome !== "none") result[outcome] += 1;
      result.deferred += candidates.length - outcomes.length;
      // On from the last order taken up; after a short page taken up whole (the end of the
      // index), from the oldest again.
      this.#cursor = outcomes.length < candidates.length || candidates.length === SWEEP_LIMIT ? cursor : undefined;
    }
    if (store.prune) result.pruned = await store.prune();
    if (store.inbox) result.prunedNotifies = await store.inbox.prune(now - this.#ctx.options.notifyRetentionMs);
    return result;
  }

  /**
   * Closes the expired ones of `orderNos`, `sweepConcurrency` at a time, starting none after
   * `deadline`. Resolves one outcome per order taken up — a prefix of `orderNos`, shorter when the
   * deadline passed — and the position of the last one taken up that still existed.
   */
  async #closeAll(orderNos: readonly string[], now: number, deadline: number): Promise<{ outcomes: Outcome[]; cursor: PendingCursor | undefined }> {
    const { store, sweepConcurrency } = this.#ctx.options;
    const outcomes: Outcome[] = [];
    const positions: Array<PendingCursor | undefined> = [];
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < orderNos.length && Date.now() < deadline) {
        const index = next++;
        const orderNo = orderNos[index] as string;
        const record = await store.get(orderNo);
        positions[index] = record ? { createdAt: Date.parse(record.createdAt), orderNo } : undefined;
        outcomes[index] = record && this.isExpired(record, now) ? await this.#closeExpired(record, now) : "none";
      }
    };
    await Promise.all(Array.from({ length: Math.min(sweepConcurrency, orderNos.length) }, worker));
    let cursor: PendingCursor | undefined;
    for (let index = next - 1; index >= 0 && cursor === undefined; index--) cursor = positions[index];
    return { outcomes: outcomes.slice(0, next), cursor };
  }

  /** Claims this close by compare-and-set (once per queryIntervalMs per order), then closes. */
  async #closeExpired(record: OrderRecord, now: number): Promise<Outcome> {
    const { queryIntervalMs } = this.#ctx.options;
    const claim = await this.#ctx.transition(
      record.orderNo,
      (current) =>
        this.isExpired(current, now) && (current.lastCloseAttemptAt === undefined || now - current.lastCloseAttemptAt >= queryIntervalMs)
          ? { lastCloseAttemptAt: now }
          : undefined,
      record,
    );
    if (!claim.changed || !claim.record) return claim.record?.status === "pending" ? "deferred" : "none";
    try {
      return (await this.#close.closeRecord(claim.record)).closedAt ? "closed" : "none";
    } catch {
      // Logged and reported by the close service; the order stays pending for now.
      return "failed";
    }
  }
}
