/**
 * The expiry sweep with several merchants: one page of the shared store's expired pending orders,
 * read on from where the last sweep stopped, each merchant handed its share (closed with its own
 * gateway), then one prune. The cursor is the shared store's, so one merchant's refusing orders
 * never hide another's.
 */
import type { ResolvedOptions } from "../config/options.js";
import type { PendingCursor } from "../store/contract.js";
import type { SweepResult } from "../types.js";
import type { Engine } from "./engine.js";
import { isMerchantId } from "./input.js";
import { parseMerchantKey } from "./merchant-store.js";

/** Orders one sweep reads from the shared store at most (as a single engine's sweep). */
const SWEEP_LIMIT = 1_000;

export class MerchantSweep {
  readonly #options: ResolvedOptions;
  readonly #engineOf: (merchantId: string) => Promise<Engine | null>;
  /** Where the next sweep reads the shared store on; undefined: from the oldest. */
  #cursor: PendingCursor | undefined;

  constructor(options: ResolvedOptions, engineOf: (merchantId: string) => Promise<Engine | null>) {
    this.#options = options;
    this.#engineOf = engineOf;
  }

  async run(): Promise<SweepResult> {
    const { store, expireAfterMs, sweepTimeLimitMs } = this.#options;
    const result: SweepResult = { closed: 0, failed: 0, deferred: 0, pruned: 0, prunedNotifies: 0 };
    const deadline = Date.now() + sweepTimeLimitMs;
    const keys = store.pendingBefore ? await store.pendingBefore(Date.now() - expireAfterMs, SWEEP_LIMIT, this.#cursor) : [];
    const shares = new Map<string, string[]>();
    let untaken = 0;
    for (const key of keys) {
      const [merchantId, orderNo] = parseMerchantKey(key) ?? [];
      if (isMerchantId(merchantId) && orderNo !== undefined) shares.set(merchantId, [...(shares.get(merchantId) ?? []), orderNo]);
    }
    for (const [merchantId, orderNos] of shares) {
      try {
        const engine = await this.#engineOf(merchantId);
        const swept = engine ? await engine.sweepListed(orderNos, deadline) : { closed: 0, failed: 0, deferred: 0, untaken: 0 };
        untaken += swept.untaken;
        result.closed += swept.closed;
        result.failed += swept.failed;
        result.deferred += swept.deferred;
      } catch {
        result.failed += orderNos.length;
      }
    }
    this.#cursor = await this.#nextCursor(keys, untaken > 0);
    if (store.prune) result.pruned = await store.prune();
    if (store.inbox) result.prunedNotifies = await store.inbox.prune(Date.now() - this.#options.notifyRetentionMs);
    return result;
  }

  /** On past a full page; the same page again when the time limit cut it short; from the oldest after a short page. */
  async #nextCursor(keys: readonly string[], cutShort: boolean): Promise<PendingCursor | undefined> {
    if (cutShort) return this.#cursor;
    const last = keys.at(-1);
    if (keys.length < SWEEP_LIMIT || last === undefined) return undefined;
    const record = await this.#options.store.get(last);
    return record ? { createdAt: Date.parse(record.createdAt), orderNo: last } : undefined;
  }
}
