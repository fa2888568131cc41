/**
 * The least any telemetry of a gateway call makes the SDK do, written by hand (what the issue
 * asks of a call): a client span made active with its three attributes, ended, and one duration
 * recording on a prepared attribute set. The telemetry section's `floor` side and the callgrind
 * count (telemetry-call-instructions.mjs) both measure paybridge's instrumentation against it.
 */
import { SpanKind } from "@opentelemetry/api";

const OPTIONS = { kind: SpanKind.CLIENT };
/** The keys paybridge's call-duration cells carry (src/engine/telemetry-cells.ts): the SDK hashes them on every recording. */
const ATTRIBUTES = Object.freeze({ gateway: "bench", operation: "create", outcome: "ok" });

/** `adapter.createOrder`, traced by `tracer` and timed into `callDuration` (a histogram). */
export function floorCreateOrder(adapter, tracer, callDuration) {
  return (input, http) =>
    tracer.startActiveSpan("paybridge.gateway.create", OPTIONS, async (span) => {
      span.setAttribute("paybridge.gateway", "bench");
      span.setAttribute("paybridge.gateway.operation", "create");
      span.setAttribute("paybridge.order_no", input.orderNo);
      const started = performance.now();
      try {
        return await adapter.createOrder(input, http);
      } finally {
        span.end();
        callDuration.record((performance.now() - started) / 1000, ATTRIBUTES);
      }
    });
}
