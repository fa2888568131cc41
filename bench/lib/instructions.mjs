/**
 * Helpers for counting instructions under callgrind (bench/lib/telemetry-*instructions.mjs):
 * switching its instrumentation from inside the process, and an OpenTelemetry SDK registered
 * as an application registers it.
 */
import { spawn } from "node:child_process";

/** Tells callgrind (under valgrind) `args`, turning the event loop until it has answered: it reads commands while code runs. */
export async function callgrind(...args) {
  if (!process.env.CALLGRIND) return;
  const control = spawn("callgrind_control", [...args, String(process.pid)], { stdio: ["ignore", "ignore", "inherit"] });
  let done = false;
  control.on("exit", () => (done = true));
  while (!done) await new Promise((resolve) => setImmediate(resolve));
}

/** A MeterProvider with a reader and a tracer provider batching spans (BatchSpanProcessor) to an exporter that only counts. */
export async function registerSdk() {
  const { metrics, trace } = await import("@opentelemetry/api");
  const { MeterProvider, MetricReader } = await import("@opentelemetry/sdk-metrics");
  const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  class Reader extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  let spans = 0;
  const exporter = { export: (batch, done) => ((spans += batch.length), done({ code: 0 })), async shutdown() {} };
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Reader()] }));
  trace.setGlobalTracerProvider(tracerProvider);
  return { spans: async () => (await tracerProvider.forceFlush(), spans) };
}
