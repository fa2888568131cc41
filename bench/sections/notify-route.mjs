/**
 * POST /notify/:gateway: paybridge against a hand-written verify-and-reply route, over the
 * same valid signed notifies for orders created beforehand. paybridge is measured twice:
 * first-time notifies over distinct pending orders (count-bounded, one pass), and repeated
 * notifies for paid orders (the already-paid path, time-bounded) — the latter is what a
 * gateway's retries cost.
 */
import { startServer } from "../lib/child.mjs";
import { WARMUP_SECONDS, failuresOf, load, round } from "../lib/load.mjs";
import { startNotifyCapture } from "../lib/notify-capture.mjs";
import { ORDER_KIND, captureNotifyTemplate, tallyOnPaid } from "../lib/notify-template.mjs";
import { createOrders, orderNumbers } from "../lib/orders.mjs";
import { BENCH_GATEWAY, withSandbox } from "../lib/targets.mjs";
import { NOTIFY_SUCCESS } from "../lib/xiangma-wire.mjs";
import { pathOf, targetConfig } from "./order-route.mjs";

const MEASURED_ORDERS = Number(process.env.BENCH_NOTIFY_ORDERS ?? 3_000);
const WARMUP_ORDERS = 500;

export async function measureNotifyRoute() {
  const capture = await startNotifyCapture({ successReply: NOTIFY_SUCCESS, contentType: "application/json" });
  try {
    return await withSandbox(async (sandbox) => {
      const config = targetConfig(sandbox.url, `${capture.url}/pay`);
      const paybridge = await measurePaybridge(config, sandbox, capture);
      const baseline = await measureBaseline(config, paybridge.bodies, paybridge.contentType);
      return {
        gateway: BENCH_GATEWAY,
        request: `POST /notify/${BENCH_GATEWAY}, valid signed notifies (rewritten from one the sandbox sent)`,
        paybridgeFirstTime: paybridge.firstTime,
        paybridgeAlreadyPaid: paybridge.alreadyPaid,
        baseline,
        ratioAlreadyPaid: round(paybridge.alreadyPaid.requestsPerSecond / baseline.requestsPerSecond, 3),
        ratioFirstTime: round(paybridge.firstTime.requestsPerSecond / baseline.requestsPerSecond, 3),
        goal: 0.9,
        onPaid: paybridge.onPaid,
      };
    });
  } finally {
    await capture.close();
  }
}

async function measurePaybridge(config, sandbox, capture) {
  const target = await startServer("paybridge", config);
  try {
    const { notifyFor, contentType } = await captureNotifyTemplate({ payUrl: target.url, sandboxUrl: sandbox.url, capture });
    const warmOrders = await createOrders([target.url], orderNumbers("NW", WARMUP_ORDERS), ORDER_KIND);
    const orders = await createOrders([target.url], orderNumbers("NM", MEASURED_ORDERS), ORDER_KIND);
    const warmBodies = warmOrders.map(notifyFor);
    const bodies = orders.map(notifyFor);
    const run = (options) => notifyLoad({ url: target.url, contentType, ...options });

    await checkOneNotify(target.url, warmBodies[0], contentType);
    await run({ bodyAt: (i) => warmBodies[i], amount: warmBodies.length });
    await run({ bodyAt: (i) => warmBodies[i % warmBodies.length], seconds: WARMUP_SECONDS });
    const firstTime = await run({ bodyAt: (i) => bodies[i], amount: bodies.length });
    const alreadyPaid = await run({ bodyAt: (i) => bodies[i % bodies.length] });

    const counts = await target.request("paidCounts");
    const onPaid = tallyOnPaid([...warmOrders, ...orders].map((order) => order.orderNo), [counts]);
    if (!onPaid.exactlyOnce) throw new Error(`onPaid did not run exactly once per order: ${JSON.stringify(onPaid)}`);
    return { firstTime, alreadyPaid, onPaid, bodies, contentType };
  } finally {
    await target.stop();
  }
}

async function measureBaseline(config, bodies, contentType) {
  const target = await startServer("baseline", config);
  try {
    await checkOneNotify(target.url, bodies[0], contentType);
    const run = (options) => notifyLoad({ url: target.url, contentType, bodyAt: (i) => bodies[i % bodies.length], ...options });
    await run({ seconds: WARMUP_SECONDS });
    return await run({});
  } finally {
    await target.stop();
  }
}

async function notifyLoad({ url, ...options }) {
  const run = await load({ url, path: pathOf(url, `/notify/${BENCH_GATEWAY}`), ...options });
  if (failuresOf(run) > 0) throw new Error(`notify run at ${url} had failures: ${JSON.stringify(run.statusCodes)} errors ${run.errors} timeouts ${run.timeouts}`);
  return run;
}

async function checkOneNotify(baseUrl, body, contentType) {
  const response = await fetch(`${baseUrl}/notify/${BENCH_GATEWAY}`, { method: "POST", headers: { "content-type": contentType }, body });
  const text = await response.text();
  if (response.status !== 200) throw new Error(`notify check at ${baseUrl}: HTTP ${response.status} ${text}`);
}
