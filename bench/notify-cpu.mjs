/**
 * `node --expose-gc bench/notify-cpu.mjs [distDir] [--orders N] [--rounds R] [--profile file] [--redis url] [--merchants N]`:
 * CPU per first-time notify (and per already-paid one) through the BUILT web handler, in this one
 * process, over a bounded loop with the same inputs every time — so two builds (e.g. main's dist
 * copied aside, and this branch's) compare per notify without a socket, a load generator or
 * wall time. Orders are created through the handler first (not measured), then each round pays
 * `orders` fresh ones, 8 at a time, and notifies them again; CPU µs per notify from
 * process.cpuUsage, the median round's. `--profile` writes a V8 CPU profile of the notify phases
 * (read it with bench/lib/profile-summary.mjs). `--callgrind`, under
 * `valgrind --tool=callgrind --instr-atstart=no`, switches instrumentation on (callgrind_control)
 * for exactly the last round's first-time notifies: instructions per notify, repeatable on a busy machine.
 * `--merchants N`: N merchants (each its own adapter, the resolver cached; order i is merchant
 * i mod N's, notified at /notify/bench/<merchant>), to set beside the same run without it;
 * `--sandbox-adapters`: each merchant's setup also holds the sandbox's five adapters (unused), as
 * in the merchants bench section, whose per-merchant memory they are most of.
 */
import { execFileSync } from "node:child_process";
import { writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { repoRoot } from "./lib/paths.mjs";

const { values: args, positionals } = parseArgs({ allowPositionals: true, options: { orders: { type: "string" }, rounds: { type: "string" }, profile: { type: "string" }, callgrind: { type: "boolean" }, redis: { type: "string" }, merchants: { type: "string" }, "sandbox-adapters": { type: "boolean" } } });
const distDir = resolve(positionals[0] ?? join(repoRoot, "packages/server-middleware/dist"));
const ORDERS = Number(args.orders ?? 4_000);
const ROUNDS = Number(args.rounds ?? 5);
const MERCHANTS = Number(args.merchants ?? 0);
const CONCURRENCY = 8;
const KEY = "bench-notify-cpu-key-0123456789abcdef";
const dist = (file) => pathToFileURL(join(distDir, file)).href;

const { paybridgeHandler } = await import(dist("web.js"));
const { sandboxAdapters } = args["sandbox-adapters"] ? await import(pathToFileURL(join(repoRoot, "packages/sandbox/dist/index.js")).href) : {};
const { createSigner, COMMON_SIGN_RULE, MemoryOrderStore, RedisOrderStore } = await import(dist("index.js"));
// `--redis redis://…`: a RedisOrderStore (its own connection, a fresh key prefix) instead of memory: this process's side of each round trip.
const store = args.redis ? new RedisOrderStore({ redis: args.redis, keyPrefix: `notify-cpu:${process.pid}:${Date.now()}:` }) : new MemoryOrderStore({ maxOrders: 1_000_000 });
const signer = createSigner(KEY, COMMON_SIGN_RULE);
let paid = 0;
const silent = () => {};
const makeAdapter = () => ({
  id: "bench",
  supports: { wechat: ["jsapi"] },
  async createOrder(input) {
    return { gatewayOrderNo: `G${input.orderNo}`, action: { type: "redirect", url: "https://pay.example/x" } };
  },
  verifyNotify({ rawBody }) {
    const fields = JSON.parse(rawBody.toString("utf8"));
    if (!signer.verify(fields, fields.sign)) throw new Error("bad signature");
    return { orderNo: fields.out_trade_no, gatewayOrderNo: fields.trade_no, amountFen: fields.total_fee, outcome: "paid", paidAt: fields.paid_at };
  },
  notifyReply: { success: { status: 200, contentType: "text/plain", body: "SUCCESS" }, failure: { status: 400, contentType: "text/plain", body: "FAIL" } },
});
const merchantOf = (i) => `m${i % MERCHANTS}`;
const handler = paybridgeHandler({
  ...(MERCHANTS > 0 ? { merchants: async () => ({ gateways: [makeAdapter(), ...(args["sandbox-adapters"] ? sandboxAdapters("http://127.0.0.1:9") : [])] }) } : { gateways: [makeAdapter()] }),
  routing: { wechat: "bench" },
  publicUrl: "http://127.0.0.1/pay",
  statusTokenSecret: "bench-notify-cpu-status-secret-0123456789",
  resolveOrder: ({ orderNo: no }) => ({ amountFen: 100, ...(MERCHANTS > 0 ? { merchantId: merchantOf(Number(no.slice(3))) } : {}) }),
  onPaid: async () => void (paid += 1),
  store,
  logger: { info: silent, warn: silent, error: silent },
});
const orderNo = (i) => `CPU${String(i).padStart(10, "0")}`;
const post = (path, body) => handler(new Request(`http://127.0.0.1/pay${path}`, { method: "POST", headers: { "content-type": "application/json" }, body }));
const notifyBody = (i) => {
  const fields = { out_trade_no: orderNo(i), trade_no: `G${orderNo(i)}`, total_fee: 100, paid_at: "2026-01-02T03:04:05.000Z" };
  return JSON.stringify({ ...fields, sign: signer.sign(fields) });
};

/** Requests `[path, body]`, 8 at a time. */
async function pass(requests, expected) {
  for (let k = 0; k < requests.length; k += CONCURRENCY) {
    const answers = await Promise.all(requests.slice(k, k + CONCURRENCY).map(([path, body]) => post(path, body)));
    for (const [j, answer] of answers.entries()) if (answer.status !== expected) throw new Error(`${requests[k + j][0]}: status ${answer.status}, expected ${expected}`);
  }
}

/** CPU µs per request of one pass (bodies built beforehand: the gateway signs, not paybridge). */
async function timed(requests, expected, counted = false) {
  globalThis.gc?.();
  if (counted) execFileSync("callgrind_control", ["-i", "on", String(process.pid)]);
  const cpu = process.cpuUsage();
  await pass(requests, expected);
  const used = process.cpuUsage(cpu);
  if (counted) execFileSync("callgrind_control", ["-i", "off", String(process.pid)]);
  return (used.user + used.system) / Math.max(1, requests.length);
}

let profiler;
if (args.profile) {
  const { Session } = await import("node:inspector");
  profiler = new Session();
  profiler.connect();
}
const post$ = (method, params) => new Promise((done, fail) => profiler.post(method, params, (error, result) => (error ? fail(error) : done(result))));

const firstTime = [];
const alreadyPaid = [];
let next = 0;
for (let round = 0; round < ROUNDS; round++) {
  const ids = Array.from({ length: ORDERS }, () => next++);
  await pass(ids.map((i) => ["/orders", JSON.stringify({ orderNo: orderNo(i), channel: "wechat", scene: "jsapi" })]), 201);
  const bodies = ids.map((i) => [MERCHANTS > 0 ? `/notify/bench/${merchantOf(i)}` : "/notify/bench", notifyBody(i)]);
  if (profiler && round === ROUNDS - 1) await post$("Profiler.enable").then(() => post$("Profiler.start"));
  firstTime.push(await timed(bodies, 200, args.callgrind && round === ROUNDS - 1));
  alreadyPaid.push(await timed(bodies, 200));
  if (profiler && round === ROUNDS - 1) await writeFile(args.profile, JSON.stringify((await post$("Profiler.stop")).profile));
}
if (paid !== next) throw new Error(`onPaid ran ${paid} times for ${next} orders`);
await store.close?.();
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const fixed = (values) => values.map((value) => Math.round(value * 10) / 10);
console.log(JSON.stringify({ dist: distDir, merchants: MERCHANTS, orders: ORDERS, rounds: ROUNDS, firstTimeCpuUs: median(firstTime), alreadyPaidCpuUs: median(alreadyPaid), firstTimeRounds: fixed(firstTime), alreadyPaidRounds: fixed(alreadyPaid) }));
