/**
 * Instructions per create, for callgrind (load on the machine does not change them):
 * `valgrind --tool=callgrind --instr-atstart=no node bench/lib/telemetry-instructions.mjs <none|sdk> <warm-up> <creates>`.
 * One paybridge web handler, built with no OpenTelemetry SDK or with one as an application
 * registers it (a MeterProvider with a reader, a BatchSpanProcessor to an exporter that only
 * counts), makes `warm-up` then `creates` orders in-process, 8 at a time, each calling a gateway
 * stub on 127.0.0.1 that answers at once. Under valgrind (CALLGRIND=1) it switches callgrind's
 * instrumentation on for the measured creates only and dumps their count (callgrind_control),
 * so start-up, imports and the JIT's warm-up are not counted: divide the Ir it reports by `creates`.
 */
import { createServer } from "node:http";
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { repoRoot } from "./paths.mjs";
import { callgrind, registerSdk } from "./instructions.mjs";

const [mode = "none", warmupText = "300", countText = "300"] = process.argv.slice(2);
const warmup = Number(warmupText);
const count = Number(countText);
// TELEMETRY_DIST: another build of server-middleware's dist (a copy of main's), to compare.
const dist = (file) => pathToFileURL(join(process.env.TELEMETRY_DIST ?? join(repoRoot, "packages/server-middleware/dist"), file)).href;

const stub = createServer((req, res) => {
  req.resume();
  req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
});
// Under valgrind a connection may idle for seconds: the stub must not close it while paybridge reuses it.
stub.keepAliveTimeout = 600_000;
stub.headersTimeout = 600_000;
stub.requestTimeout = 0;
await new Promise((resolve) => stub.listen(0, "127.0.0.1", resolve));
const gatewayUrl = `http://127.0.0.1:${stub.address().port}/create`;

const sdk = mode === "sdk" ? await registerSdk() : undefined;
const { paybridgeHandler } = await import(dist("web.js"));
const { MemoryOrderStore } = await import(dist("index.js"));
const silent = () => {};
const handler = paybridgeHandler({
  gateways: [
    {
      id: "bench",
      supports: { wechat: ["jsapi"] },
      async createOrder(input, http) {
        const answer = await http({ url: gatewayUrl, body: JSON.stringify({ orderNo: input.orderNo }) });
        if (answer.status !== 200) throw new Error(`bench gateway answered ${answer.status}`);
        return { gatewayOrderNo: `G${input.orderNo}`, action: { type: "redirect", url: "https://pay.example/x" } };
      },
      verifyNotify: () => {
        throw new Error("not used");
      },
      notifyReply: { success: { status: 200, contentType: "text/plain", body: "SUCCESS" }, failure: { status: 400, contentType: "text/plain", body: "FAIL" } },
    },
  ],
  routing: { wechat: "bench" },
  publicUrl: "http://127.0.0.1/pay",
  statusTokenSecret: "bench-telemetry-status-secret-0123456789",
  resolveOrder: () => ({ amountFen: 100 }),
  onPaid: silent,
  // Valgrind runs the code some 50 times slower: no gateway call may time out meanwhile.
  timeoutMs: 120_000,
  store: new MemoryOrderStore({ maxOrders: 1_000_000 }),
  logger: { info: silent, warn: silent, error: silent },
});
const post = (i) =>
  handler(new Request("http://127.0.0.1/pay/orders", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ orderNo: `TEL${String(i).padStart(10, "0")}` }) }));

async function creates(from, n) {
  for (let k = 0; k < n; k += 8) {
    const answers = await Promise.all(Array.from({ length: Math.min(8, n - k) }, (_, j) => post(from + k + j)));
    for (const answer of answers) if (answer.status !== 201) throw new Error(`create: status ${answer.status}`);
  }
}

await creates(0, warmup);
await callgrind("--instr=on");
const started = performance.now();
await creates(warmup, count);
const elapsed = performance.now() - started;
await callgrind("--instr=off");
const spans = sdk ? await sdk.spans() : 0;
stub.closeAllConnections();
stub.close();
process.stderr.write(`${mode}: ${count} creates, ${((elapsed * 1000) / count).toFixed(1)} µs each (wall), ${spans} spans exported\n`);
