/**
 * The operator's view: metrics and traces through `@opentelemetry/api` only. Until the
 * application registers an SDK every instrument is the API's no-op. The meter is taken when the
 * engine is built, so an SDK's MeterProvider must be registered before `paybridge()` (the
 * tracer follows a provider registered later too).
 *
 * Built once per engine (src/engine/context.ts). Every attribute value comes from a bounded
 * set — configured gateway ids, channels, fixed operations, outcomes and refusal reasons —
 * never free text a notify or a gateway could fill.
 */
import { metrics, trace, type Attributes, type Counter, type Histogram } from "@opentelemetry/api";
import type { OrderRecord } from "../store/contract.js";
import type { Payment, PaybridgeEventMap } from "../types.js";
import { GatewayCallTracer } from "./telemetry-calls.js";

export { type GatewayCallOperation } from "./telemetry-calls.js";

/** The instrumentation scope: this package's name and version (test/engine/telemetry-names.test.ts keeps it equal to package.json). */
export const INSTRUMENTATION_SCOPE = { name: "@paybridge/server-middleware", version: "0.1.0" } as const;

/** Why a notify was refused, as a metric attribute: a fixed set, never the refusal's own text. */
export type NotifyRefusal =
  | "signature"
  | "unreadable"
  | "unknown_order"
  | "wrong_gateway"
  | "amount_mismatch"
  | "unknown_refund"
  | "body_too_large"
  | "body_encoded"
  | "raw_body_required"
  | "invalid";

/**
 * The engine's refusal texts (src/engine/notify.ts, refunds/service.ts, src/http/core.ts) by
 * their fixed start; an adapter's own refusal (a field missing, another merchant's notify) is
 * `invalid`, or `signature` when it says so.
 */
const REFUSALS: ReadonlyArray<readonly [prefix: string, reason: NotifyRefusal]> = [
  ["unknown order", "unknown_order"],
  ["order belongs to gateway", "wrong_gateway"],
  ["amount does not match", "amount_mismatch"],
  ["unknown refund", "unknown_refund"],
  ["unreadable", "unreadable"],
  ["body could not be read", "unreadable"],
  ["body is larger than the limit", "body_too_large"],
  ["body must not be encoded", "body_encoded"],
  ["the notify body was parsed", "raw_body_required"],
];

export function refusalReason(text: string): NotifyRefusal {
  for (const [prefix, reason] of REFUSALS) if (text.startsWith(prefix)) return reason;
  return /signature/i.test(text) ? "signature" : "invalid";
}

/** Histogram buckets in seconds: a gateway call (ms to the 10 s timeout), and create → paid (a payer's minutes). */
const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30];
const PAID_BUCKETS = [1, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 7200, 86400];

/** Attribute sets are reused, one per distinct combination: bounded by what is configured, and capped regardless. */
const MAX_ATTRIBUTE_SETS = 4096;

type Observers = { [K in keyof PaybridgeEventMap]?: (...args: PaybridgeEventMap[K]) => void };

export class Telemetry {
  readonly #created: Counter;
  readonly #paid: Counter;
  readonly #timeToPaid: Histogram;
  readonly #notifies: Counter;
  readonly #onPaidRuns: Counter;
  readonly #onPaidFailures: Counter;
  readonly #refunds: Counter;
  readonly #calls: GatewayCallTracer;
  readonly #attributeSets = new Map<string, Attributes>();
  readonly #observers: Observers;

  constructor() {
    const meter = metrics.getMeter(INSTRUMENTATION_SCOPE.name, INSTRUMENTATION_SCOPE.version);
    const tracer = trace.getTracer(INSTRUMENTATION_SCOPE.name, INSTRUMENTATION_SCOPE.version);
    const order = { unit: "{order}" };
    this.#created = meter.createCounter("paybridge.orders.created", { ...order, description: "Orders created at a gateway" });
    this.#paid = meter.createCounter("paybridge.orders.paid", { ...order, description: "Orders that became paid (by a notify or a query)" });
    this.#timeToPaid = meter.createHistogram("paybridge.order.time_to_paid", {
      unit: "s",
      description: "From an order's creation to paybridge learning it was paid",
      advice: { explicitBucketBoundaries: PAID_BUCKETS },
    });
    this.#notifies = meter.createCounter("paybridge.notifies", { unit: "{notify}", description: "Gateway notifies, accepted (verified, naming an order) or refused" });
    this.#onPaidRuns = meter.createCounter("paybridge.on_paid.runs", { unit: "{run}", description: "Runs of the merchant's onPaid" });
    this.#onPaidFailures = meter.createCounter("paybridge.on_paid.failures", { unit: "{run}", description: "Runs of onPaid that threw (the gateway's retry runs it again)" });
    this.#refunds = meter.createCounter("paybridge.refunds", {
      unit: "{refund}",
      description: "Refund outcomes: succeeded / failed once per refund, processing once per send that left it unsettled",
    });
    this.#calls = new GatewayCallTracer(
      tracer,
      meter.createCounter("paybridge.gateway.calls", { unit: "{call}", description: "Calls to a gateway's API" }),
      meter.createHistogram("paybridge.gateway.call.duration", {
        unit: "s",
        description: "Duration of calls to a gateway's API",
        advice: { explicitBucketBoundaries: CALL_BUCKETS },
      }),
      (...values) => this.#attributes(values),
    );
    this.#observers = {
      "order.created": ({ gateway, channel }) => this.#created.add(1, this.#attributes(["gateway", gateway, "channel", channel])),
      "notify.rejected": ({ gateway, reason }) => this.#notifies.add(1, this.#attributes(["gateway", gateway, "outcome", "refused", "reason", refusalReason(reason)])),
      "refund.succeeded": ({ gateway }) => this.refundOutcome(gateway, "succeeded"),
      "refund.failed": ({ gateway }) => this.refundOutcome(gateway, "failed"),
    };
  }

  /** The gateway calls: measured and traced adapters (src/engine/telemetry-calls.ts). */
  get calls(): GatewayCallTracer {
    return this.#calls;
  }

  /** Counts what an engine event says (called by the context's emit, listeners or not). */
  observe<K extends keyof PaybridgeEventMap>(event: K, ...args: PaybridgeEventMap[K]): void {
    const observer = this.#observers[event] as ((...observed: PaybridgeEventMap[K]) => void) | undefined;
    observer?.(...args);
  }

  /** A notify verified and naming one of this gateway's orders (or refunds) for its amount. */
  notifyAccepted(gateway: string): void {
    this.#notifies.add(1, this.#attributes(["gateway", gateway, "outcome", "accepted"]));
  }

  /** An order just became paid: counted, and how long after its creation. */
  paid(record: OrderRecord): void {
    const attributes = this.#attributes(["gateway", record.gateway, "channel", record.channel]);
    this.#paid.add(1, attributes);
    const seconds = (Date.now() - Date.parse(record.createdAt)) / 1000;
    if (Number.isFinite(seconds) && seconds >= 0) this.#timeToPaid.record(seconds, attributes);
  }

  refundOutcome(gateway: string, outcome: "succeeded" | "failed" | "processing"): void {
    this.#refunds.add(1, this.#attributes(["gateway", gateway, "outcome", outcome]));
  }

  /** The merchant's onPaid, its runs and failures counted; what it does and throws unchanged. */
  onPaid(onPaid: (payment: Payment) => void | Promise<void>): (payment: Payment) => Promise<void> {
    return async (payment) => {
      const attributes = this.#attributes(["gateway", payment.gateway]);
      this.#onPaidRuns.add(1, attributes);
      try {
        await onPaid(payment);
      } catch (error) {
        this.#onPaidFailures.add(1, attributes);
        throw error;
      }
    };
  }

  /** One shared attribute object per combination of `[name, value, name, value…]`. */
  #attributes(pairs: readonly string[]): Attributes {
    const key = pairs.join("\u0000");
    let attributes = this.#attributeSets.get(key);
    if (attributes) return attributes;
    const built: Record<string, string> = {};
    for (let i = 0; i + 1 < pairs.length; i += 2) built[pairs[i]!] = pairs[i + 1]!;
    attributes = Object.freeze(built);
    if (this.#attributeSets.size < MAX_ATTRIBUTE_SETS) this.#attributeSets.set(key, attributes);
    return attributes;
  }
}
