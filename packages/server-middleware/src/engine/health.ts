/**
 * `health()`: whether this instance can serve, for a readiness probe. The store must answer —
 * its `ping()`, else a read of an order number no order can have — within a timeout, so a
 * probe never hangs on a store that is reconnecting. The gateways are listed as configured;
 * they are not called (a probe every few seconds must not become traffic to a payment API).
 */
import { InvalidRequestError } from "../errors.js";
import { redactGatewayText } from "../redact.js";
import type { OrderStore } from "../store/contract.js";
import type { HealthOptions, HealthReport } from "../types.js";

export const DEFAULT_HEALTH_TIMEOUT_MS = 2_000;
/** `:` is in no order number (src/engine/input.ts), so no order is stored under this one. */
const PROBE_ORDER_NO = "paybridge:health";

export class HealthService {
  readonly #store: OrderStore;
  readonly #gateways: () => string[];

  /** `gateways`: the configured gateway ids, as the report lists them. */
  constructor(store: OrderStore, gateways: () => string[]) {
    this.#store = store;
    this.#gateways = gateways;
  }

  async check(options: HealthOptions = {}): Promise<HealthReport> {
    const timeoutMs = options.timeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS;
    if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) throw new InvalidRequestError("timeoutMs must be a positive whole number of ms", "timeoutMs");
    const store = this.#store;
    const started = performance.now();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let error: string | undefined;
    try {
      // Inside a promise, so a store that throws instead of rejecting is reported the same way.
      const answered = Promise.resolve().then(async () => {
        if (store.ping) await store.ping();
        else await store.get(PROBE_ORDER_NO);
      });
      // The loser of the race may still reject later: that is no unhandled rejection.
      answered.catch(() => undefined);
      const late = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([answered, late]);
    } catch (caught) {
      error = describe(caught);
    } finally {
      clearTimeout(timer);
    }
    const latencyMs = Math.round((performance.now() - started) * 10) / 10;
    const storeHealth = error === undefined ? { ok: true, latencyMs } : { ok: false, latencyMs, error };
    return { ok: storeHealth.ok, store: storeHealth, gateways: this.#gateways() };
  }
}

/**
 * A store's failure as the report states it: the class name and the message with credentials
 * cut — a URL's user:password, secret-named values, any adapter key (src/redact.ts) — and bounded.
 */
function describe(error: unknown): string {
  if (!(error instanceof Error)) return "store check failed";
  const message = error.message.replace(/\/\/[^\s/@]*@/g, "//[redacted]@");
  return `${error.name}: ${redactGatewayText(message)}`;
}
