/**
 * paybridge against its baseline on a machine that may be busy: both servers stay up, and the
 * measured runs alternate A B B A (one pair per two rounds), so background load and drift fall
 * on both sides alike. Each run is also charged the server process's CPU time, a figure that
 * other load on the machine disturbs far less than requests per second.
 */
import { round } from "./load.mjs";

export const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);

/**
 * `sides`: { name: { target, run: () => Promise<run> } }, exactly two; `rounds` runs per side
 * (default ROUNDS). Resolves combined figures per side.
 */
export async function interleave(sides, rounds = ROUNDS) {
  const [first, second] = Object.keys(sides);
  const runs = { [first]: [], [second]: [] };
  for (let i = 0; i < rounds; i++) {
    for (const name of i % 2 === 0 ? [first, second] : [second, first]) {
      runs[name].push(await withCpu(sides[name].target, sides[name].run));
    }
  }
  return { [first]: combine(runs[first]), [second]: combine(runs[second]) };
}

/** The run, plus the CPU milliseconds the target process spent per request during it. */
export async function withCpu(target, run) {
  const before = await target.request("cpuUsage");
  const result = await run();
  const after = await target.request("cpuUsage");
  const cpuMs = (after.user - before.user + after.system - before.system) / 1000;
  return { ...result, cpuMs: round(cpuMs, 1), cpuMsPerRequest: round(cpuMs / result.requests, 3) };
}

/** Totals over runs; latency percentiles are the mean of the runs' (each run's is in `runs`). */
export function combine(runs) {
  const sum = (pick) => runs.reduce((total, run) => total + pick(run), 0);
  const mean = (pick) => round(sum(pick) / runs.length, 2);
  const requests = sum((run) => run.requests);
  const seconds = sum((run) => run.seconds);
  const cpuMs = sum((run) => run.cpuMs);
  return {
    requests,
    seconds: round(seconds, 3),
    requestsPerSecond: round(requests / seconds, 0),
    latencyMs: { p50: mean((run) => run.latencyMs.p50), p99: mean((run) => run.latencyMs.p99), mean: mean((run) => run.latencyMs.mean) },
    cpuMsPerRequest: round(cpuMs / requests, 3),
    runs,
  };
}
