/**
 * The telemetry section's process (bench/sections/telemetry.mjs): four paybridge web handlers
 * (BUILT), each with its own store, side by side in this one process. paybridge decides when it
 * is built whether an SDK is there, so `none`, `control` and `floor` are built while no
 * OpenTelemetry SDK is registered (they run uninstrumented for good; `control` measures the
 * method's own noise) and `sdk` while one is (a MeterProvider whose reader is collected at the
 * end, a tracer provider batching spans to an exporter that only counts; unregistered again
 * right after, the handler keeps them). `floor` wraps its adapter and onPaid in the least
 * telemetry the issue asks for, written by hand straight on the same SDK's providers: what
 * the SDK costs whoever instruments the calls, so `sdk` against it is paybridge's own part.
 * The order they are built in is the parent's `buildOrder`: the first built may run faster or
 * slower. One process, so the sides share its heap, JIT and CPU: the parent rotates their slices.
 *
 * Requests are fetch-API objects handed to the handler (no socket of its own); a create calls
 * the gateway through paybridge's gateway client over loopback HTTP to a stub in the parent
 * that answers at once (a real create's call goes over TLS and the internet, costing far more).
 *
 * Handlers: `slice({ side, kind, from, count })` creates (or pays, by first-time notifies)
 * orders from..from+count after a minor GC, and answers CPU and wall µs per operation;
 * `finish` checks onPaid ran once per order on each side and what the SDK recorded;
 * `micro({ side, calls, slices })` times the instrumented adapter call against the raw one
 * (an adapter that answers at once) and the telemetry calls a create and a notify make — the
 * side's own Telemetry: with `none` the engine's unwrapped paths, with `sdk` what each costs.
 * Bounded: every loop runs a fixed count.
 */
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { serveParent } from "../lib/child.mjs";
import { repoRoot } from "../lib/paths.mjs";
import { floorCreateOrder } from "../lib/telemetry-floor.mjs";

const dist = (file) => pathToFileURL(join(repoRoot, "packages/server-middleware/dist", file)).href;
const KEY = "bench-telemetry-key-0123456789abcdef";
const CONCURRENCY = 8;
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

/** An SDK, made once; registered globally only while the `sdk` side is built. */
async function createSdk() {
  const { metrics, trace } = await import("@opentelemetry/api");
  const { MeterProvider, MetricReader } = await import("@opentelemetry/sdk-metrics");
  const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
  class Reader extends MetricReader {
    async onForceFlush() {}
    async onShutdown() {}
  }
  const reader = new Reader();
  let exportedSpans = 0;
  const exporter = {
    export(spans, done) {
      exportedSpans += spans.length;
      done({ code: 0 });
    },
    async shutdown() {},
  };
  const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] });
  const meterProvider = new MeterProvider({ readers: [reader] });
  return {
    tracerProvider,
    meterProvider,
    register() {
      metrics.setGlobalMeterProvider(meterProvider);
      trace.setGlobalTracerProvider(tracerProvider);
    },
    /** What was built meanwhile keeps its meter and tracer. */
    unregister() {
      metrics.disable();
      trace.disable();
    },
    async finish() {
      await tracerProvider.forceFlush();
      const { resourceMetrics } = await reader.collect();
      const sums = {};
      for (const scope of resourceMetrics.scopeMetrics) {
        for (const metric of scope.metrics) {
          sums[metric.descriptor.name] = metric.dataPoints.reduce((sum, point) => sum + (typeof point.value === "number" ? point.value : point.value.count), 0);
        }
      }
      return { spans: exportedSpans, metrics: sums };
    },
  };
}

/**
 * The `floor` side's telemetry, straight on the SDK's providers (the handler itself is built
 * with no SDK registered, so paybridge adds nothing): the least any code producing what the
 * issue asks of a create and a notify makes the SDK do — the gateway call's client span, made
 * active, with its three attributes, ended, and one duration recording on a prepared attribute
 * set; a paid notify's time-to-paid recording. The sdk side against it is paybridge's own part.
 */
function floorTelemetry({ tracerProvider, meterProvider }) {
  const tracer = tracerProvider.getTracer("paybridge-bench-floor");
  const meter = meterProvider.getMeter("paybridge-bench-floor");
  const callDuration = meter.createHistogram("floor.gateway.call.duration", { unit: "s" });
  const timeToPaid = meter.createHistogram("floor.order.time_to_paid", { unit: "s" });
  const none = Object.freeze({});
  return {
    wrap: (adapter) => ({ ...adapter, createOrder: floorCreateOrder(adapter, tracer, callDuration) }),
    paid: (payment) => timeToPaid.record((Date.now() - Date.parse(payment.paidAt)) / 1000, none),
  };
}

/** The bench gateway: a create asks `gatewayUrl` (loopback) through paybridge's client, or answers at once without one; notifies are signed JSON. */
function benchAdapter(signer, gatewayUrl) {
  return {
    id: "bench",
    supports: { wechat: ["jsapi"] },
    async createOrder(input, http) {
      if (gatewayUrl) {
        const answer = await http({ url: gatewayUrl, body: JSON.stringify({ orderNo: input.orderNo }) });
        if (answer.status !== 200) throw new Error(`bench gateway answered ${answer.status}`);
      }
      return { gatewayOrderNo: `G${input.orderNo}`, action: { type: "redirect", url: "https://pay.example/x" } };
    },
    verifyNotify({ rawBody }) {
      const fields = JSON.parse(rawBody.toString("utf8"));
      if (!signer.verify(fields, fields.sign)) throw new Error("bad signature");
      return { orderNo: fields.out_trade_no, gatewayOrderNo: fields.trade_no, amountFen: fields.total_fee, outcome: "paid", paidAt: fields.paid_at };
    },
    notifyReply: { success: { status: 200, contentType: "text/plain", body: "SUCCESS" }, failure: { status: 400, contentType: "text/plain", body: "FAIL" } },
  };
}

/** ns per awaited call of `op`, median over alternating slices against `baseline`. */
async function pairedNs(baseline, op, { calls, slices }) {
  const run = async (fn) => {
    const started = performance.now();
    for (let i = 0; i < calls; i++) await fn();
    return ((performance.now() - started) * 1e6) / calls;
  };
  for (let i = 0; i < 3; i++) await run(baseline), await run(op);
  const a = [];
  const b = [];
  for (let s = 0; s < slices; s++) {
    if (s % 2 === 0) a.push(await run(baseline)), b.push(await run(op));
    else b.push(await run(op)), a.push(await run(baseline));
  }
  return { rawNs: median(a), instrumentedNs: median(b), extraNs: median(b.map((value, i) => value - a[i])) };
}

async function microFor(telemetry, { calls, slices }) {
  const raw = benchAdapter({ verify: () => true });
  const instrumented = telemetry.calls.instrument(raw);
  const input = { orderNo: "MICRO1", amountFen: 100, channel: "wechat", scene: "jsapi", notifyUrl: "http://127.0.0.1/pay/notify/bench" };
  const http = async () => ({ status: 200, headers: {}, body: "" });
  const record = { orderNo: "MICRO1", version: 2, status: "paid", amountFen: 100, gateway: "bench", channel: "wechat", scene: "jsapi", createdAt: new Date().toISOString(), fulfilment: "running" };
  const payment = { orderNo: "MICRO1", amountFen: 100, gateway: "bench", channel: "wechat", paidAt: record.createdAt };
  const onPaid = async () => {};
  const measuredOnPaid = telemetry.onPaid(onPaid);
  const options = { calls, slices };
  const gatewayCall = await pairedNs(() => raw.createOrder(input, http), () => instrumented.createOrder(input, http), options);
  const created = { orderNo: "MICRO1", gateway: "bench", gatewayOrderNo: "G", channel: "wechat", amountFen: 100 };
  const createEvent = await pairedNs(async () => {}, async () => telemetry.observe("order.created", created), options);
  const notifyWork = await pairedNs(
    () => onPaid(payment),
    async () => {
      telemetry.notifyAccepted("bench");
      telemetry.paid(record);
      await measuredOnPaid(payment);
    },
    options,
  );
  // With no SDK the engine keeps the adapter and onPaid as given: the very same objects.
  return { callsPerSlice: calls, slices, adapterWrapped: instrumented !== raw, onPaidWrapped: measuredOnPaid !== onPaid, gatewayCall, createEvent, notifyWork };
}

/** One paybridge web handler over its own store, with its order numbers, requests and onPaid count. */
async function side(gatewayUrl, floor) {
  const { paybridgeHandler } = await import(dist("web.js"));
  const { createSigner, COMMON_SIGN_RULE, MemoryOrderStore } = await import(dist("index.js"));
  const { Telemetry } = await import(dist("engine/telemetry.js"));
  const signer = createSigner(KEY, COMMON_SIGN_RULE);
  const counts = { paid: 0, orders: 0 };
  const silent = () => {};
  const handler = paybridgeHandler({
    gateways: [floor ? floor.wrap(benchAdapter(signer, gatewayUrl)) : benchAdapter(signer, gatewayUrl)],
    routing: { wechat: "bench" },
    publicUrl: "http://127.0.0.1/pay",
    statusTokenSecret: "bench-telemetry-status-secret-0123456789",
    resolveOrder: () => ({ amountFen: 100 }),
    onPaid: (payment) => {
      counts.paid += 1;
      floor?.paid(payment);
    },
    store: new MemoryOrderStore({ maxOrders: 1_000_000 }),
    logger: { info: silent, warn: silent, error: silent },
  });
  const orderNo = (i) => `TEL${String(i).padStart(10, "0")}`;
  const post = (path, body) => handler(new Request(`http://127.0.0.1/pay${path}`, { method: "POST", headers: { "content-type": "application/json" }, body }));
  const notifyBody = (i) => {
    const fields = { out_trade_no: orderNo(i), trade_no: `G${orderNo(i)}`, total_fee: 100, paid_at: "2026-01-02T03:04:05.000Z" };
    return JSON.stringify({ ...fields, sign: signer.sign(fields) });
  };
  return {
    counts,
    // Built beside the handler, so it sees what the handler's own Telemetry saw.
    telemetry: new Telemetry(),
    /** `count` creates or first-time notifies from `from`, CONCURRENCY at a time; µs of CPU and wall time per operation. */
    async slice(kind, from, count) {
      // Signed before timing: the gateway signs, not paybridge.
      const bodies = Array.from({ length: count }, (_, k) => (kind === "create" ? JSON.stringify({ orderNo: orderNo(from + k) }) : notifyBody(from + k)));
      const [path, expected] = kind === "create" ? ["/orders", 201] : ["/notify/bench", 200];
      // Each slice starts with the young generation collected: neither side pays for the other's garbage.
      globalThis.gc?.({ type: "minor" });
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let k = 0; k < count; k += CONCURRENCY) {
        const answers = await Promise.all(bodies.slice(k, k + CONCURRENCY).map((body) => post(path, body)));
        for (const answer of answers) if (answer.status !== expected) throw new Error(`${kind}: status ${answer.status}, expected ${expected}`);
      }
      const used = process.cpuUsage(cpu);
      if (kind === "create") counts.orders += count;
      return { cpuUs: (used.user + used.system) / count, wallUs: ((performance.now() - started) * 1000) / count };
    },
  };
}

serveParent(async ({ gatewayUrl, buildOrder }) => {
  const sides = {};
  const sdk = await createSdk();
  for (const name of buildOrder) {
    if (name === "floor") sides.floor = await side(gatewayUrl, floorTelemetry(sdk));
    else if (name !== "sdk") sides[name] = await side(gatewayUrl);
    else {
      sdk.register();
      sides.sdk = await side(gatewayUrl);
      sdk.unregister();
    }
  }
  return {
    url: "in-process (no socket)",
    handlers: {
      slice: ({ side: name, kind, from, count }) => sides[name].slice(kind, from, count),
      micro: ({ side: name, calls, slices }) => microFor(sides[name].telemetry, { calls, slices }),
      async finish() {
        for (const [name, { counts }] of Object.entries(sides)) {
          if (counts.paid !== counts.orders) throw new Error(`${name}: onPaid ran ${counts.paid} times for ${counts.orders} orders`);
        }
        const recorded = await sdk.finish();
        // paybridge records on the sdk side only, each of its orders once; the floor's own code a span and a duration per create.
        const { orders } = sides.sdk.counts;
        const floor = sides.floor.counts;
        const { spans, metrics } = recorded;
        if (
          spans !== orders + floor.orders ||
          metrics["paybridge.orders.created"] !== orders ||
          metrics["floor.gateway.call.duration"] !== floor.orders ||
          metrics["floor.order.time_to_paid"] !== floor.paid
        )
          throw new Error(`the SDK recorded ${JSON.stringify(recorded)} for ${orders} orders (paybridge) and ${floor.orders} created, ${floor.paid} paid (floor)`);
        return { orders, floorOrders: floor.orders, onPaidOncePerOrder: true, sdkRecorded: recorded };
      },
    },
    close: async () => {},
  };
});
