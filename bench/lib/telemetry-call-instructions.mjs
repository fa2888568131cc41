/**
 * Instructions per gateway call, ours against the SDK's own (bench/README.md):
 * `CALLGRIND=1 valgrind --tool=callgrind --instr-atstart=no node bench/lib/telemetry-call-instructions.mjs <raw|floor|ours> <calls>`.
 * With an SDK registered as an application registers it, `calls` awaited calls of an adapter's
 * createOrder that answers at once: `raw` the adapter itself; `floor` the least any tracing and
 * metrics of the call make the SDK do (a client span made active with its three attributes,
 * ended, and one histogram recording on a prepared attribute set), written inline; `ours` the
 * adapter as paybridge's Telemetry instruments it. ours − floor is paybridge's own code;
 * floor − raw the SDK's. Only the measured loop is counted (after as many calls to warm up).
 */
import { pathToFileURL } from "node:url";
import { join } from "node:path";
import { metrics, trace } from "@opentelemetry/api";
import { repoRoot } from "./paths.mjs";
import { callgrind, registerSdk } from "./instructions.mjs";
import { floorCreateOrder } from "./telemetry-floor.mjs";

const [mode = "ours", callsText = "20000"] = process.argv.slice(2);
const calls = Number(callsText);
const dist = (file) => pathToFileURL(join(process.env.TELEMETRY_DIST ?? join(repoRoot, "packages/server-middleware/dist"), file)).href;

const sdk = await registerSdk();
const { Telemetry, INSTRUMENTATION_SCOPE } = await import(dist("engine/telemetry.js"));
const raw = {
  id: "bench",
  supports: { wechat: ["jsapi"] },
  createOrder: async (input) => ({ gatewayOrderNo: `G${input.orderNo}`, action: { type: "redirect", url: "https://pay.example/x" } }),
  verifyNotify: () => {
    throw new Error("not used");
  },
  notifyReply: { success: { status: 200, contentType: "text/plain", body: "SUCCESS" }, failure: { status: 400, contentType: "text/plain", body: "FAIL" } },
};

function floor() {
  const tracer = trace.getTracer(INSTRUMENTATION_SCOPE.name, INSTRUMENTATION_SCOPE.version);
  const histogram = metrics.getMeter("floor").createHistogram("floor.call.duration", { unit: "s" });
  return { createOrder: floorCreateOrder(raw, tracer, histogram) };
}

const adapter = mode === "raw" ? raw : mode === "floor" ? floor() : new Telemetry().calls.instrument(raw);
const input = { orderNo: "MICRO1", amountFen: 100, channel: "wechat", scene: "jsapi", notifyUrl: "http://127.0.0.1/pay/notify/bench" };
const http = async () => ({ status: 200, headers: {}, body: "" });
const loop = async () => {
  for (let i = 0; i < calls; i++) await adapter.createOrder(input, http);
};
await loop();
await callgrind("--instr=on");
await loop();
await callgrind("--instr=off");
process.stderr.write(`${mode}: ${calls} calls measured, ${await sdk.spans()} spans exported\n`);
