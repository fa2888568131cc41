/**
 * Reconciliation in bounded memory: `router.reconcile` of a day of 100,000 and of 1,000,000
 * orders against a bill of as many payments (plus a refund for every 20th, and mismatches of
 * every kind injected), each run in a fresh process (bench/lib/reconcile-child.mjs) with its old
 * space capped at HEAP_CAP_MIB: a run that needed memory growing with the bill would fail
 * there. Wall time, CPU time, peak RSS and peak heap (sampled every 20 ms), 3 runs per size,
 * min / median / max. The store computes its orders from their index (no database, no arrays).
 */
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { spreadOf } from "../lib/repeat.mjs";

const run = promisify(execFile);
const CHILD = fileURLToPath(new URL("../lib/reconcile-child.mjs", import.meta.url));
const SIZES = (process.env.BENCH_RECONCILE_ROWS ?? "100000,1000000").split(",").map(Number);
const RUNS = Number(process.env.BENCH_RECONCILE_RUNS ?? 3);
const HEAP_CAP_MIB = 128;
/** The reconciliation's default: a side past it spills to files (1,000,000 rows spill, 100,000 do not). */
const ROW_BUDGET = 200_000;

const mib = (bytes) => Math.round((bytes / 2 ** 20) * 10) / 10;
const seconds = (ms) => Math.round(ms / 10) / 100;

async function once(rows) {
  const args = [`--max-old-space-size=${HEAP_CAP_MIB}`, CHILD, JSON.stringify({ rows, rowBudget: ROW_BUDGET })];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 20, timeout: 900_000 });
  return JSON.parse(stdout.trim().split("\n").pop());
}

export async function measureReconcile() {
  const result = { runs: RUNS, heapCapMiB: HEAP_CAP_MIB, rowBudget: ROW_BUDGET, sizes: {} };
  for (const rows of SIZES) {
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      runs.push(await once(rows));
      process.stderr.write(`bench: reconcile ${rows} rows, run ${i + 1}: ${seconds(runs.at(-1).elapsedMs)} s\n`);
    }
    const [first] = runs;
    result.sizes[rows] = {
      orders: rows,
      billRows: first.billRows,
      wallSeconds: spreadOf(runs.map((r) => seconds(r.elapsedMs))),
      cpuSeconds: spreadOf(runs.map((r) => seconds(r.cpuMs))),
      peakRssMiB: spreadOf(runs.map((r) => mib(r.peakRssBytes))),
      peakHeapMiB: spreadOf(runs.map((r) => mib(r.peakHeapBytes))),
      mismatches: first.mismatchEvents,
      counts: first.counts,
      bill: first.bill,
      ours: first.ours,
      matched: first.matched,
    };
  }
  return result;
}
