// throwaway: profile creates on an uninstrumented vs SDK handler
import { createServer } from "node:http";
import { Session } from "node:inspector";
import { writeFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
const root = "/work/main";
const dist = (f) => pathToFileURL(join(root, "packages/server-middleware/dist", f)).href;
const stub = createServer((req, res) => { req.resume(); req.on("end", () => { res.writeHead(200, { "content-type": "application/json" }); res.end("{}"); }); });
await new Promise((r) => stub.listen(0, "127.0.0.1", r));
const gatewayUrl = `http://127.0.0.1:${stub.address().port}/`;
const { paybridgeHandler } = await import(dist("web.js"));
const { MemoryOrderStore } = await import(dist("index.js"));
function adapter() {
  return { id: "bench", supports: { wechat: ["jsapi"] },
    async createOrder(input, http) { const a = await http({ url: gatewayUrl, body: JSON.stringify({ orderNo: input.orderNo }) }); if (a.status !== 200) throw new Error("x"); return { gatewayOrderNo: `G${input.orderNo}`, action: { type: "redirect", url: "https://pay.example/x" } }; },
    verifyNotify() { throw new Error("no"); },
    notifyReply: { success: { status: 200, contentType: "text/plain", body: "SUCCESS" }, failure: { status: 400, contentType: "text/plain", body: "FAIL" } } };
}
const silent = () => {};
const mk = () => paybridgeHandler({ gateways: [adapter()], routing: { wechat: "bench" }, publicUrl: "http://127.0.0.1/pay", statusTokenSecret: "bench-telemetry-status-secret-0123456789", resolveOrder: () => ({ amountFen: 100 }), onPaid: silent, store: new MemoryOrderStore({ maxOrders: 1_000_000 }), logger: { info: silent, warn: silent, error: silent } });
const none = mk();
const mode = process.argv[2] ?? "both";
const { metrics, trace } = await import("@opentelemetry/api");
const { MeterProvider, MetricReader } = await import("@opentelemetry/sdk-metrics");
const { BasicTracerProvider, BatchSpanProcessor } = await import("@opentelemetry/sdk-trace-base");
class Reader extends MetricReader { async onForceFlush() {} async onShutdown() {} }
let exported = 0;
const exporter = { export(spans, done) { exported += spans.length; done({ code: 0 }); }, async shutdown() {} };
if (mode !== "metrics") trace.setGlobalTracerProvider(new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(exporter)] }));
if (mode !== "traces") metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Reader()] }));
const sdk = mk();
metrics.disable(); trace.disable();
let n = 0;
async function slice(h, count) {
  globalThis.gc?.({ type: "minor" });
  const cpu = process.cpuUsage();
  for (let k = 0; k < count; k += 8) {
    const answers = await Promise.all(Array.from({ length: 8 }, () => h(new Request("http://127.0.0.1/pay/orders", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ orderNo: `T${n++}`, channel: "wechat", scene: "jsapi" }) }))));
    for (const a of answers) if (a.status !== 201) throw new Error(String(a.status));
  }
  const u = process.cpuUsage(cpu); return (u.user + u.system) / count;
}
const session = new Session(); session.connect();
const post = (m, p) => new Promise((ok, ko) => session.post(m, p, (e, r) => (e ? ko(e) : ok(r))));
for (let i = 0; i < 10; i++) { await slice(none, 96); await slice(sdk, 96); }
const a = [], b = [];
const profile = process.env.PROFILE;
for (let i = 0; i < 40; i++) {
  if (i % 2) { a.push(await slice(none, 96)); b.push(await slice(sdk, 96)); } else { b.push(await slice(sdk, 96)); a.push(await slice(none, 96)); }
}
const med = (v) => [...v].sort((x, y) => x - y)[v.length >> 1];
console.log(JSON.stringify({ mode, none: med(a).toFixed(1), sdk: med(b).toFixed(1), pct: ((med(b) / med(a) - 1) * 100).toFixed(1), exported }));
if (profile) {
  for (const [name, h] of [["none", none], ["sdk", sdk]]) {
    await post("Profiler.enable"); await post("Profiler.setSamplingInterval", { interval: 50 }); await post("Profiler.start");
    for (let i = 0; i < 40; i++) await slice(h, 96);
    writeFileSync(`/tmp/telprof/${name}.cpuprofile`, JSON.stringify((await post("Profiler.stop")).profile));
  }
}
stub.close(); process.exit(0);
