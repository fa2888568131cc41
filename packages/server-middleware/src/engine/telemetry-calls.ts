/**
 * Gateway calls, measured and traced once for every call site: the context wraps each adapter
 * (src/engine/context.ts), so create, query, refund, refund query and close are covered without
 * a service knowing. A span `paybridge.gateway.<operation>` (kind client, active, so an HTTP
 * instrumentation's fetch span nests under it), a count and a duration by outcome.
 *
 * No gateway text reaches a span or a metric: a failure is marked with its error code
 * (`gateway_error`, `gateway_timeout`…) or its class name, never its message, which may
 * quote the gateway.
 */
import { SpanKind, SpanStatusCode, type Span, type Tracer } from "@opentelemetry/api";
import { GatewayTimeoutError, PaybridgeError } from "../errors.js";
import type { GatewayAdapter } from "../gateways/contract.js";

export type GatewayCallOperation = "create" | "query" | "refund" | "refund_query" | "close";
export type CallOutcome = "ok" | "error" | "timeout";


/** Counts one call and records its duration, under its outcome. */
export type CallRecorder = (outcome: CallOutcome, seconds: number) => void;

/** The call metrics, when a MeterProvider is registered: a count and a duration by outcome. */
export interface CallMetrics {
  /** The recorder of one gateway's operation, asked once when its adapter is instrumented. */
  recorder(gateway: string, operation: GatewayCallOperation): CallRecorder;
}

/**
 * What one gateway operation's calls share, resolved when the adapter is instrumented: per
 * call only the order number is new (no key built, no map searched, no name concatenated).
 */
interface CallSite {
  readonly gateway: string;
  readonly operation: GatewayCallOperation;
  readonly spanName: string;
  readonly record: CallRecorder | undefined;
}

const SPAN_NAMES: Readonly<Record<GatewayCallOperation, string>> = {
  create: "paybridge.gateway.create",
  query: "paybridge.gateway.query",
  refund: "paybridge.gateway.refund",
  refund_query: "paybridge.gateway.refund_query",
  close: "paybridge.gateway.close",
};
const SPAN_OPTIONS = { kind: SpanKind.CLIENT };

/** A bounded name for what went wrong: the contract's error code, else the class name. */
function errorType(error: unknown): string {
  if (error instanceof PaybridgeError) return error.code;
  return error instanceof Error ? error.name : "unknown";
}

export class GatewayCallTracer {
  readonly #tracer: Tracer | undefined;
  readonly #metrics: CallMetrics | undefined;

  /** Without a tracer and metrics (no SDK registered), adapters are used as they are. */
  constructor(tracer: Tracer | undefined, metrics: CallMetrics | undefined) {
    this.#tracer = tracer;
    this.#metrics = metrics;
  }

  /** The adapter with its gateway operations measured and traced; everything else as it is. */
  instrument(adapter: GatewayAdapter): GatewayAdapter {
    if (!this.#tracer && !this.#metrics) return adapter;
    const { id } = adapter;
    const site = (operation: GatewayCallOperation): CallSite => ({ gateway: id, operation, spanName: SPAN_NAMES[operation], record: this.#metrics?.recorder(id, operation) });
    const [create, query, refund, refundQuery, close] = [site("create"), site("query"), site("refund"), site("refund_query"), site("close")];
    // Each method is looked up on the adapter at call time, and called on it (an adapter may be a
    // class instance, or have a method replaced after start-up).
    return {
      id,
      supports: adapter.supports,
      notifyReply: adapter.notifyReply,
      ...(adapter.refundRules !== undefined ? { refundRules: adapter.refundRules } : {}),
      verifyNotify: (input) => adapter.verifyNotify(input),
      ...(adapter.verifyRefundNotify ? { verifyRefundNotify: (input) => adapter.verifyRefundNotify!(input) } : {}),
      createOrder: (input, http) => this.#run(create, input.orderNo, () => adapter.createOrder(input, http)),
      ...(adapter.queryOrder ? { queryOrder: (input, http) => this.#run(query, input.orderNo, () => adapter.queryOrder!(input, http)) } : {}),
      ...(adapter.refundOrder ? { refundOrder: (input, http) => this.#run(refund, input.orderNo, () => adapter.refundOrder!(input, http)) } : {}),
      ...(adapter.queryRefund ? { queryRefund: (input, http) => this.#run(refundQuery, input.orderNo, () => adapter.queryRefund!(input, http)) } : {}),
      ...(adapter.closeOrder ? { closeOrder: (input, http) => this.#run(close, input.orderNo, () => adapter.closeOrder!(input, http)) } : {}),
      // Not measured as a call (a bill is pages streamed over minutes), but never dropped.
      ...(adapter.fetchBill ? { fetchBill: (input, http) => adapter.fetchBill!(input, http) } : {}),
      ...(adapter.fetchBillFile ? { fetchBillFile: (input, http) => adapter.fetchBillFile!(input, http) } : {}),
      ...(adapter.billColumns !== undefined ? { billColumns: adapter.billColumns } : {}),
    };
  }

  /** Runs one gateway call inside its span (when tracing), then counts it and records its duration by outcome. */
  #run<T>(site: CallSite, orderNo: string, call: () => Promise<T>): Promise<T> {
    if (!this.#tracer) return measure(site, call, undefined);
    return this.#tracer.startActiveSpan(site.spanName, SPAN_OPTIONS, (span: Span) => {
      if (span.isRecording()) {
        // Three calls, not setAttributes({ … }): no object built per call only to be copied.
        span.setAttribute("paybridge.gateway", site.gateway);
        span.setAttribute("paybridge.gateway.operation", site.operation);
        span.setAttribute("paybridge.order_no", orderNo);
      }
      return measure(site, call, span);
    });
  }
}

async function measure<T>(site: CallSite, call: () => Promise<T>, span: Span | undefined): Promise<T> {
  const started = performance.now();
  let outcome: CallOutcome = "ok";
  try {
    return await call();
  } catch (error) {
    outcome = error instanceof GatewayTimeoutError ? "timeout" : "error";
    if (span) {
      const type = errorType(error);
      span.setAttribute("error.type", type);
      span.setStatus({ code: SpanStatusCode.ERROR, message: type });
    }
    throw error;
  } finally {
    span?.end();
    site.record?.(outcome, (performance.now() - started) / 1000);
  }
}
