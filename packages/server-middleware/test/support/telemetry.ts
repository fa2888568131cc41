/**
 * An OpenTelemetry SDK registered for one test, as an application would register it before
 * building its router: a MeterProvider with a reader the test collects, and a tracer provider
 * keeping every span in memory. `uninstall()` puts the API back to its no-op.
 */
import { metrics, trace, type Attributes } from "@opentelemetry/api";
import { MeterProvider, MetricReader, type HistogramMetricData, type MetricData } from "@opentelemetry/sdk-metrics";
import { BasicTracerProvider, InMemorySpanExporter, SimpleSpanProcessor, type ReadableSpan } from "@opentelemetry/sdk-trace-base";

/** A reader that exports nowhere: the test calls collect() itself. */
class CollectingReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface InstalledTelemetry {
  /** Every metric collected now, by name, with the scope it came from. */
  collect(): Promise<Map<string, MetricData & { scope: { name: string; version?: string } }>>;
  /** A counter's value for exactly these attributes (0 when never recorded). */
  counter(name: string, attributes: Attributes): Promise<number>;
  /** A histogram's count and sum for exactly these attributes (count 0 when never recorded). */
  histogram(name: string, attributes: Attributes): Promise<{ count: number; sum: number }>;
  /** Every attribute set a metric was recorded with. */
  attributeSets(name: string): Promise<Attributes[]>;
  spans(): ReadableSpan[];
  uninstall(): Promise<void>;
}

export function installTelemetry(): InstalledTelemetry {
  const reader = new CollectingReader();
  const meterProvider = new MeterProvider({ readers: [reader] });
  const exporter = new InMemorySpanExporter();
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
  metrics.disable();
  trace.disable();
  if (!metrics.setGlobalMeterProvider(meterProvider) || !trace.setGlobalTracerProvider(tracerProvider)) {
    throw new Error("an OpenTelemetry provider is registered already");
  }
  const collect: InstalledTelemetry["collect"] = async () => {
    const { resourceMetrics, errors } = await reader.collect();
    if (errors.length > 0) throw new AggregateError(errors, "metric collection failed");
    const found = new Map<string, MetricData & { scope: { name: string; version?: string } }>();
    for (const { scope, metrics: list } of resourceMetrics.scopeMetrics) {
      for (const metric of list) found.set(metric.descriptor.name, { ...metric, scope });
    }
    return found;
  };
  const pointOf = async (name: string, attributes: Attributes) => {
    const metric = (await collect()).get(name);
    const points = (metric?.dataPoints ?? []) as Array<{ attributes: Attributes; value: unknown }>;
    return points.find((point) => sameAttributes(point.attributes, attributes));
  };
  return {
    collect,
    async counter(name, attributes) {
      return ((await pointOf(name, attributes))?.value as number | undefined) ?? 0;
    },
    async histogram(name, attributes) {
      const value = (await pointOf(name, attributes))?.value as HistogramMetricData["dataPoints"][number]["value"] | undefined;
      return { count: value?.count ?? 0, sum: value?.sum ?? 0 };
    },
    async attributeSets(name) {
      const metric = (await collect()).get(name);
      return (metric?.dataPoints ?? []).map((point) => point.attributes);
    },
    spans: () => exporter.getFinishedSpans(),
    async uninstall() {
      metrics.disable();
      trace.disable();
      await Promise.all([meterProvider.shutdown(), tracerProvider.shutdown()]);
    },
  };
}

function sameAttributes(a: Attributes, b: Attributes): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}
