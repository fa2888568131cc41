/**
 * The operator's view: metrics and traces through `@opentelemetry/api` only. The meter and the
 * tracer are taken when the engine is built, so an application registers its SDK before
 * `paybridge()`; with none registered then, nothing is measured or traced and the engine runs
 * its uninstrumented code paths (the adapters and onPaid as given).
 *
 * Counts are kept as plain numbers and handed to the SDK by observable counters when it
 * collects (a scrape, an export): an SDK's synchronous `add` costs microseconds, which on the
 * notify path would be several per cent of the request (bench/results.json, `telemetry`).
 * Only durations are recorded as they happen (histograms have no observable form).
 *
 * Built once per engine (src/engine/context.ts); engines on one meter share its instruments
 * and counts. Every attribute value comes from a bounded set — configured gateway ids,
 * channels, fixed operations, outcomes and refusal reasons — never free text.
 */
import { createNoopMeter, metrics, trace, type Meter, type ProxyTracerProvider } from "@opentelemetry/api";
import type { OrderRecord } from "../store/contract.js";
import type { ResolvedOptions } from "../config/options.js";
import type { PaybridgeEventMap } from "../types.js";
import { GatewayCallTracer, type CallOutcome, type CallRecorder, type GatewayCallOperation } from "./telemetry-calls.js";
import { MeterCells, type Cell, type GatewayCells, type NotifyRefusal, type RefundOutcome } from "./telemetry-cells.js";

export type { GatewayCallOperation } from "./telemetry-calls.js";
export type { NotifyRefusal } from "./telemetry-cells.js";

/** The instrumentation scope: this package's name and version (test/engine/telemetry-bounds.test.ts keeps it equal to package.json). */
export const INSTRUMENTATION_SCOPE = { name: "@paybridge/server-middleware", version: "0.2.0" } as const;

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

const NOOP_METER = createNoopMeter().constructor;
const NO_ATTRIBUTES = Object.freeze({});
/** One set of instruments and counts per meter (an SDK hands out one meter per scope). */
const byMeter = new WeakMap<Meter, MeterCells>();

type Observers = { [K in keyof PaybridgeEventMap]?: (...args: PaybridgeEventMap[K]) => void };

export class Telemetry {
  /** Undefined when no MeterProvider was registered: then nothing is counted, at no cost. */
  readonly #cells: MeterCells | undefined;
  readonly #calls: GatewayCallTracer;
  readonly #observers: Observers = {
    "order.created": ({ gateway, channel }) => this.#of(gateway).created(channel).value++,
    "notify.rejected": ({ gateway, reason }) => this.#of(gateway).refused(refusalReason(reason)).value++,
    "refund.succeeded": ({ gateway }) => this.refundOutcome(gateway, "succeeded"),
    "refund.failed": ({ gateway }) => this.refundOutcome(gateway, "failed"),
  };

  constructor() {
    const { name, version } = INSTRUMENTATION_SCOPE;
    const meter = metrics.getMeter(name, version);
    let cells = byMeter.get(meter);
    if (!cells && meter.constructor !== NOOP_METER) byMeter.set(meter, (cells = new MeterCells(meter)));
    this.#cells = cells;
    // The registered provider's own tracer, or none: spans cost nothing unless someone records them.
    const provider = trace.getTracerProvider() as Partial<ProxyTracerProvider>;
    const tracer = typeof provider.getDelegateTracer === "function" ? provider.getDelegateTracer(name, version) : trace.getTracer(name, version);
    this.#calls = new GatewayCallTracer(
      tracer,
      cells && {
        recorder: (gateway: string, operation: GatewayCallOperation): CallRecorder => {
          // The three cells found once: a call only counts and records, on its cell's frozen attributes.
          const gatewayCells = cells.of(gateway);
          const byOutcome: Readonly<Record<CallOutcome, Cell>> = {
            ok: gatewayCells.call(operation, "ok"),
            error: gatewayCells.call(operation, "error"),
            timeout: gatewayCells.call(operation, "timeout"),
          };
          return (outcome, seconds) => {
            const cell = byOutcome[outcome];
            cell.value++;
            cells.callDuration.record(seconds, cell.attributes);
          };
        },
      },
    );
  }

  /** The gateway calls: measured and traced adapters (src/engine/telemetry-calls.ts). */
  get calls(): GatewayCallTracer {
    return this.#calls;
  }

  /** Counts what an engine event says (called by the context's emit, listeners or not). */
  observe<K extends keyof PaybridgeEventMap>(event: K, ...args: PaybridgeEventMap[K]): void {
    if (!this.#cells) return;
    const observer = this.#observers[event] as ((...observed: PaybridgeEventMap[K]) => void) | undefined;
    observer?.(...args);
  }

  /** A notify verified and naming one of this gateway's orders (or refunds) for its amount. */
  notifyAccepted(gateway: string): void {
    if (this.#cells) this.#of(gateway).accepted.value++;
  }

  /**
   * An order just became paid: counted by gateway and channel, and how long after its creation
   * — without attributes: an SDK hashes a recording's attributes each time (about 2 µs, most of
   * what an SDK adds to a paid notify), and a payer's time to pay is the shop's, not the gateway's.
   */
  paid(record: OrderRecord): void {
    if (!this.#cells) return;
    this.#of(record.gateway).paid(record.channel).value++;
    const seconds = (Date.now() - Date.parse(record.createdAt)) / 1000;
    if (seconds >= 0) this.#cells.timeToPaid.record(seconds, NO_ATTRIBUTES);
  }

  refundOutcome(gateway: string, outcome: RefundOutcome): void {
    if (this.#cells) this.#of(gateway).refund(outcome).value++;
  }

  /** The merchant's onPaid, its runs and failures counted (itself, untouched, when nothing counts). */
  onPaid(onPaid: ResolvedOptions["onPaid"]): ResolvedOptions["onPaid"] {
    if (!this.#cells) return onPaid;
    const failed = (gateway: string) => (error: unknown) => {
      this.#of(gateway).onPaidFailures.value++;
      throw error;
    };
    // Not an async wrapper: that would cost a promise and a turn more on every paid notify.
    return (payment, context) => {
      this.#of(payment.gateway).onPaidRuns.value++;
      let ran: void | Promise<void>;
      try {
        ran = onPaid(payment, context);
      } catch (error) {
        return failed(payment.gateway)(error);
      }
      return typeof (ran as PromiseLike<void> | undefined)?.then === "function" ? Promise.resolve(ran).catch(failed(payment.gateway)) : ran;
    };
  }

  #of(gateway: string): GatewayCells {
    return this.#cells!.of(gateway);
  }
}
