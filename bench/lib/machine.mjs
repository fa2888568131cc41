/** What the figures were measured on, so runs on different machines are not compared blindly. */
import os from "node:os";

export function describeMachine() {
  const cpus = os.cpus();
  return {
    cores: cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? "unknown",
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    date: new Date().toISOString(),
    /** Other work on the machine skews throughput; this says how much there was. */
    loadAverageAtStart: loadAverage(),
  };
}

/** 1, 5 and 15 minute load averages. */
export function loadAverage() {
  return os.loadavg().map((value) => Math.round(value * 100) / 100);
}
