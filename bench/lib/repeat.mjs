/**
 * A comparison section measured several times over, each run with fresh servers: the figure
 * the goal is about is then a spread (min / median / max over the runs), not one draw from a
 * machine others may be busy on. The median run is the section's headline figures.
 */
import { loadAverage } from "./machine.mjs";

/** The ratio fields a notify run carries (req/s ratios and server-CPU ratios). */
export const NOTIFY_RATIOS = [
  "ratioFirstTime",
  "cpuRatioFirstTime",
  "ratioAlreadyPaid",
  "cpuRatioAlreadyPaid",
  "ratioFirstTimeVsTimedBaseline",
  "cpuRatioFirstTimeVsTimedBaseline",
];

export function spreadOf(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle] : Math.round(((sorted[middle - 1] + sorted[middle]) / 2) * 1000) / 1000;
  return { values, min: sorted[0], median, max: sorted[sorted.length - 1] };
}

/**
 * Runs `measure` `runs` times. Resolves the median run's figures (by `headline`) plus `runs`
 * (each run's ratios, CPU ms per request and load average) and `spread` of every ratio.
 */
export async function repeatSection(measure, { runs, ratios, headline, log }) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    log?.(`run ${i + 1} of ${runs}`);
    const loadAtStart = loadAverage();
    const result = await measure();
    results.push({ result, loadAtStart });
  }
  const byHeadline = [...results].sort((a, b) => a.result[headline] - b.result[headline]);
  const median = byHeadline[Math.floor((byHeadline.length - 1) / 2)].result;
  const spread = Object.fromEntries(ratios.map((name) => [name, spreadOf(results.map(({ result }) => result[name]))]));
  return {
    ...median,
    runCount: runs,
    runs: results.map(({ result, loadAtStart }, index) => ({
      run: index + 1,
      ...Object.fromEntries(ratios.map((name) => [name, result[name]])),
      cpuMsPerRequest: {
        firstTime: result.paybridgeFirstTime?.cpuMsPerRequest,
        alreadyPaid: result.paybridgeAlreadyPaid?.cpuMsPerRequest,
        baseline: result.baseline?.cpuMsPerRequest,
        baselineBesideFirstTime: result.baselineBesideFirstTime?.cpuMsPerRequest,
      },
      // Every slice's figure, in the order run, so a run's outlier can be told from a shift of the whole run.
      slicesCpuMsPerRequest: {
        firstTime: result.paybridgeFirstTime?.runs?.map((slice) => slice.cpuMsPerRequest),
        baselineBesideFirstTime: result.baselineBesideFirstTime?.runs?.map((slice) => slice.cpuMsPerRequest),
      },
      requestsPerSecond: {
        firstTime: result.paybridgeFirstTime?.requestsPerSecond,
        alreadyPaid: result.paybridgeAlreadyPaid?.requestsPerSecond,
        baseline: result.baseline?.requestsPerSecond,
        baselineBesideFirstTime: result.baselineBesideFirstTime?.requestsPerSecond,
      },
      onPaidExactlyOnce: result.onPaid?.exactlyOnce,
      loadAverageAtStart: loadAtStart,
    })),
    spread,
    // onPaid must be exactly once in every run, not only the median one.
    onPaid: { ...median.onPaid, exactlyOnce: results.every(({ result }) => result.onPaid?.exactlyOnce) },
    goalMetInEveryRun: results.every(({ result }) => result.ratioFirstTime >= result.goal && result.ratioAlreadyPaid >= result.goal),
  };
}
