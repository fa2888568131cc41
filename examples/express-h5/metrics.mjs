// @ts-check
/**
 * The demo's metrics: an OpenTelemetry MeterProvider whose reader is the Prometheus exporter,
 * registered before paybridge() is built (paybridge takes its meter then), and served on the
 * demo's own `GET /metrics` — no second port. One provider per process: a second demo in the
 * same process (the tests start several) shares it.
 */
import { metrics } from "@opentelemetry/api";
import { PrometheusExporter } from "@opentelemetry/exporter-prometheus";
import { MeterProvider } from "@opentelemetry/sdk-metrics";

/** @type {PrometheusExporter | undefined} */
let exporter;

/**
 * Registers the process's MeterProvider the first time; answers the Express handler of `/metrics`.
 * @returns {import("express").RequestHandler}
 */
export function prometheusMetrics() {
  if (!exporter) {
    // preventServerStart: the exporter would otherwise listen on its own port (9464, all interfaces).
    const created = new PrometheusExporter({ preventServerStart: true });
    if (!metrics.setGlobalMeterProvider(new MeterProvider({ readers: [created] }))) {
      throw new Error("another OpenTelemetry MeterProvider is registered in this process already");
    }
    exporter = created;
  }
  const reader = exporter;
  return (req, res) => reader.getMetricsRequestHandler(req, res);
}
