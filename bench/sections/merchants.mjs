/**
 * Notify throughput with 1,000 merchants (issue 19): paybridge serving `m0`…`m999` (each its
 * own setup, resolver cached, orders spread over them, each notify at its merchant's URL
 * /notify/xiangma/<merchant>) against paybridge with today's single-shop options, over the same
 * kind of valid signed notifies. Both sides are measured as the notify section measures
 * paybridge: first-time notifies over distinct pending orders in slices alternating A B B A,
 * then already-paid notifies in alternating time-bounded runs; each run charged the server's
 * CPU. Ratios are 1,000 merchants / one shop (goal ≥ 0.9). Field names follow the notify
 * section (lib/repeat.mjs reads them): `paybridge*` = 1,000 merchants, `baseline*` = one shop.
 */
import { join } from "node:path";
import { startServer } from "../lib/child.mjs";
import { interleave } from "../lib/compare.mjs";
import { WARMUP_SECONDS, failuresOf, load, round } from "../lib/load.mjs";
import { merchantOf } from "../lib/merchants.mjs";
import { startNotifyCapture } from "../lib/notify-capture.mjs";
import { ORDER_KIND, captureNotifyTemplate, tallyOnPaid } from "../lib/notify-template.mjs";
import { createOrders, orderNumbers } from "../lib/orders.mjs";
import { BENCH_GATEWAY, withSandbox } from "../lib/targets.mjs";
import { NOTIFY_SUCCESS } from "../lib/xiangma-wire.mjs";
import { GOAL_RATIO, pathOf, targetConfig } from "./order-route.mjs";

export const MERCHANT_COUNT = Number(process.env.BENCH_MERCHANTS ?? 1_000);
/** First-time notifies per side per run, in this many slices per side (1,000 each by default). */
export const MERCHANTS_ORDERS = Number(process.env.BENCH_MERCHANTS_ORDERS ?? 10_000);
export const MERCHANTS_SLICES = Number(process.env.BENCH_MERCHANTS_SLICES ?? 10);
/**
 * One warm-up order per merchant (order i is merchant i's), so every merchant's setup is loaded
 * (and cached) before anything is measured; as many on the one-shop side.
 */
const WARMUP_ORDERS = MERCHANT_COUNT;
const ALREADY_PAID_SECONDS = 2;
const ALREADY_PAID_ROUNDS = 6;
export const MERCHANT_RATIOS = ["ratioFirstTime", "cpuRatioFirstTime", "ratioAlreadyPaid", "cpuRatioAlreadyPaid"];

export async function measureMerchants() {
  const capture = await startNotifyCapture({ successReply: NOTIFY_SUCCESS, contentType: "application/json" });
  try {
    return await withSandbox(async (sandbox) => {
      const config = targetConfig(sandbox.url, `${capture.url}/pay`);
      const single = await startServer("paybridge", config);
      try {
        const many = await startServer("paybridge", { ...config, merchants: MERCHANT_COUNT });
        try {
          return await measureBoth({ single, many, sandbox, capture });
        } finally {
          await many.stop();
        }
      } finally {
        await single.stop();
      }
    });
  } finally {
    await capture.close();
  }
}

/** One side: its orders, their notifies, and where each is posted. */
async function prepareSide(target, prefix, { sandbox, capture, merchants }) {
  const { notifyFor, contentType } = await captureNotifyTemplate({ payUrl: target.url, sandboxUrl: sandbox.url, capture });
  const warm = await createOrders([target.url], orderNumbers(`${prefix}W`, WARMUP_ORDERS), ORDER_KIND);
  const measured = await createOrders([target.url], orderNumbers(`${prefix}M`, MERCHANTS_ORDERS), ORDER_KIND);
  const pathFor = (order) => pathOf(target.url, `/notify/${BENCH_GATEWAY}${merchants ? `/${merchantOf(order.orderNo, merchants)}` : ""}`);
  const requests = (orders) => orders.map((order) => ({ body: notifyFor(order), path: pathFor(order) }));
  return { target, contentType, orders: [...warm, ...measured], warm: requests(warm), measured: requests(measured) };
}

async function notifyLoad(side, requestAt, options) {
  const run = await load({ url: side.target.url, path: requestAt(0).path, bodyAt: (i) => requestAt(i).body, pathAt: (i) => requestAt(i).path, contentType: side.contentType, ...options });
  if (failuresOf(run) > 0) throw new Error(`notify run at ${side.target.url} had failures: ${JSON.stringify(run.statusCodes)} errors ${run.errors} timeouts ${run.timeouts}`);
  return run;
}

async function measureBoth({ single, many, sandbox, capture }) {
  const sides = {
    single: await prepareSide(single, "S", { sandbox, capture }),
    many: await prepareSide(many, "K", { sandbox, capture, merchants: MERCHANT_COUNT }),
  };
  const cycling = (list) => (i) => list[i % list.length];
  for (const side of Object.values(sides)) {
    await notifyLoad(side, (i) => side.warm[i], { amount: side.warm.length });
    await notifyLoad(side, cycling(side.warm), { seconds: WARMUP_SECONDS });
  }
  await settleHeaps([single, many]);

  const sliceSize = Math.ceil(MERCHANTS_ORDERS / MERCHANTS_SLICES);
  const sliced = (side) => {
    let next = 0;
    return () => {
      const slice = side.measured.slice(next * sliceSize, (next += 1) * sliceSize);
      return notifyLoad(side, (i) => slice[i], { amount: slice.length });
    };
  };
  const firstTime = await interleave(
    { baseline: { target: single, run: sliced(sides.single) }, paybridge: { target: many, run: sliced(sides.many) } },
    MERCHANTS_SLICES,
  );
  await settleHeaps([single, many]);
  // BENCH_CPU_PROFILE_DIR: CPU profiles of both servers over exactly the already-paid phase.
  const profileDir = process.env.BENCH_CPU_PROFILE_DIR;
  if (profileDir) for (const target of [single, many]) await target.request("profileStart");
  const alreadyPaid = await interleave(
    {
      baseline: { target: single, run: () => notifyLoad(sides.single, cycling(sides.single.measured), { seconds: ALREADY_PAID_SECONDS }) },
      paybridge: { target: many, run: () => notifyLoad(sides.many, cycling(sides.many.measured), { seconds: ALREADY_PAID_SECONDS }) },
    },
    ALREADY_PAID_ROUNDS,
  );
  if (profileDir) {
    for (const [name, target] of [["one-shop", single], ["merchants", many]]) {
      const file = join(profileDir, `merchants-already-paid-${Date.now()}-${name}.cpuprofile`);
      process.stderr.write(`bench: already-paid notify profile (${name}) in ${await target.request("profileStop", { file })}\n`);
    }
  }

  const tally = async (side) => tallyOnPaid(side.orders.map((order) => order.orderNo), [await side.target.request("paidCounts")]);
  const onPaid = { singleShop: await tally(sides.single), merchants: await tally(sides.many) };
  return {
    gateway: BENCH_GATEWAY,
    merchants: MERCHANT_COUNT,
    request: `POST /notify/${BENCH_GATEWAY}/<merchant> (1,000 merchants, orders spread over them) against POST /notify/${BENCH_GATEWAY} (one shop), valid signed notifies`,
    settings: { orders: MERCHANTS_ORDERS, slices: MERCHANTS_SLICES, warmupOrders: WARMUP_ORDERS, alreadyPaidRounds: ALREADY_PAID_ROUNDS, alreadyPaidSeconds: ALREADY_PAID_SECONDS },
    paybridgeFirstTime: firstTime.paybridge,
    baselineBesideFirstTime: firstTime.baseline,
    paybridgeAlreadyPaid: alreadyPaid.paybridge,
    baseline: alreadyPaid.baseline,
    ratioFirstTime: round(firstTime.paybridge.requestsPerSecond / firstTime.baseline.requestsPerSecond, 3),
    cpuRatioFirstTime: round(firstTime.baseline.cpuMsPerRequest / firstTime.paybridge.cpuMsPerRequest, 3),
    ratioAlreadyPaid: round(alreadyPaid.paybridge.requestsPerSecond / alreadyPaid.baseline.requestsPerSecond, 3),
    cpuRatioAlreadyPaid: round(alreadyPaid.baseline.cpuMsPerRequest / alreadyPaid.paybridge.cpuMsPerRequest, 3),
    goal: GOAL_RATIO,
    onPaid: { ...onPaid.merchants, singleShop: onPaid.singleShop, exactlyOnce: onPaid.merchants.exactlyOnce && onPaid.singleShop.exactlyOnce },
  };
}

async function settleHeaps(targets) {
  for (const target of targets) {
    if (!(await target.request("collectGarbage"))) throw new Error("bench servers must run with --expose-gc");
  }
}
