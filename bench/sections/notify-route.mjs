/**
 * POST /notify/:gateway: paybridge against a hand-written verify-and-reply route, over the
 * same valid signed notifies for orders created beforehand. paybridge is measured on
 * first-time notifies over distinct pending orders (count-bounded, one pass in slices), and on
 * repeated notifies for paid orders (the already-paid path: what a gateway's retries cost),
 * both alternating with baseline runs (lib/compare.mjs).
 */
import { join } from "node:path";
import { startServer } from "../lib/child.mjs";
import { interleave } from "../lib/compare.mjs";
import { WARMUP_SECONDS, failuresOf, load, round } from "../lib/load.mjs";
import { startNotifyCapture } from "../lib/notify-capture.mjs";
import { ORDER_KIND, captureNotifyTemplate, tallyOnPaid } from "../lib/notify-template.mjs";
import { createOrders, orderNumbers } from "../lib/orders.mjs";
import { BENCH_GATEWAY, withSandbox } from "../lib/targets.mjs";
import { NOTIFY_SUCCESS } from "../lib/xiangma-wire.mjs";
import { GOAL_RATIO, pathOf, targetConfig } from "./order-route.mjs";

export const MEASURED_ORDERS = Number(process.env.BENCH_NOTIFY_ORDERS ?? 36_000);
/**
 * First-time notifies are measured in this many slices per side (A B B A A B …), 2,000
 * requests each (~0.8 s here). On this shared machine the CPU a request costs drifts by a third
 * within a run, for both sides alike (one run's slices: 0.47 ms falling to 0.28 ms): short
 * alternating slices put both sides on the same stretch of that drift.
 */
export const FIRST_TIME_SLICES = Number(process.env.BENCH_NOTIFY_SLICES ?? 18);
/** Already-paid notifies: time-bounded runs of this many seconds, this many per side, alternating likewise. */
export const ALREADY_PAID_SECONDS = Number(process.env.BENCH_ALREADY_PAID_SECONDS ?? 2);
export const ALREADY_PAID_ROUNDS = Number(process.env.BENCH_ALREADY_PAID_ROUNDS ?? 8);
/** Enough first-time notifies that V8 has compiled the paid path before it is measured, as in a server that has run a while. */
export const WARMUP_ORDERS = 2_000;

export async function measureNotifyRoute() {
  const capture = await startNotifyCapture({ successReply: NOTIFY_SUCCESS, contentType: "application/json" });
  try {
    return await withSandbox(async (sandbox) => {
      const config = targetConfig(sandbox.url, `${capture.url}/pay`);
      const paybridge = await startServer("paybridge", config);
      try {
        const baseline = await startServer("baseline", config);
        try {
          return await measureBoth({ paybridge, baseline, sandbox, capture });
        } finally {
          await baseline.stop();
        }
      } finally {
        await paybridge.stop();
      }
    });
  } finally {
    await capture.close();
  }
}

async function measureBoth({ paybridge, baseline, sandbox, capture }) {
  const { notifyFor, contentType } = await captureNotifyTemplate({ payUrl: paybridge.url, sandboxUrl: sandbox.url, capture });
  const warmOrders = await createOrders([paybridge.url], orderNumbers("NW", WARMUP_ORDERS), ORDER_KIND);
  const orders = await createOrders([paybridge.url], orderNumbers("NM", MEASURED_ORDERS), ORDER_KIND);
  const warmBodies = warmOrders.map(notifyFor);
  const bodies = orders.map(notifyFor);
  const cycling = (list) => (i) => list[i % list.length];
  const notifyLoad = (target, options) => checkedLoad({ url: target.url, contentType, ...options });

  for (const target of [paybridge, baseline]) await checkOneNotify(target.url, warmBodies[0], contentType);
  // The same warm-up on both sides: as many requests as paybridge's first-time warm-up, then time-bounded.
  await notifyLoad(paybridge, { bodyAt: (i) => warmBodies[i], amount: warmBodies.length });
  await notifyLoad(baseline, { bodyAt: (i) => warmBodies[i], amount: warmBodies.length });
  await notifyLoad(paybridge, { bodyAt: cycling(warmBodies), seconds: WARMUP_SECONDS });
  await notifyLoad(baseline, { bodyAt: cycling(warmBodies), seconds: WARMUP_SECONDS });

  // Neither side is billed for collecting what creating the orders left behind.
  await settleHeaps([paybridge, baseline]);
  // BENCH_CPU_PROFILE_DIR: CPU profiles of the paybridge and baseline processes over exactly the first-time phase.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  if (profileDir) for (const target of [paybridge, baseline]) await target.request("profileStart");
  // First-time notifies, each order's once, in slices alternating A B B A with baseline runs
  // of as many requests: each ratio then compares runs made side by side in time (a one-pass
  // first-time run against baseline runs made later compared two moments of a shared machine).
  const sliceSize = Math.ceil(bodies.length / FIRST_TIME_SLICES);
  let nextSlice = 0;
  const firstTimeFigures = await interleave({
    baseline: { target: baseline, run: () => notifyLoad(baseline, { bodyAt: cycling(bodies), amount: sliceSize }) },
    paybridge: {
      target: paybridge,
      run: () => {
        const slice = bodies.slice(nextSlice * sliceSize, (nextSlice += 1) * sliceSize);
        return notifyLoad(paybridge, { bodyAt: (i) => slice[i], amount: slice.length });
      },
    },
  }, FIRST_TIME_SLICES);
  const firstTime = firstTimeFigures.paybridge;
  if (profileDir) {
    const at = Date.now();
    for (const [name, target] of [["paybridge", paybridge], ["baseline", baseline]]) {
      const file = join(profileDir, `notify-first-time-${at}-${name}.cpuprofile`);
      process.stderr.write(`bench: first-time notify profile (${name}) in ${await target.request("profileStop", { file })}\n`);
    }
  }
  await settleHeaps([paybridge, baseline]);
  const figures = await interleave(
    {
      baseline: { target: baseline, run: () => notifyLoad(baseline, { bodyAt: cycling(bodies), seconds: ALREADY_PAID_SECONDS }) },
      paybridge: { target: paybridge, run: () => notifyLoad(paybridge, { bodyAt: cycling(bodies), seconds: ALREADY_PAID_SECONDS }) },
    },
    ALREADY_PAID_ROUNDS,
  );

  const onPaid = tallyOnPaid([...warmOrders, ...orders].map((order) => order.orderNo), [await paybridge.request("paidCounts")]);
  return {
    gateway: BENCH_GATEWAY,
    request: `POST /notify/${BENCH_GATEWAY}, valid signed notifies (rewritten from one the sandbox sent)`,
    paybridgeFirstTime: firstTime,
    baselineBesideFirstTime: firstTimeFigures.baseline,
    paybridgeAlreadyPaid: figures.paybridge,
    baseline: figures.baseline,
    ratioAlreadyPaid: round(figures.paybridge.requestsPerSecond / figures.baseline.requestsPerSecond, 3),
    ratioFirstTime: round(firstTime.requestsPerSecond / firstTimeFigures.baseline.requestsPerSecond, 3),
    cpuRatioAlreadyPaid: round(figures.baseline.cpuMsPerRequest / figures.paybridge.cpuMsPerRequest, 3),
    cpuRatioFirstTime: round(firstTimeFigures.baseline.cpuMsPerRequest / firstTime.cpuMsPerRequest, 3),
    // The same first-time runs against the longer, time-bounded baseline runs of the
    // already-paid comparison (how the figure was taken before the slices were interleaved).
    ratioFirstTimeVsTimedBaseline: round(firstTime.requestsPerSecond / figures.baseline.requestsPerSecond, 3),
    cpuRatioFirstTimeVsTimedBaseline: round(figures.baseline.cpuMsPerRequest / firstTime.cpuMsPerRequest, 3),
    goal: GOAL_RATIO,
    onPaid,
  };
}

async function settleHeaps(targets) {
  for (const target of targets) {
    if (!(await target.request("collectGarbage"))) throw new Error("bench servers must run with --expose-gc");
  }
}

async function checkedLoad({ url, ...options }) {
  const run = await load({ url, path: pathOf(url, `/notify/${BENCH_GATEWAY}`), ...options });
  if (failuresOf(run) > 0) throw new Error(`notify run at ${url} had failures: ${JSON.stringify(run.statusCodes)} errors ${run.errors} timeouts ${run.timeouts}`);
  return run;
}

async function checkOneNotify(baseUrl, body, contentType) {
  const response = await fetch(`${baseUrl}/notify/${BENCH_GATEWAY}`, { method: "POST", headers: { "content-type": contentType }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`notify check at ${baseUrl}: HTTP ${response.status} ${text}`);
}
