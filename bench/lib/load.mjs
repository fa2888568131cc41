/**
 * One bounded autocannon run: a fixed number of connections, and either a duration or an
 * exact request count. Every request carries a fresh body from `bodyAt(i)` (a shared counter
 * across connections), so each order number or notify is used once per pass.
 */
import { performance } from "node:perf_hooks";
import autocannon from "autocannon";

export const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
export const RUN_SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
export const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 1);

/**
 * @param {object} options
 * @param {string | string[]} options.url  one base URL, or several (connections are spread over them)
 * @param {string} options.path
 * @param {(i: number) => string} options.bodyAt  the body of the i-th request of this run
 * @param {(i: number) => string} [options.pathAt]  the path of the i-th request (default `path`)
 * @param {number} [options.seconds]  run for this long (default RUN_SECONDS)...
 * @param {number} [options.amount]   ...or exactly this many requests
 * @param {string} [options.contentType]
 */
export async function load({ url, path, bodyAt, pathAt, seconds = RUN_SECONDS, amount, contentType = "application/json", connections = CONNECTIONS }) {
  let counter = 0;
  const started = performance.now();
  const tracker = autocannon({
    url,
    connections,
    pipelining: 1,
    timeout: 10,
    ...(amount === undefined ? { duration: seconds } : { amount }),
    requests: [
      {
        method: "POST",
        path,
        headers: { "content-type": contentType },
        setupRequest: (request) => {
          const i = counter++;
          return pathAt ? { ...request, body: bodyAt(i), path: pathAt(i) } : { ...request, body: bodyAt(i) };
        },
      },
    ],
  });
  // Until the last response, not autocannon's `duration`: a run only ends at its next
  // one-second sample tick, which would round a count-bounded run up to whole seconds.
  let lastResponseAt = started;
  tracker.on("response", () => {
    lastResponseAt = performance.now();
  });
  const result = await tracker;
  return summarize(result, (lastResponseAt - started) / 1000);
}

function summarize(result, seconds) {
  const requests = result.requests.total;
  return {
    requests,
    seconds: round(seconds, 3),
    requestsPerSecond: round(requests / seconds, 0),
    latencyMs: { p50: result.latency.p50, p99: result.latency.p99, mean: round(result.latency.average, 2) },
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes: Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count])),
  };
}

/** A run is only a figure when every request succeeded. */
export function failuresOf(run) {
  return run.non2xx + run.errors + run.timeouts;
}

export function round(value, digits) {
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}
