/**
 * Child process of the reconcile section: `router.reconcile` of one day, `rows` orders paid
 * across it (every 20th with a refund) against a bill of as many payment rows plus those
 * refunds, with mismatches of every kind injected (every 997th order, in turn). The store is
 * not a database: listPaid, listRefunds and get compute the orders from their index (the
 * reconciliation pages through them as through any store), so the memory measured is the
 * reconciliation's own. Prints one JSON line: wall and CPU time, peak RSS, peak heap (sampled), counts.
 */
import { pathToFileURL } from "node:url";
import { distFiles } from "./paths.mjs";

const { rows, rowBudget } = JSON.parse(process.argv[2]);
const { paybridgeHandler } = await import(pathToFileURL(distFiles.middleware.replace(/index\.js$/, "web.js")).href);

const DATE = "2026-03-02";
const FROM = Date.parse("2026-03-02T00:00:00+08:00");
const STEP = Math.floor((24 * 60 * 60 * 1000) / rows);
const KINDS = 8;
const orderNo = (i) => `O${String(i).padStart(8, "0")}`;
const variantOf = (i) => (i % 997 === 0 ? Math.floor(i / 997) % KINDS : -1);
const paidAt = (i) => FROM + i * STEP;

/** Order i as the engine leaves it; variant 2 is never paid (unpaid_here). */
function record(i) {
  const variant = variantOf(i);
  const at = new Date(paidAt(i)).toISOString();
  const refunds = i % 20 === 0 || variant === 6 || variant === 7 ? [{ refundNo: `R${i}`, amountFen: 10, status: "succeeded", requestedAt: at, finishedAt: at, attempts: 1, fulfilment: "done" }] : undefined;
  return {
    orderNo: orderNo(i), version: 3, status: variant === 2 ? "pending" : refunds ? "partially_refunded" : "paid", amountFen: 100 + (i % 5000),
    gateway: "bench", channel: "wechat", scene: "h5", createdAt: at, ...(variant === 2 ? {} : { paidAt: at }), fulfilment: "done", ...(refunds ? { refunds } : {}),
  };
}

const indexOf = (key) => (/^O\d{8}$/.test(key) ? Number(key.slice(1)) : -1);
const firstIndex = (window, after) => Math.max(0, Math.ceil((window.from - FROM) / STEP), after ? indexOf(after.orderNo) + 1 : 0);

const store = {
  get: async (key) => (indexOf(key) >= 0 && indexOf(key) < rows ? record(indexOf(key)) : null),
  insert: async () => false,
  compareAndSet: async () => null,
  compareAndDelete: async () => false,
  async listPaid(window, limit, after) {
    const out = [];
    for (let i = firstIndex(window, after); i < rows && paidAt(i) < window.to && out.length < limit; i++) if (variantOf(i) !== 2) out.push(record(i));
    return out;
  },
  async listRefunds(window, limit, after) {
    const out = [];
    for (let i = firstIndex(window, after); i < rows && paidAt(i) < window.to && out.length < limit; i++) {
      const order = record(i);
      if (order.refunds) out.push({ order, refund: order.refunds[0] });
    }
    return out;
  },
};

/** The bill: variant 0 missing, 1 unknown order, 3 amount, 4 failed status, 5 an unknown refund, 6 refund missing, 7 refund amount. */
async function* bill() {
  let line = 1;
  for (let i = 0; i < rows; i++) {
    const variant = variantOf(i);
    const order = record(i);
    const at = paidAt(i);
    if (variant === 0) continue;
    yield { line: ++line, kind: "payment", orderNo: variant === 1 ? `U${i}` : order.orderNo, amountFen: order.amountFen + (variant === 3 ? 1 : 0), feeFen: 1, at, status: variant === 4 ? "failed" : "success" };
    if (variant === 5) yield { line: ++line, kind: "refund", orderNo: order.orderNo, refundNo: `X${i}`, amountFen: 7, at, status: "success" };
    if (order.refunds && variant !== 6 && variant !== 1) yield { line: ++line, kind: "refund", orderNo: order.orderNo, refundNo: `R${i}`, amountFen: variant === 7 ? 11 : 10, at, status: "success" };
  }
}

const adapter = {
  id: "bench",
  supports: { wechat: ["h5"] },
  notifyReply: { success: { status: 200, contentType: "text/plain", body: "OK" }, failure: { status: 500, contentType: "text/plain", body: "FAIL" } },
  createOrder: async () => { throw new Error("not in this bench"); },
  verifyNotify: async () => { throw new Error("not in this bench"); },
};
const handler = paybridgeHandler({
  gateways: [adapter], routing: { wechat: "bench" }, publicUrl: "https://shop.example/pay", statusTokenSecret: "bench-status-token-secret-0123456789abcdef",
  resolveOrder: () => null, onPaid: () => {}, store, logger: { info() {}, warn() {}, error() {} },
});

let mismatchEvents = 0;
handler.events.on("reconcile.mismatch", () => mismatchEvents++);
let peakHeap = 0;
const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed));
const sampler = setInterval(sample, 20);
const started = performance.now();
const cpuBefore = process.cpuUsage();
let billRows = 0;
const result = await handler.reconcile({ date: DATE, gateway: "bench", bill: bill(), rowBudget, maxListed: 1000, onProgress: (p) => ((billRows = p.billRows), sample()) });
const elapsedMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
clearInterval(sampler);
sample();
process.stdout.write(`${JSON.stringify({ elapsedMs, cpuMs: (cpu.user + cpu.system) / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024, peakHeapBytes: peakHeap, billRows, mismatchEvents, counts: result.counts, bill: result.bill, ours: result.ours, matched: result.matched })}\n`);
