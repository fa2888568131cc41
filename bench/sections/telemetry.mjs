/**
 * What the telemetry costs. Creates and first-time notifies through four built web handlers in
 * one process (bench/servers/telemetry.mjs): `none` and `control` built with no OpenTelemetry
 * SDK registered (uninstrumented), `sdk` with one (metrics collected in memory, spans batched to
 * an exporter that only counts), and `floor`, uninstrumented but with the least telemetry the
 * issue asks for (a client span per gateway call, its duration, the time to paid) written by
 * hand on the same SDK. Their short slices rotate (each side in each place in turn), each
 * after a minor GC, so the sides share the process's heap, JIT and the machine's load alike; a
 * create's gateway call goes over loopback HTTP to a stub here that answers at once. Per slice
 * round, the extra CPU per operation: `sdk` against the mean of the two uninstrumented sides
 * (all the telemetry costs with an SDK), `floor` against the same (the SDK's own work, which
 * any instrumentation of these calls pays), `sdk` against `floor` (paybridge's own part);
 * each the median over rounds. `control` against `none` is the method's noise on this machine.
 * 3 runs, a fresh process each, each building the handlers in another order.
 *
 * The cost with no SDK is timed directly: the instrumented adapter call against the raw one,
 * and the telemetry calls a create and a notify make, in alternating slices, as a share of the
 * operation's CPU. The same timing on the SDK's side gives what each costs with an SDK.
 * Goals: ≤ 1 % with no SDK, ≤ 5 % with the SDK, checked both on the whole (`sdk`) and on
 * paybridge's part (`sdkOverFloor`). The stub is the only socket, on 127.0.0.1.
 */
import { createServer } from "node:http";
import { startServer } from "../lib/child.mjs";
import { round } from "../lib/load.mjs";

const RUNS = Number(process.env.BENCH_TELEMETRY_RUNS ?? 3);
/** Many short slices, rotating (a multiple of 8: each side first, second, third and last equally often, both ways): on a shared machine the CPU an operation costs drifts within seconds. */
const SLICES = Number(process.env.BENCH_TELEMETRY_SLICES ?? 48);
const PER_SLICE = { create: 100, notify: 250 };
const WARMUP = 2_000;
const UNTIMED_PART = 250;
const MICRO = { calls: 20_000, slices: 20 };
const GOALS = { noSdkPercent: 1, sdkPercent: 5 };
const SIDES = ["none", "control", "floor", "sdk"];
/** Each side in each place in turn, forwards and backwards. */
const orderOf = (round) => {
  const shift = round % SIDES.length;
  const turned = [...SIDES.slice(shift), ...SIDES.slice(0, shift)];
  return Math.floor(round / SIDES.length) % 2 === 0 ? turned : turned.reverse();
};
const percentOver = (side, base) => ((side.cpuUs - base.cpuUs) / base.cpuUs) * 100;
const meanOf = (a, b) => ({ cpuUs: (a.cpuUs + b.cpuUs) / 2 });
/** Each run builds the sides in another order (the first built may run faster or slower). */
const BUILD_ORDERS = [
  ["none", "control", "floor", "sdk"],
  ["sdk", "none", "control", "floor"],
  ["floor", "sdk", "none", "control"],
  ["control", "floor", "sdk", "none"],
];

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const spreadOf = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return { min: sorted[0], median: sorted[Math.floor(sorted.length / 2)], max: sorted[sorted.length - 1], values };
};

/** The gateway stub: 127.0.0.1, answers every request at once. */
async function startGatewayStub() {
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}'));
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}/create`,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))),
  };
}

/** A kind's figures over its slice rounds. */
function figures(rounds) {
  const perOp = (side, figure) => round(median(rounds.map((r) => r[side][figure])), 2);
  return {
    noneCpuUsPerOp: perOp("none", "cpuUs"),
    sdkCpuUsPerOp: perOp("sdk", "cpuUs"),
    noneWallUsPerOp: perOp("none", "wallUs"),
    sdkWallUsPerOp: perOp("sdk", "wallUs"),
    // Per round, then the median: drift over the run falls on every side of a round alike.
    sdkOverheadPercent: round(median(rounds.map((r) => percentOver(r.sdk, meanOf(r.none, r.control)))), 2),
    floorPercent: round(median(rounds.map((r) => percentOver(r.floor, meanOf(r.none, r.control)))), 2),
    overFloorPercent: round(median(rounds.map((r) => percentOver(r.sdk, r.floor))), 2),
    controlPercent: round(median(rounds.map((r) => percentOver(r.control, r.none))), 2),
    slicesCpuUs: rounds.map((r) => SIDES.map((side) => round(r[side].cpuUs, 1))),
  };
}

async function once(buildOrder) {
  const gateway = await startGatewayStub();
  let bench;
  try {
    bench = await startServer("telemetry", { gatewayUrl: gateway.url, buildOrder });
    // Untimed work in parts: each request to the child must answer within its timeout on a busy machine.
    const untimed = async (side, kind, from, count) => {
      for (let done = 0; done < count; done += UNTIMED_PART) await bench.request("slice", { side, kind, from: from + done, count: Math.min(UNTIMED_PART, count - done) });
    };
    for (const side of SIDES) {
      for (const kind of ["create", "notify"]) await untimed(side, kind, 0, WARMUP);
    }
    const rounds = { create: [], notify: [] };
    const timedRounds = async (kind, count) => {
      for (let s = 0; s < SLICES; s++) {
        const from = WARMUP + s * count;
        const slices = {};
        for (const side of orderOf(s)) slices[side] = await bench.request("slice", { side, kind, from, count });
        rounds[kind].push(slices);
      }
    };
    await timedRounds("create", PER_SLICE.create);
    // The notify slices pay more orders than the create slices made: the rest are created untimed.
    const created = WARMUP + SLICES * PER_SLICE.create;
    const needed = WARMUP + SLICES * PER_SLICE.notify;
    for (const side of SIDES) if (needed > created) await untimed(side, "create", created, needed - created);
    await timedRounds("notify", PER_SLICE.notify);
    const finish = await bench.request("finish");
    const micro = await bench.request("micro", { side: "none", ...MICRO });
    const microSdk = await bench.request("micro", { side: "sdk", ...MICRO });
    const create = figures(rounds.create);
    const notify = figures(rounds.notify);
    const createExtraNs = micro.gatewayCall.extraNs + micro.createEvent.extraNs;
    const notifyExtraNs = micro.notifyWork.extraNs;
    return {
      buildOrder,
      create,
      notify,
      noSdkOverheadPercent: {
        create: round((createExtraNs / (create.noneCpuUsPerOp * 1000)) * 100, 3),
        notify: round((notifyExtraNs / (notify.noneCpuUsPerOp * 1000)) * 100, 3),
      },
      noSdkExtraNsPerOp: { create: round(createExtraNs, 1), notify: round(notifyExtraNs, 1) },
      sdkExtraNs: { gatewayCall: round(microSdk.gatewayCall.extraNs, 0), createEvent: round(microSdk.createEvent.extraNs, 0), notify: round(microSdk.notifyWork.extraNs, 0) },
      micro,
      microSdk,
      finish,
    };
  } finally {
    await bench?.stop();
    await gateway.close();
  }
}

export async function measureTelemetry() {
  const runs = [];
  for (let i = 0; i < RUNS; i++) {
    const run = await once(BUILD_ORDERS[i % BUILD_ORDERS.length]);
    runs.push(run);
    process.stderr.write(
      `bench: telemetry run ${i + 1}/${RUNS}: SDK ${run.create.sdkOverheadPercent} % create, ${run.notify.sdkOverheadPercent} % notify (the SDK's floor ${run.create.floorPercent} / ${run.notify.floorPercent} %, paybridge over it ${run.create.overFloorPercent} / ${run.notify.overFloorPercent} %; control ${run.create.controlPercent} / ${run.notify.controlPercent} %); no SDK ${run.noSdkOverheadPercent.create} / ${run.noSdkOverheadPercent.notify} %\n`,
    );
  }
  const spread = {};
  for (const kind of ["create", "notify"]) {
    spread[`sdkOverheadPercent.${kind}`] = spreadOf(runs.map((r) => r[kind].sdkOverheadPercent));
    spread[`floorPercent.${kind}`] = spreadOf(runs.map((r) => r[kind].floorPercent));
    spread[`overFloorPercent.${kind}`] = spreadOf(runs.map((r) => r[kind].overFloorPercent));
    spread[`controlPercent.${kind}`] = spreadOf(runs.map((r) => r[kind].controlPercent));
    spread[`noSdkOverheadPercent.${kind}`] = spreadOf(runs.map((r) => r.noSdkOverheadPercent[kind]));
    spread[`noneCpuUsPerOp.${kind}`] = spreadOf(runs.map((r) => r[kind].noneCpuUsPerOp));
    spread[`sdkCpuUsPerOp.${kind}`] = spreadOf(runs.map((r) => r[kind].sdkCpuUsPerOp));
  }
  spread["sdkExtraNs.gatewayCall"] = spreadOf(runs.map((r) => r.sdkExtraNs.gatewayCall));
  spread["sdkExtraNs.notify"] = spreadOf(runs.map((r) => r.sdkExtraNs.notify));
  const headline = (group) => ({ create: spread[`${group}.create`].median, notify: spread[`${group}.notify`].median });
  return {
    what: "creates (gateway call over loopback HTTP to a stub answering at once) and first-time notifies through four web handlers in one process, slices rotating: two uninstrumented (no SDK; one a control), one uninstrumented with the least hand-written telemetry the issue asks for straight on the SDK (the floor), one instrumented by paybridge with the SDK; no-SDK cost and an SDK's cost per call timed directly",
    runs: RUNS,
    slices: SLICES,
    opsPerSlice: PER_SLICE,
    goals: GOALS,
    /** All the telemetry costs with an SDK, the SDK's work included. */
    sdkOverheadPercent: headline("sdkOverheadPercent"),
    /** What the SDK itself costs for the span and recordings the issue asks for, written by hand. */
    floorPercent: headline("floorPercent"),
    /** paybridge's own part with an SDK: its instrumented handler against the floor. */
    overFloorPercent: headline("overFloorPercent"),
    noSdkOverheadPercent: headline("noSdkOverheadPercent"),
    /** The same measurement between two uninstrumented handlers: what this machine's noise alone shows. */
    controlPercent: headline("controlPercent"),
    goalMetInEveryRun: {
      noSdk: runs.every((r) => r.noSdkOverheadPercent.create <= GOALS.noSdkPercent && r.noSdkOverheadPercent.notify <= GOALS.noSdkPercent),
      sdk: runs.every((r) => r.create.sdkOverheadPercent <= GOALS.sdkPercent && r.notify.sdkOverheadPercent <= GOALS.sdkPercent),
      sdkOverFloor: runs.every((r) => r.create.overFloorPercent <= GOALS.sdkPercent && r.notify.overFloorPercent <= GOALS.sdkPercent),
    },
    spread,
    runsDetail: runs,
  };
}
