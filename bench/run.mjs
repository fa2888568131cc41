/**
 * `pnpm bench`: client size, order and notify routes against hand-written baselines, signing
 * throughput, and the Redis store across two instances. Prints a table and writes
 * bench/results.json. Everything listens on 127.0.0.1; every load is bounded in count and
 * time, and a watchdog ends the whole run if it overstays.
 */
import { writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import { CONNECTIONS, RUN_SECONDS, WARMUP_SECONDS, round } from "./lib/load.mjs";
import { ROUNDS } from "./lib/compare.mjs";
import { describeMachine, loadAverage } from "./lib/machine.mjs";
import { formatReport } from "./lib/report.mjs";
import { BENCH_GATEWAY } from "./lib/targets.mjs";
import { measureClientSize } from "./sections/client-size.mjs";
import { measureMemory } from "./sections/memory.mjs";
import { measureNotifyRoute } from "./sections/notify-route.mjs";
import { measureOrderRoute } from "./sections/order-route.mjs";
import { measureRedis } from "./sections/redis.mjs";
import { measureSigning } from "./sections/signing.mjs";

const WATCHDOG_MS = 12 * 60 * 1000;
const RESULTS_FILE = fileURLToPath(new URL("./results.json", import.meta.url));

const SECTIONS = [
  ["client", measureClientSize],
  ["signing", measureSigning],
  ["orderRoute", measureOrderRoute],
  ["notifyRoute", measureNotifyRoute],
  ["redis", measureRedis],
  ["memory", measureMemory],
];

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

const started = performance.now();
const results = {
  machine: describeMachine(),
  settings: { connections: CONNECTIONS, runSeconds: RUN_SECONDS, rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS, gateway: BENCH_GATEWAY },
};
let failed = false;
for (const [key, measure] of SECTIONS) {
  process.stderr.write(`bench: ${key}...\n`);
  try {
    results[key] = await measure();
  } catch (error) {
    failed = true;
    results[key] = { error: error instanceof Error ? error.message : String(error) };
    console.error(`bench: ${key} failed:`, error);
  }
}
results.totalSeconds = round((performance.now() - started) / 1000, 1);
results.loadAverageAtEnd = loadAverage();

await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
console.log(formatReport(results));
console.log(`\n${results.totalSeconds} s; figures written to bench/results.json`);
const incorrect = [results.notifyRoute, results.redis].some((section) => section?.onPaid && !section.onPaid.exactlyOnce);
process.exit(failed || incorrect ? 1 : 0);
