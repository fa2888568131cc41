/**
 * A progress bar on stderr for long runs (a day's replays, a bill's rows): only when stderr is a
 * terminal and the output is not JSON, redrawn at most every 100 ms, erased at the end.
 */
import type { CliIo } from "./io.js";

const REDRAW_MS = 100;
const BAR_WIDTH = 24;

export interface Progress {
  /** `done` of `total` (total unknown: a count only), with a short note. */
  update(done: number, total?: number, note?: string): void;
  end(): void;
}

const SILENT: Progress = { update: () => {}, end: () => {} };

export function progressBar(io: CliIo, label: string, enabled: boolean): Progress {
  if (!enabled || io.stderr.isTTY !== true) return SILENT;
  let last = 0;
  let drawn = false;
  return {
    update(done, total, note) {
      const now = Date.now();
      if (now - last < REDRAW_MS && done !== total) return;
      last = now;
      drawn = true;
      const counted = total === undefined ? `${done}` : `${done}/${total}`;
      const ratio = total === undefined || total === 0 ? undefined : Math.min(1, done / total);
      const bar = ratio === undefined ? "" : `[${"#".repeat(Math.round(ratio * BAR_WIDTH)).padEnd(BAR_WIDTH, ".")}] `;
      const text = `${label} ${bar}${counted}${note ? ` ${note}` : ""}`;
      io.stderr.write(`\r${text.slice(0, (io.stderr.columns ?? 80) - 1)}\u001b[K`);
    },
    end() {
      if (drawn) io.stderr.write("\r\u001b[K");
    },
  };
}
