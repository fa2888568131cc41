/** `sweep`: one sweepExpired() — close expired pending orders, prune past retention — and its counts. */
import type { Command } from "./command.js";
import { EXIT } from "./exit-codes.js";
import { fields } from "./format.js";
import { printJson } from "./io.js";

export const SWEEP_COMMAND: Command = {
  name: "sweep",
  usage: "",
  summary: "close expired pending orders and prune finished ones past retention, once",
  optionHelp: [],
  details: "Prints how many orders were closed, failed to close, left for a later sweep, and pruned. Exit 0 even when some failed to close (they stay pending for the next sweep).",
  options: {},
  args: [0, 0],
  async run(context) {
    const { operations } = await context.paybridge();
    const result = await operations.sweepExpired();
    if (context.global.json) printJson(context.io, result);
    else {
      context.io.stdout.write(
        fields([
          ["closed", result.closed],
          ["failed to close", result.failed],
          ["deferred", result.deferred],
          ["pruned orders", result.pruned],
          ["pruned notifies", result.prunedNotifies],
        ]),
      );
    }
    return EXIT.ok;
  },
};
