/**
 * Two paybridge instances (separate processes) sharing one Redis store: notify throughput
 * when every order's notify arrives several times at once across both instances, then the
 * gateway's retry of each; onPaid must have run exactly once per order in total.
 */
import { startServer } from "../lib/child.mjs";
import { failuresOf, load } from "../lib/load.mjs";
import { startNotifyCapture } from "../lib/notify-capture.mjs";
import { ORDER_KIND, captureNotifyTemplate, tallyOnPaid } from "../lib/notify-template.mjs";
import { createOrders, orderNumbers } from "../lib/orders.mjs";
import { redisServerMissing, startRedisServer } from "../lib/redis-server.mjs";
import { BENCH_GATEWAY, withSandbox } from "../lib/targets.mjs";
import { NOTIFY_SUCCESS } from "../lib/xiangma-wire.mjs";
import { pathOf, targetConfig } from "./order-route.mjs";

const ORDERS = Number(process.env.BENCH_REDIS_ORDERS ?? 2_000);
const WARMUP_ORDERS = 300;
/** Copies of each notify fired back to back, so they race on different connections and instances. */
const COPIES = 4;
const INSTANCES = 2;

export async function measureRedis() {
  if (redisServerMissing()) {
    const reason = "redis-server is not installed (not found on PATH)";
    console.error(`\n!!!!!!!!!! REDIS BENCH SKIPPED: ${reason} !!!!!!!!!!\n`);
    return { skipped: true, reason };
  }
  const redis = await startRedisServer();
  const capture = await startNotifyCapture({ successReply: NOTIFY_SUCCESS, contentType: "application/json" });
  try {
    return await withSandbox(async (sandbox) => {
      const config = {
        ...targetConfig(sandbox.url, `${capture.url}/pay`),
        redis: { url: redis.url, keyPrefix: `paybridge-bench:${Date.now().toString(36)}:` },
      };
      const instances = await Promise.all(Array.from({ length: INSTANCES }, () => startServer("paybridge", config)));
      try {
        return await measureInstances(instances, sandbox, capture);
      } finally {
        await Promise.all(instances.map((instance) => instance.stop()));
      }
    });
  } finally {
    await capture.close();
    await redis.stop();
  }
}

async function measureInstances(instances, sandbox, capture) {
  const urls = instances.map((instance) => instance.url);
  const path = pathOf(urls[0], `/notify/${BENCH_GATEWAY}`);
  const { notifyFor, contentType } = await captureNotifyTemplate({ payUrl: urls[0], sandboxUrl: sandbox.url, capture });
  const warmOrders = await createOrders(urls, orderNumbers("RW", WARMUP_ORDERS), ORDER_KIND);
  const orders = await createOrders(urls, orderNumbers("RM", ORDERS), ORDER_KIND);

  const racePass = (bodies) => load({ url: urls, path, contentType, bodyAt: (i) => bodies[Math.floor(i / COPIES)], amount: bodies.length * COPIES });
  // A notify not answered with success (its copy was still running onPaid) is retried by the gateway.
  const retryPass = (bodies) => load({ url: urls, path, contentType, bodyAt: (i) => bodies[i], amount: bodies.length });

  const warmBodies = warmOrders.map(notifyFor);
  await racePass(warmBodies);
  await retryPass(warmBodies);
  const bodies = orders.map(notifyFor);
  const concurrent = await racePass(bodies);
  const retry = await retryPass(bodies);

  const counts = await Promise.all(instances.map((instance) => instance.request("paidCounts")));
  const onPaid = tallyOnPaid([...warmOrders, ...orders].map((order) => order.orderNo), counts);
  const perInstance = counts.map((instanceCounts) => Object.values(instanceCounts).reduce((sum, n) => sum + n, 0));
  return {
    instances: INSTANCES,
    gateway: BENCH_GATEWAY,
    orders: orders.length,
    copiesPerOrder: COPIES,
    concurrent,
    retry,
    retryFailures: failuresOf(retry),
    onPaid: { ...onPaid, callsPerInstance: perInstance },
  };
}
