/**
 * `createRateLimit`: how many create requests one client (the merchant's `clientKey(req)`) may
 * make per window, counted in this process's memory, one fixed window per client. What it
 * defends is the memory store: a client choosing its own order numbers cannot fill it for
 * everyone. Bounded: at most MAX_CLIENTS windows are kept; past it the oldest go first.
 */
import type { ResolvedOptions } from "../config/options.js";
import { RateLimitedError } from "../errors.js";

const MAX_CLIENTS = 100_000;

interface Window {
  count: number;
  endsAt: number;
}

export class CreateRateLimiter {
  readonly #limit: NonNullable<ResolvedOptions["createRateLimit"]>;
  /** By the time each window began: every window is as long, so the ended ones lead. */
  readonly #windows = new Map<string, Window>();

  constructor(limit: NonNullable<ResolvedOptions["createRateLimit"]>) {
    this.#limit = limit;
  }

  /** Counts one create request of `req`'s client; throws RateLimitedError (429, Retry-After) past the limit. */
  take(req: unknown, now = Date.now()): void {
    const key = this.#limit.clientKey(req);
    if (typeof key !== "string" || key === "") return;
    let window = this.#windows.get(key);
    if (window === undefined || window.endsAt <= now) {
      this.#windows.delete(key);
      this.#prune(now);
      window = { count: 0, endsAt: now + this.#limit.windowMs };
      this.#windows.set(key, window);
    }
    if (window.count >= this.#limit.max) throw new RateLimitedError(Math.max(1, Math.ceil((window.endsAt - now) / 1000)));
    window.count += 1;
  }

  #prune(now: number): void {
    for (const [key, window] of this.#windows) {
      if (window.endsAt > now && this.#windows.size < MAX_CLIENTS) return;
      this.#windows.delete(key);
    }
  }
}
