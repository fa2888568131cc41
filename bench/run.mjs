/**
 * `pnpm bench`: client size, order and notify routes against hand-written baselines, signing
 * throughput, and the Redis store across two instances. Prints a table and writes
 * bench/results.json. Everything listens on 127.0.0.1; every load is bounded in count and
 * time, and a watchdog ends the whole run if it overstays.
 *
 * `node bench/run.mjs --only notify --runs 3` measures only the named sections (comma-separated:
 * client, signing, order, notify, redis, memory, telemetry, reconcile) and replaces only those in results.json. `--runs N`
 * (default 3, or BENCH_NOTIFY_RUNS) is how often the notify section is measured, each time
 * with fresh servers; results.json then holds every run's ratios and their min/median/max.
 */
import { readFile, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { CONNECTIONS, RUN_SECONDS, WARMUP_SECONDS, round } from "./lib/load.mjs";
import { ROUNDS } from "./lib/compare.mjs";
import { describeMachine, loadAverage } from "./lib/machine.mjs";
import { formatReport } from "./lib/report.mjs";
import { BENCH_GATEWAY } from "./lib/targets.mjs";
import { measureClientSize } from "./sections/client-size.mjs";
import { measureMemory } from "./sections/memory.mjs";
import { ALREADY_PAID_ROUNDS, ALREADY_PAID_SECONDS, FIRST_TIME_SLICES, MEASURED_ORDERS, WARMUP_ORDERS, measureNotifyRoute } from "./sections/notify-route.mjs";
import { measureOrderRoute } from "./sections/order-route.mjs";
import { measureRedis } from "./sections/redis.mjs";
import { measureSigning } from "./sections/signing.mjs";
import { measureTelemetry } from "./sections/telemetry.mjs";
import { measureReconcile } from "./sections/reconcile.mjs";
import { NOTIFY_RATIOS, repeatSection } from "./lib/repeat.mjs";

const { values: args } = parseArgs({ options: { only: { type: "string" }, runs: { type: "string" } } });
const NOTIFY_RUNS = Number(args.runs ?? process.env.BENCH_NOTIFY_RUNS ?? 3);
if (!Number.isInteger(NOTIFY_RUNS) || NOTIFY_RUNS < 1 || NOTIFY_RUNS > 20) {
  console.error("bench: --runs must be a whole number from 1 to 20");
  process.exit(2);
}
const ALIASES = { client: "client", signing: "signing", order: "orderRoute", orderRoute: "orderRoute", notify: "notifyRoute", notifyRoute: "notifyRoute", redis: "redis", memory: "memory", telemetry: "telemetry", reconcile: "reconcile" };
const only = args.only?.split(",").map((name) => ALIASES[name.trim()] ?? name.trim());
const unknown = only?.filter((name) => !Object.values(ALIASES).includes(name)) ?? [];
if (unknown.length > 0) {
  console.error(`bench: unknown section ${unknown.join(", ")} (use ${Object.keys(ALIASES).join(", ")})`);
  process.exit(2);
}

// Generous: on a busy machine one notify run takes minutes. BENCH_WATCHDOG_MINUTES overrides.
// (+4 for the memory section: 9 fresh processes writing 100,000 orders each; +5 for telemetry's 3 runs;
// +8 for reconcile's 3 runs of a 1,000,000-row day.)
const WATCHDOG_MS = Number(process.env.BENCH_WATCHDOG_MINUTES ?? 22 + 6 * NOTIFY_RUNS) * 60 * 1000;
const RESULTS_FILE = fileURLToPath(new URL("./results.json", import.meta.url));

const SECTIONS = [
  ["client", measureClientSize],
  ["signing", measureSigning],
  ["orderRoute", measureOrderRoute],
  [
    "notifyRoute",
    () =>
      repeatSection(measureNotifyRoute, {
        runs: NOTIFY_RUNS,
        ratios: NOTIFY_RATIOS,
        headline: "ratioFirstTime",
        log: (line) => process.stderr.write(`bench: notifyRoute ${line}\n`),
      }),
  ],
  ["redis", measureRedis],
  ["memory", measureMemory],
  ["telemetry", measureTelemetry],
  ["reconcile", measureReconcile],
];

const watchdog = setTimeout(() => {
  console.error(`bench: still running after ${WATCHDOG_MS / 1000} s; giving up`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

const started = performance.now();
// A partial run keeps the other sections' figures from the last full one.
const previous = only ? await readFile(RESULTS_FILE, "utf8").then(JSON.parse, () => ({})) : {};
const results = {
  ...previous,
  machine: describeMachine(),
  settings: { connections: CONNECTIONS, runSeconds: RUN_SECONDS, rounds: ROUNDS, warmupSeconds: WARMUP_SECONDS, gateway: BENCH_GATEWAY, notifyRuns: NOTIFY_RUNS, notifyOrders: MEASURED_ORDERS, notifyWarmupOrders: WARMUP_ORDERS, notifyFirstTimeSlices: FIRST_TIME_SLICES, notifyAlreadyPaidRounds: ALREADY_PAID_ROUNDS, notifyAlreadyPaidSeconds: ALREADY_PAID_SECONDS },
  ...(only ? { partialRun: { only, at: new Date().toISOString(), otherSectionsFrom: previous.machine?.date ?? null } } : {}),
};
if (!only) delete results.partialRun;
let failed = false;
for (const [key, measure] of SECTIONS.filter(([key]) => !only || only.includes(key))) {
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
const incorrect = [results.notifyRoute, results.redis].filter((section) => !only || only.includes(section === results.redis ? "redis" : "notifyRoute")).some((section) => section?.onPaid && !section.onPaid.exactlyOnce);
process.exit(failed || incorrect ? 1 : 0);
