/**
 * Two paybridge instances (separate processes) sharing one Redis store (bench/lib/two-instances.mjs):
 * first-time notifies, and every order's notify arriving several times at once across both
 * instances, then the gateway's retry; onPaid exactly once per order in total. Goal: the racing
 * pass at ≥ 4,000 notifies/s.
 */
import { measureTwoInstances } from "../lib/two-instances.mjs";
import { redisServerMissing, startRedisServer } from "../lib/redis-server.mjs";

const ORDERS = Number(process.env.BENCH_REDIS_ORDERS ?? 2_000);
export const REDIS_GOAL_NOTIFIES_PER_SECOND = 4_000;

export async function measureRedis({ runs = 1, log } = {}) {
  if (redisServerMissing()) {
    const reason = "redis-server is not installed (not found on PATH)";
    console.error(`\n!!!!!!!!!! REDIS BENCH SKIPPED: ${reason} !!!!!!!!!!\n`);
    return { skipped: true, reason };
  }
  const redis = await startRedisServer();
  try {
    const prefix = `paybridge-bench:${Date.now().toString(36)}`;
    const figures = await measureTwoInstances({
      storeFor: async (run) => ({ kind: "redis", url: redis.url, keyPrefix: `${prefix}:${run}:` }),
      orders: ORDERS,
      runs,
      headline: "concurrent",
      log,
    });
    const goalMetInEveryRun = figures.runs.every((run) => run.requestsPerSecond.concurrent >= REDIS_GOAL_NOTIFIES_PER_SECOND);
    return { ...figures, goalConcurrentNotifiesPerSecond: REDIS_GOAL_NOTIFIES_PER_SECOND, goalMetInEveryRun };
  } finally {
    await redis.stop();
  }
}
