/**
 * The memory store's footprint: heap per order and its growth over 100,000 orders written
 * through their lifecycle (pending → paid → onPaid done), unbounded, with the bound (the oldest
 * finished orders evicted), and with a refund ledger. Each scenario runs in a fresh
 * `node --expose-gc` process, 3 times: the figures are per run, with min / median / max.
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL("../lib/memory-child.mjs", import.meta.url));
const ORDERS = Number(process.env.BENCH_MEMORY_ORDERS ?? 100_000);
const RUNS = 3;
const CHECKPOINTS = [1_000, 3_000, 10_000, 25_000, 50_000, 100_000].filter((n) => n <= ORDERS);

const SCENARIOS = [
  { name: "unbounded", maxOrders: 0, refundsPerOrder: 0 },
  { name: "bounded10k", maxOrders: 10_000, refundsPerOrder: 0 },
  { name: "withTwoRefunds", maxOrders: 0, refundsPerOrder: 2 },
];

async function once(scenario) {
  const args = ["--expose-gc", CHILD, JSON.stringify({ orders: ORDERS, maxOrders: scenario.maxOrders, refundsPerOrder: scenario.refundsPerOrder, checkpoints: CHECKPOINTS })];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20, timeout: 180_000 });
  return JSON.parse(stdout.trim().split("\n").pop());
}

const stats = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1] };
};

export async function measureMemory() {
  const result = { orders: ORDERS, runs: RUNS };
  for (const scenario of SCENARIOS) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) runs.push(await once(scenario));
    const last = CHECKPOINTS[CHECKPOINTS.length - 1];
    const bytesPerOrder = runs.map((r) => {
      const point = r.points.find((p) => p.orders === last);
      return Math.round(point.heapBytes / point.held);
    });
    result[scenario.name] = {
      maxOrders: scenario.maxOrders || null,
      refundsPerOrder: scenario.refundsPerOrder,
      growthMiB: CHECKPOINTS.map((orders) => {
        const values = runs.map((r) => r.points.find((p) => p.orders === orders).heapBytes / 2 ** 20);
        const s = stats(values);
        return { orders, held: runs[0].points.find((p) => p.orders === orders).held, minMiB: round(s.min), medianMiB: round(s.median), maxMiB: round(s.max) };
      }),
      bytesPerHeldOrder: { ...stats(bytesPerOrder), runs: bytesPerOrder },
      writeSeconds: runs.map((r) => round(r.elapsedMs / 1000)),
    };
  }
  return result;
}

const round = (value) => Math.round(value * 100) / 100;
