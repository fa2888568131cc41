/**
 * A fulfilment claim kept alive while its holder runs the merchant's hook (onPaid, onRefunded):
 * every third of `fulfilmentLeaseMs` one compare-and-set extends its lease, only while the record
 * still carries this claim. So only a holder whose process died, or which could not reach the
 * store, loses its claim — not a slow one. The hook's AbortSignal fires when the claim is lost:
 * another run holds the record, or the store failed twice in a row (by the next renewal the
 * lease may have run out, and another run may start).
 */
import type { OrderRecord } from "../store/contract.js";
import type { EngineContext } from "./context.js";
import type { RecordFields } from "./transition.js";

/** Renewals that may fail in a row before the claim counts as lost. */
const MAX_FAILED_RENEWALS = 2;

/**
 * The patch extending a claim's lease to `leaseUntil`, or undefined when `current` no longer
 * carries that claim.
 */
export type Renewal = (current: OrderRecord, leaseUntil: number) => Partial<RecordFields> | undefined;

/** What a hook is handed: its claim's signal, made when first read (most hooks never read it). */
export interface Holding {
  readonly signal: AbortSignal;
}

/** Runs `hook` with a signal while renewing the claim `renew` describes; stops renewing when it settles. */
export async function runHolding<T>(ctx: EngineContext, orderNo: string, renew: Renewal, hook: (holding: Holding) => T | Promise<T>): Promise<T> {
  const leaseMs = ctx.options.fulfilmentLeaseMs;
  // Made on first use, by the hook reading `signal` or by a lost claim: an AbortController per
  // onPaid was a visible part of a notify's CPU, for a signal few hooks look at.
  let controller: AbortController | undefined;
  const holding: Holding = {
    get signal() {
      return (controller ??= new AbortController()).signal;
    },
  };
  let timer: NodeJS.Timeout | undefined;
  let running = true;
  let failures = 0;

  const lose = (reason: string): void => {
    if (!running) return;
    ctx.options.logger.warn("a fulfilment claim was lost while its hook ran; its signal fires", { orderNo, reason });
    (controller ??= new AbortController()).abort(new Error(`the fulfilment claim was lost: ${reason}`));
  };
  const renewNow = async (): Promise<void> => {
    let held = false;
    try {
      await ctx.transition(orderNo, (current) => {
        const patch = renew(current, Date.now() + leaseMs);
        held = patch !== undefined;
        return patch;
      });
      failures = 0;
    } catch {
      failures += 1;
      if (failures >= MAX_FAILED_RENEWALS) return lose("the store failed to renew its lease");
      return schedule();
    }
    if (!held) return lose("another run holds the order");
    schedule();
  };
  const schedule = (): void => {
    if (!running) return;
    timer = setTimeout(() => void renewNow(), Math.max(1, Math.floor(leaseMs / 3)));
    timer.unref();
  };

  schedule();
  try {
    return await hook(holding);
  } finally {
    running = false;
    clearTimeout(timer);
  }
}
