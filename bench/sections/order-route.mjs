/**
 * POST /orders: paybridge against a hand-written baseline route doing the same wire work, both
 * creating a fresh WeChat h5 order per request at the same gateway, each on its own sandbox
 * process. Both are warmed up, then measured in alternating runs (lib/compare.mjs).
 */
import { startServer } from "../lib/child.mjs";
import { interleave } from "../lib/compare.mjs";
import { WARMUP_SECONDS, failuresOf, load, round } from "../lib/load.mjs";
import { orderNumberSeries } from "../lib/orders.mjs";
import { BENCH_GATEWAY, withSandbox } from "../lib/targets.mjs";

export const GOAL_RATIO = 0.9;

export async function measureOrderRoute() {
  return withSandbox((baselineSandbox) =>
    withSandbox(async (paybridgeSandbox) => {
      const baseline = await startServer("baseline", targetConfig(baselineSandbox.url));
      const paybridge = await startServer("paybridge", targetConfig(paybridgeSandbox.url)).catch(async (error) => {
        await baseline.stop();
        throw error;
      });
      try {
        const sides = { baseline: orderSide(baseline, "OB"), paybridge: orderSide(paybridge, "OP") };
        for (const side of Object.values(sides)) await side.warmUp();
        const figures = await interleave(sides);
        return {
          gateway: BENCH_GATEWAY,
          request: "POST /orders { orderNo, channel: wechat, scene: h5 }, a fresh orderNo per request",
          paybridge: figures.paybridge,
          baseline: figures.baseline,
          ratio: round(figures.paybridge.requestsPerSecond / figures.baseline.requestsPerSecond, 3),
          cpuRatio: round(figures.baseline.cpuMsPerRequest / figures.paybridge.cpuMsPerRequest, 3),
          goal: GOAL_RATIO,
        };
      } finally {
        await Promise.all([baseline.stop(), paybridge.stop()]);
      }
    }),
  );
}

function orderSide(target, prefix) {
  const path = pathOf(target.url, "/orders");
  const orderLoad = async (options) => {
    const run = await load({ url: target.url, path, bodyAt: orderBody(orderNumberSeries(prefix)), ...options });
    if (failuresOf(run) > 0) throw new Error(`order run at ${target.url} had failures: ${JSON.stringify(run.statusCodes)} errors ${run.errors} timeouts ${run.timeouts}`);
    return run;
  };
  return {
    target,
    async warmUp() {
      await checkOneOrder(target.url, `${prefix}C${Date.now().toString(36)}`);
      await orderLoad({ seconds: WARMUP_SECONDS });
    },
    run: () => orderLoad({}),
  };
}

export function targetConfig(sandboxUrl, publicUrl = "http://127.0.0.1:9/pay") {
  // No notify is sent during an order run, so the notify URL only has to be well-formed.
  return { sandboxUrl, publicUrl, notifyUrl: `${publicUrl}/notify/${BENCH_GATEWAY}`, gateway: BENCH_GATEWAY, amountFen: 1 };
}

function orderBody(orderNumber) {
  return (i) => JSON.stringify({ orderNo: orderNumber(i), channel: "wechat", scene: "h5" });
}

/** The path part of `{base}{route}` (autocannon takes the host from the URL). */
export function pathOf(base, route) {
  return new URL(base + route).pathname;
}

/** One order before the load, so a broken route fails loudly instead of being timed. */
async function checkOneOrder(baseUrl, orderNo) {
  const response = await fetch(`${baseUrl}/orders`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ orderNo, channel: "wechat", scene: "h5" }),
  });
  const body = await response.json();
  if (response.status !== 201 || !body.action) throw new Error(`order check at ${baseUrl}: HTTP ${response.status} ${JSON.stringify(body)}`);
}
