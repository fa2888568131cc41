/**
 * Two paybridge instances (separate processes) sharing one store (Redis, PostgreSQL, MySQL):
 * the measurement the store sections share. Per run, with fresh instances over a fresh store
 * namespace (key prefix or database):
 *  - first time: every order's notify once, spread over both instances — throughput and the
 *    instances' CPU per request (both processes' CPU over the pass);
 *  - racing: other orders' notifies, each fired COPIES times at once across both, then once
 *    more (the gateway's retry of a copy answered "retry" while another ran onPaid);
 *  - onPaid counted over both instances: exactly once per order.
 * Runs `runs` times; the median run (by `headline`) is the section's figures, `runs` and
 * `spread` keep every run's.
 */
import { startServer } from "./child.mjs";
import { failuresOf, load, round } from "./load.mjs";
import { loadAverage } from "./machine.mjs";
import { startNotifyCapture } from "./notify-capture.mjs";
import { ORDER_KIND, captureNotifyTemplate, tallyOnPaid } from "./notify-template.mjs";
import { createOrders, orderNumbers } from "./orders.mjs";
import { spreadOf } from "./repeat.mjs";
import { BENCH_GATEWAY, withSandbox } from "./targets.mjs";
import { NOTIFY_SUCCESS } from "./xiangma-wire.mjs";
import { pathOf, targetConfig } from "../sections/order-route.mjs";

const WARMUP_ORDERS = 300;
/** Copies of each notify fired back to back, so they race on different connections and instances. */
export const COPIES = 4;
export const INSTANCES = 2;

/**
 * @param {object} options
 * @param {(run: number) => Promise<object>} options.storeFor  the `store` config of run `run` (bench/servers/paybridge.mjs)
 * @param {number} options.orders  orders per pass
 * @param {number} options.runs
 * @param {"firstTime" | "concurrent"} options.headline  the pass whose req/s picks the median run
 * @param {(line: string) => void} [options.log]
 */
export async function measureTwoInstances({ storeFor, orders, runs, headline, log }) {
  const capture = await startNotifyCapture({ successReply: NOTIFY_SUCCESS, contentType: "application/json" });
  try {
    const results = [];
    for (let run = 1; run <= runs; run++) {
      log?.(`run ${run} of ${runs}`);
      const loadAtStart = loadAverage();
      const store = await storeFor(run);
      const result = await withSandbox(async (sandbox) => {
        const config = { ...targetConfig(sandbox.url, `${capture.url}/pay`), store };
        // One after the other: each migrates the schema first (a SQL store), as a deployment's instances would.
        const instances = [];
        try {
          for (let i = 0; i < INSTANCES; i++) instances.push(await startServer("paybridge", config));
          return await measureRun(instances, sandbox, capture, orders);
        } finally {
          await Promise.all(instances.map((instance) => instance.stop()));
        }
      });
      results.push({ ...result, loadAverageAtStart: loadAtStart });
    }
    return summarize(results, headline);
  } finally {
    await capture.close();
  }
}

async function measureRun(instances, sandbox, capture, orderCount) {
  const urls = instances.map((instance) => instance.url);
  const path = pathOf(urls[0], `/notify/${BENCH_GATEWAY}`);
  const { notifyFor, contentType } = await captureNotifyTemplate({ payUrl: urls[0], sandboxUrl: sandbox.url, capture });
  const warmOrders = await createOrders(urls, orderNumbers("SW", WARMUP_ORDERS), ORDER_KIND);
  const onceOrders = await createOrders(urls, orderNumbers("SF", orderCount), ORDER_KIND);
  const raceOrders = await createOrders(urls, orderNumbers("SR", orderCount), ORDER_KIND);

  // Charged the CPU both instances spent over the pass.
  const withCpu = async (pass) => {
    await Promise.all(instances.map((instance) => instance.request("collectGarbage")));
    const before = await Promise.all(instances.map((instance) => instance.request("cpuUsage")));
    const run = await pass();
    const after = await Promise.all(instances.map((instance) => instance.request("cpuUsage")));
    const cpuMs = after.reduce((sum, usage, i) => sum + (usage.user + usage.system - before[i].user - before[i].system) / 1000, 0);
    return { ...run, cpuMsPerRequest: round(cpuMs / run.requests, 4) };
  };
  const oncePass = (bodies) => load({ url: urls, path, contentType, bodyAt: (i) => bodies[i], amount: bodies.length });
  const racePass = (bodies) => load({ url: urls, path, contentType, bodyAt: (i) => bodies[Math.floor(i / COPIES)], amount: bodies.length * COPIES });

  const warmBodies = warmOrders.map(notifyFor);
  await racePass(warmBodies);
  await oncePass(warmBodies);
  const onceBodies = onceOrders.map(notifyFor);
  const firstTime = await withCpu(() => oncePass(onceBodies));
  const raceBodies = raceOrders.map(notifyFor);
  const concurrent = await withCpu(() => racePass(raceBodies));
  // A notify not answered with success (its copy was still running onPaid) is retried by the gateway.
  const retry = await oncePass(raceBodies);

  const counts = await Promise.all(instances.map((instance) => instance.request("paidCounts")));
  const onPaid = tallyOnPaid([...warmOrders, ...onceOrders, ...raceOrders].map((order) => order.orderNo), counts);
  const perInstance = counts.map((instanceCounts) => Object.values(instanceCounts).reduce((sum, n) => sum + n, 0));
  return {
    firstTime,
    firstTimeFailures: failuresOf(firstTime),
    concurrent,
    retry,
    retryFailures: failuresOf(retry),
    onPaid: { ...onPaid, callsPerInstance: perInstance },
  };
}

function summarize(results, headline) {
  const byHeadline = [...results].sort((a, b) => a[headline].requestsPerSecond - b[headline].requestsPerSecond);
  const median = byHeadline[Math.floor((byHeadline.length - 1) / 2)];
  const figure = (pick) => spreadOf(results.map(pick));
  return {
    instances: INSTANCES,
    gateway: BENCH_GATEWAY,
    orders: median.onPaid.orders - WARMUP_ORDERS,
    copiesPerOrder: COPIES,
    ...median,
    runCount: results.length,
    runs: results.map((result, index) => ({
      run: index + 1,
      requestsPerSecond: { firstTime: result.firstTime.requestsPerSecond, concurrent: result.concurrent.requestsPerSecond, retry: result.retry.requestsPerSecond },
      cpuMsPerRequest: { firstTime: result.firstTime.cpuMsPerRequest, concurrent: result.concurrent.cpuMsPerRequest },
      failures: { firstTime: result.firstTimeFailures, retry: result.retryFailures },
      onPaidExactlyOnce: result.onPaid.exactlyOnce,
      loadAverageAtStart: result.loadAverageAtStart,
    })),
    spread: {
      firstTimeRequestsPerSecond: figure((result) => result.firstTime.requestsPerSecond),
      firstTimeCpuMsPerRequest: figure((result) => result.firstTime.cpuMsPerRequest),
      concurrentRequestsPerSecond: figure((result) => result.concurrent.requestsPerSecond),
      concurrentCpuMsPerRequest: figure((result) => result.concurrent.cpuMsPerRequest),
    },
    // Exactly once in every run, not only the median one; a first-time or retry notify answered
    // anything but success would be a lost payment.
    onPaid: { ...median.onPaid, exactlyOnce: results.every((result) => result.onPaid.exactlyOnce && result.firstTimeFailures === 0 && result.retryFailures === 0) },
  };
}
