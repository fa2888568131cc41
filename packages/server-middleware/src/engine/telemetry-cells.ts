/**
 * The counts behind the telemetry's counters, and the instruments that report them: one
 * `MeterCells` per meter, one `GatewayCells` per gateway, one cell per attribute set — created
 * at its first count, so a series exists only once something happened. Counting is `cell.value++`;
 * the SDK reads every cell when it collects, through the observable counters' callbacks.
 */
import type { Attributes, Histogram, Meter, ObservableResult } from "@opentelemetry/api";
import type { CallOutcome, GatewayCallOperation } from "./telemetry-calls.js";

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

export type RefundOutcome = "succeeded" | "failed" | "processing";

/** Histogram buckets in seconds: a gateway call (ms to the 10 s timeout), and create → paid (a payer's minutes). */
const CALL_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10, 30];
const PAID_BUCKETS = [1, 5, 10, 20, 30, 60, 120, 300, 600, 1800, 3600, 7200, 86400];
/** Gateways are configured, so few; past this bound a gateway's counts are not kept (nor reported). */
const MAX_GATEWAYS = 1024;

export interface Cell {
  readonly attributes: Attributes;
  value: number;
}

const cell = (attributes: Record<string, string>): Cell => ({ attributes: Object.freeze(attributes), value: 0 });

function cellIn<K>(cells: Map<K, Cell>, key: K, attributes: () => Record<string, string>): Cell {
  let found = cells.get(key);
  if (!found) cells.set(key, (found = cell(attributes())));
  return found;
}

/** One gateway's counts, by attribute set. */
export class GatewayCells {
  readonly accepted: Cell;
  readonly onPaidRuns: Cell;
  readonly onPaidFailures: Cell;
  readonly #created = new Map<string, Cell>();
  readonly #paid = new Map<string, Cell>();
  readonly #refused = new Map<NotifyRefusal, Cell>();
  readonly #refunds = new Map<RefundOutcome, Cell>();
  readonly #calls = new Map<string, Cell>();

  constructor(readonly gateway: string) {
    this.accepted = cell({ gateway, outcome: "accepted" });
    this.onPaidRuns = cell({ gateway });
    this.onPaidFailures = cell({ gateway });
  }

  created(channel: string): Cell {
    return cellIn(this.#created, channel, () => ({ gateway: this.gateway, channel }));
  }

  paid(channel: string): Cell {
    return cellIn(this.#paid, channel, () => ({ gateway: this.gateway, channel }));
  }

  refused(reason: NotifyRefusal): Cell {
    return cellIn(this.#refused, reason, () => ({ gateway: this.gateway, outcome: "refused", reason }));
  }

  refund(outcome: RefundOutcome): Cell {
    return cellIn(this.#refunds, outcome, () => ({ gateway: this.gateway, outcome }));
  }

  call(operation: GatewayCallOperation, outcome: CallOutcome): Cell {
    return cellIn(this.#calls, `${operation} ${outcome}`, () => ({ gateway: this.gateway, operation, outcome }));
  }

  /** The cells each counter reports. */
  static readonly COUNTERS: ReadonlyArray<readonly [name: string, unit: string, description: string, cells: (g: GatewayCells) => Iterable<Cell>]> = [
    ["paybridge.orders.created", "{order}", "Orders created at a gateway", (g) => g.#created.values()],
    ["paybridge.orders.paid", "{order}", "Orders that became paid (by a notify or a query)", (g) => g.#paid.values()],
    ["paybridge.notifies", "{notify}", "Gateway notifies, accepted (verified, naming an order) or refused", (g) => [g.accepted, ...g.#refused.values()]],
    ["paybridge.on_paid.runs", "{run}", "Runs of the merchant's onPaid", (g) => [g.onPaidRuns]],
    ["paybridge.on_paid.failures", "{run}", "Runs of onPaid that threw (the gateway's retry runs it again)", (g) => [g.onPaidFailures]],
    ["paybridge.refunds", "{refund}", "Refund outcomes: succeeded / failed once per refund, processing once per send that left it unsettled", (g) => g.#refunds.values()],
    ["paybridge.gateway.calls", "{call}", "Calls to a gateway's API", (g) => g.#calls.values()],
  ];
}

/** A meter's instruments and every gateway's counts. */
export class MeterCells {
  readonly timeToPaid: Histogram;
  readonly callDuration: Histogram;
  readonly #gateways = new Map<string, GatewayCells>();

  constructor(meter: Meter) {
    this.timeToPaid = meter.createHistogram("paybridge.order.time_to_paid", {
      unit: "s",
      description: "From an order's creation to paybridge learning it was paid",
      advice: { explicitBucketBoundaries: PAID_BUCKETS },
    });
    this.callDuration = meter.createHistogram("paybridge.gateway.call.duration", {
      unit: "s",
      description: "Duration of calls to a gateway's API",
      advice: { explicitBucketBoundaries: CALL_BUCKETS },
    });
    for (const [name, unit, description, cells] of GatewayCells.COUNTERS) {
      meter.createObservableCounter(name, { unit, description }).addCallback((result: ObservableResult) => {
        for (const gateway of this.#gateways.values()) {
          // A cell appears at its first count: one still at 0 (onPaid never failed) is no series yet.
          for (const counted of cells(gateway)) if (counted.value > 0) result.observe(counted.value, counted.attributes);
        }
      });
    }
  }

  of(gateway: string): GatewayCells {
    let cells = this.#gateways.get(gateway);
    if (cells) return cells;
    cells = new GatewayCells(gateway);
    if (this.#gateways.size < MAX_GATEWAYS) this.#gateways.set(gateway, cells);
    return cells;
  }
}
