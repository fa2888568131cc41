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
import { SpanKind, SpanStatusCode, type Attributes, type Counter, type Histogram, type Span, type Tracer } from "@opentelemetry/api";
import { GatewayTimeoutError, PaybridgeError } from "../errors.js";
import type { PaybridgeOptions } from "../types.js";

export type GatewayCallOperation = "create" | "query" | "refund" | "refund_query" | "close";
type Outcome = "ok" | "error" | "timeout";
/** The adapter contract, named through the options that take it (the engine names no gateway file). */
type GatewayAdapter = PaybridgeOptions["gateways"][number];

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
  readonly #tracer: Tracer;
  readonly #calls: Counter;
  readonly #duration: Histogram;
  readonly #attributes: (...pairs: string[]) => Attributes;

  constructor(tracer: Tracer, calls: Counter, duration: Histogram, attributes: (...pairs: string[]) => Attributes) {
    this.#tracer = tracer;
    this.#calls = calls;
    this.#duration = duration;
    this.#attributes = attributes;
  }

  /** The adapter with its gateway operations measured and traced; everything else as it is. */
  instrument(adapter: GatewayAdapter): GatewayAdapter {
    const { id } = adapter;
    // Each method is looked up on the adapter at call time, and called on it (an adapter may be a
    // class instance, or have a method replaced after start-up).
    return {
      id,
      supports: adapter.supports,
      notifyReply: adapter.notifyReply,
      ...(adapter.refundRules !== undefined ? { refundRules: adapter.refundRules } : {}),
      verifyNotify: (input) => adapter.verifyNotify(input),
      ...(adapter.verifyRefundNotify ? { verifyRefundNotify: (input) => adapter.verifyRefundNotify!(input) } : {}),
      createOrder: (input, http) => this.run(id, "create", input.orderNo, () => adapter.createOrder(input, http)),
      ...(adapter.queryOrder ? { queryOrder: (input, http) => this.run(id, "query", input.orderNo, () => adapter.queryOrder!(input, http)) } : {}),
      ...(adapter.refundOrder ? { refundOrder: (input, http) => this.run(id, "refund", input.orderNo, () => adapter.refundOrder!(input, http)) } : {}),
      ...(adapter.queryRefund ? { queryRefund: (input, http) => this.run(id, "refund_query", input.orderNo, () => adapter.queryRefund!(input, http)) } : {}),
      ...(adapter.closeOrder ? { closeOrder: (input, http) => this.run(id, "close", input.orderNo, () => adapter.closeOrder!(input, http)) } : {}),
    };
  }

  /** Runs one gateway call inside its span, then counts it and records its duration by outcome. */
  run<T>(gateway: string, operation: GatewayCallOperation, orderNo: string, call: () => Promise<T>): Promise<T> {
    return this.#tracer.startActiveSpan(SPAN_NAMES[operation], SPAN_OPTIONS, async (span: Span) => {
      // Attributes built only for a span an SDK records: no cost without one.
      if (span.isRecording()) span.setAttributes({ "paybridge.gateway": gateway, "paybridge.gateway.operation": operation, "paybridge.order_no": orderNo });
      const started = performance.now();
      let outcome: Outcome = "ok";
      try {
        return await call();
      } catch (error) {
        outcome = error instanceof GatewayTimeoutError ? "timeout" : "error";
        const type = errorType(error);
        span.setAttribute("error.type", type);
        span.setStatus({ code: SpanStatusCode.ERROR, message: type });
        throw error;
      } finally {
        span.end();
        const attributes = this.#attributes("gateway", gateway, "operation", operation, "outcome", outcome);
        this.#calls.add(1, attributes);
        this.#duration.record((performance.now() - started) / 1000, attributes);
      }
    });
  }
}
