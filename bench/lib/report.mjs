/** The printed table: one row per figure, with its goal where it has one. */

const number = (value) => (typeof value === "number" ? value.toLocaleString("en-US") : String(value));
const verdict = (ok) => (ok ? "ok" : "BELOW GOAL");

function httpRow(label, run) {
  const cpu = run.cpuMsPerRequest === undefined ? "" : `, server CPU ${run.cpuMsPerRequest} ms/request`;
  return [label, `${number(run.requestsPerSecond)} req/s`, `p50 ${run.latencyMs.p50} ms, p99 ${run.latencyMs.p99} ms, ${number(run.requests)} requests${cpu}`];
}

function ratioRow(label, ratio, goal) {
  return [label, String(ratio), `goal >= ${goal}: ${verdict(ratio >= goal)}`];
}

function clientRows(client) {
  const { iife, treeShakenApp } = client;
  return [
    ["IIFE (script tag)", `${number(iife.rawBytes)} B raw, ${number(iife.gzip9Bytes)} B gzip -9`,
      `budget ${number(iife.budgetGzip9Bytes)}: ${iife.withinBudget ? "ok" : "OVER BUDGET"}; ${iife.reference.name} ${number(iife.reference.gzip9Bytes)}`],
    ["ESM app, createPayClient + one channel", `${number(treeShakenApp.rawBytes)} B raw, ${number(treeShakenApp.gzip9Bytes)} B gzip -9`, "rollup + node-resolve + terser"],
  ];
}

function orderRows(order) {
  return [
    httpRow(`paybridge POST /orders (${order.gateway})`, order.paybridge),
    httpRow("baseline hand-written route", order.baseline),
    ratioRow("ratio paybridge / baseline (req/s)", order.ratio, order.goal),
    ["ratio by server CPU per request", String(order.cpuRatio), "baseline ms / paybridge ms"],
  ];
}

function notifyRows(notify) {
  return [
    httpRow(`paybridge notify, first time (${notify.gateway})`, notify.paybridgeFirstTime),
    httpRow("paybridge notify, already paid", notify.paybridgeAlreadyPaid),
    ...(notify.baselineBesideFirstTime ? [httpRow("baseline, beside the first-time runs", notify.baselineBesideFirstTime)] : []),
    httpRow("baseline verify-and-reply route", notify.baseline),
    ratioRow("ratio already paid / baseline (req/s)", notify.ratioAlreadyPaid, notify.goal),
    ratioRow("ratio first time / baseline (req/s)", notify.ratioFirstTime, notify.goal),
    ["ratio by server CPU per request", `${notify.cpuRatioAlreadyPaid} / ${notify.cpuRatioFirstTime}`, "already paid / first time; baseline ms / paybridge ms"],
    ...(notify.spread
      ? Object.keys(notify.spread).map((name) => {
          const { min, median, max, values } = notify.spread[name];
          return [`${name} over ${values.length} runs`, `min ${min} / median ${median} / max ${max}`, `runs: ${values.join(", ")}`];
        })
      : []),
    ["onPaid calls", `${number(notify.onPaid.onPaidCalls)} for ${number(notify.onPaid.orders)} orders`, notify.onPaid.exactlyOnce ? "exactly once each" : "NOT EXACTLY ONCE"],
  ];
}

function merchantsRows(section) {
  return [
    httpRow(`${section.merchants} merchants, first time (${section.gateway})`, section.paybridgeFirstTime),
    httpRow("one shop, first time, beside it", section.baselineBesideFirstTime),
    httpRow(`${section.merchants} merchants, already paid`, section.paybridgeAlreadyPaid),
    httpRow("one shop, already paid, beside it", section.baseline),
    ratioRow("ratio first time, merchants / one shop (req/s)", section.ratioFirstTime, section.goal),
    ratioRow("ratio already paid, merchants / one shop (req/s)", section.ratioAlreadyPaid, section.goal),
    ["ratio by server CPU per request", `${section.cpuRatioFirstTime} / ${section.cpuRatioAlreadyPaid}`, "first time / already paid; one shop ms / merchants ms"],
    ...Object.entries(section.spread ?? {}).map(([name, { min, median, max, values }]) => [`${name} over ${values.length} runs`, `min ${min} / median ${median} / max ${max}`, `runs: ${values.join(", ")}`]),
    ["onPaid calls", `${number(section.onPaid.onPaidCalls)} for ${number(section.onPaid.orders)} orders`, section.onPaid.exactlyOnce ? "exactly once each (both sides)" : "NOT EXACTLY ONCE"],
  ];
}

function signingRows(signing) {
  return Object.entries(signing).map(([gateway, figures]) => [
    `${gateway} (${figures.rule.algorithm}, ${figures.rule.hexCase}, skip ${figures.rule.skip})`,
    `${number(figures.signPerSecond)} sign/s`,
    `${number(figures.verifyPerSecond)} verify/s`,
  ]);
}

/** A store shared by two instances (bench/lib/two-instances.mjs): Redis, PostgreSQL, MySQL. */
function sharedStoreRows(store) {
  if (store.skipped) return [["shared store", "SKIPPED", store.reason]];
  const { onPaid, spread } = store;
  const over = (key, unit) => (spread?.[key] ? `; ${spread[key].values.length} runs ${unit}: ${spread[key].values.join(", ")}` : "");
  const goal = store.goalConcurrentNotifiesPerSecond === undefined ? "" : `; goal >= ${number(store.goalConcurrentNotifiesPerSecond)}/s in every run: ${verdict(store.goalMetInEveryRun)}`;
  return [
    ...(store.firstTime
      ? [[...httpRow(`${store.instances} instances, first time, 1 per order`, store.firstTime).slice(0, 2),
          `${httpRow("", store.firstTime)[2]}${over("firstTimeRequestsPerSecond", "req/s")}${over("firstTimeCpuMsPerRequest", "CPU ms")}`]]
      : []),
    [...httpRow(`${store.instances} instances, ${store.copiesPerOrder} racing copies/order`, store.concurrent).slice(0, 2),
      `${httpRow("", store.concurrent)[2]}; status ${JSON.stringify(store.concurrent.statusCodes)}${over("concurrentRequestsPerSecond", "req/s")}${goal}`],
    [...httpRow("retry pass, 1 per order", store.retry).slice(0, 2), `${httpRow("", store.retry)[2]}; status ${JSON.stringify(store.retry.statusCodes)}`],
    ["onPaid calls", `${number(onPaid.onPaidCalls)} for ${number(onPaid.orders)} orders`,
      `${onPaid.exactlyOnce ? "exactly once each" : "NOT EXACTLY ONCE"} (once ${onPaid.paidOnce}, never ${onPaid.neverPaid}, more ${onPaid.paidMoreThanOnce}; per instance ${onPaid.callsPerInstance.join(" + ")})`],
  ];
}

function memoryRows(memory) {
  return ["unbounded", "bounded10k", "withTwoRefunds"].map((name) => {
    const scenario = memory[name];
    const last = scenario.growthMiB[scenario.growthMiB.length - 1];
    const perOrder = scenario.bytesPerHeldOrder;
    return [
      `${name} (${number(memory.orders)} orders, ${memory.runs} runs)`,
      `${last.medianMiB} MiB for ${number(last.held)} held (${last.minMiB}-${last.maxMiB})`,
      `${perOrder.median} B/order (${perOrder.min}-${perOrder.max})`,
    ];
  });
}

function telemetryRows(telemetry) {
  const { spread, goals } = telemetry;
  const runs = (key) => `runs: ${spread[key].values.join(", ")}`;
  const row = (label, key, goal) => [label, `median ${spread[key].median} %${goal === undefined ? "" : ` (goal <= ${goal} %: ${verdict(spread[key].median <= goal)})`}`, runs(key)];
  return [
    row("no SDK, create (timed directly)", "noSdkOverheadPercent.create", goals.noSdkPercent),
    row("no SDK, notify (timed directly)", "noSdkOverheadPercent.notify", goals.noSdkPercent),
    row("SDK, create (loopback gateway)", "sdkOverheadPercent.create", goals.sdkPercent),
    row("SDK, notify", "sdkOverheadPercent.notify", goals.sdkPercent),
    row("the SDK's floor (hand-written), create", "floorPercent.create"),
    row("the SDK's floor (hand-written), notify", "floorPercent.notify"),
    row("paybridge over the floor, create", "overFloorPercent.create", goals.sdkPercent),
    row("paybridge over the floor, notify", "overFloorPercent.notify", goals.sdkPercent),
    row("control: two uninstrumented, create", "controlPercent.create"),
    row("control: two uninstrumented, notify", "controlPercent.notify"),
    ["SDK cost per gateway call / per paid notify", `${spread["sdkExtraNs.gatewayCall"].median} ns / ${spread["sdkExtraNs.notify"].median} ns`, "median of runs, timed directly"],
  ];
}

function reconcileRows(reconcile) {
  return Object.values(reconcile.sizes).map((size) => [
    `${number(size.orders)} orders, ${number(size.billRows)} bill rows (${reconcile.runs} runs, heap cap ${reconcile.heapCapMiB} MiB)`,
    `${size.wallSeconds.median} s wall (${size.wallSeconds.min}-${size.wallSeconds.max}), ${size.cpuSeconds.median} s CPU`,
    `peak RSS ${size.peakRssMiB.median} MiB, heap ${size.peakHeapMiB.median} MiB; ${number(size.mismatches)} mismatches`,
  ]);
}

const SECTIONS = [
  ["client", "Client size", clientRows],
  ["orderRoute", "Order route", orderRows],
  ["notifyRoute", "Notify route", notifyRows],
  ["signing", "Signing (per gateway rule)", signingRows],
  ["redis", "Redis store, two instances", sharedStoreRows],
  ["postgres", "PostgreSQL store, two instances", sharedStoreRows],
  ["mysql", "MySQL store (MariaDB), two instances", sharedStoreRows],
  ["memory", "Memory store heap (MemoryOrderStore)", memoryRows],
  ["telemetry", "Telemetry overhead (CPU per operation)", telemetryRows],
  ["reconcile", "Reconciliation (bounded memory)", reconcileRows],
  ["merchants", "Notify route, 1,000 merchants against one shop", merchantsRows],
];

export function formatReport(results) {
  const lines = [];
  const { machine, settings } = results;
  lines.push(`paybridge bench — ${machine.date}`);
  lines.push(`${machine.cores} x ${machine.cpuModel}, Node ${machine.node}, ${machine.platform}`);
  lines.push(`load average at start ${machine.loadAverageAtStart.join(" ")}, at end ${results.loadAverageAtEnd.join(" ")}`);
  // At the end the bench's own load shows; only the start says whether others were busy.
  if (machine.loadAverageAtStart[0] > machine.cores / 2) {
    lines.push("WARNING: the machine was busy with other work; req/s figures are noisy (CPU per request less so)");
  }
  lines.push(`HTTP: ${settings.connections} connections, ${settings.rounds} runs of ${settings.runSeconds} s per side (A B B A) after ${settings.warmupSeconds} s warm-up, gateway ${settings.gateway} on the sandbox`);
  if (settings.notifyOrders !== undefined) {
    lines.push(
      `Notify: ${settings.notifyOrders} first-time notifies in ${settings.notifyFirstTimeSlices} slices per side (after ${settings.notifyWarmupOrders} warm-up orders); already paid ${settings.notifyAlreadyPaidRounds} runs of ${settings.notifyAlreadyPaidSeconds ?? settings.runSeconds} s per side`,
    );
  }
  for (const [key, title, rowsOf] of SECTIONS) {
    lines.push("", title);
    const section = results[key];
    if (section === undefined) continue;
    const rows = section?.error ? [["FAILED", section.error, ""]] : rowsOf(section);
    const widths = [0, 1].map((column) => Math.max(...rows.map((row) => row[column].length)));
    for (const row of rows) lines.push(`  ${row[0].padEnd(widths[0])}  ${row[1].padEnd(widths[1])}  ${row[2]}`.trimEnd());
  }
  return lines.join("\n");
}
