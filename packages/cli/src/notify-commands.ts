/**
 * `notify list` and `notify replay`: the store's inbox of notifies, paged through listNotifies
 * (`after` = the last id of a page), and run again through replay(id).
 */
import type { NotifyEntry, NotifyQuery, NotifyVerdict, PaybridgeHandler, ReplayResult } from "@paybridge/server-middleware/web";
import type { Command, CommandContext } from "./command.js";
import { describeError, EXIT, usageError } from "./exit-codes.js";
import { fields, table } from "./format.js";
import { printJson } from "./io.js";
import { progressBar } from "./progress.js";
import { moment, oneOf, positiveInteger, text } from "./values.js";

const VERDICTS: readonly NotifyVerdict[] = ["accepted", "rejected", "unmatched", "retry"];
/** listNotifies answers at most 1,000 a page. */
const PAGE = 1_000;
const MAX_LISTED = 100_000;

const FILTER_OPTIONS = {
  since: { type: "string" },
  until: { type: "string" },
  gateway: { type: "string" },
  verdict: { type: "string" },
  limit: { type: "string" },
} as const;

const FILTER_HELP: readonly (readonly [string, string])[] = [
  ["--since <time>", "received at or after: ISO 8601, a day (its midnight in +08:00) or epoch ms"],
  ["--until <time>", "received before"],
  ["--gateway <id>", "one gateway's notifies"],
  ["--verdict <v>", `${VERDICTS.join(", ")}`],
];

function filterOf(context: CommandContext): Omit<NotifyQuery, "after" | "limit"> {
  const since = moment(context.values, "since");
  const until = moment(context.values, "until");
  const gateway = text(context.values, "gateway");
  const verdict = oneOf(context.values, "verdict", VERDICTS);
  return {
    ...(since === undefined ? {} : { since }),
    ...(until === undefined ? {} : { until }),
    ...(gateway === undefined ? {} : { gateway }),
    ...(verdict === undefined ? {} : { verdict }),
  };
}

/** The inbox's entries matching `filter`, page by page, at most `limit` in all. */
async function* entries(operations: PaybridgeHandler, filter: NotifyQuery, limit: number): AsyncGenerator<NotifyEntry> {
  let after: string | undefined;
  let left = limit;
  while (left > 0) {
    const page = await operations.listNotifies({ ...filter, limit: Math.min(PAGE, left), ...(after === undefined ? {} : { after }) });
    for (const entry of page) yield entry;
    left -= page.length;
    const last = page.at(-1);
    if (!last || page.length < Math.min(PAGE, left + page.length)) return;
    after = last.id;
  }
}

const list: Command = {
  name: "notify list",
  usage: "[--since <time>] [--until <time>] [--gateway <id>] [--verdict <v>] [--limit <n>]",
  summary: "the notifies kept in the inbox, oldest first",
  optionHelp: [...FILTER_HELP, ["--limit <n>", `at most this many (default 100, at most ${MAX_LISTED})`]],
  details: "The raw body and headers are not printed (they are the gateway's); --json gives each entry without its body.",
  options: FILTER_OPTIONS,
  args: [0, 0],
  async run(context) {
    const filter = filterOf(context);
    const limit = positiveInteger(context.values, "limit", MAX_LISTED) ?? 100;
    const { operations } = await context.paybridge();
    const listed: Omit<NotifyEntry, "body" | "headers">[] = [];
    for await (const { body: _body, headers: _headers, ...entry } of entries(operations, filter, limit)) listed.push(entry);
    if (context.global.json) {
      printJson(context.io, listed);
      return EXIT.ok;
    }
    context.io.stdout.write(
      table(
        ["id", "received", "gateway", "verdict", "order", "merchant", "replays", "reason"],
        listed.map((entry) => [entry.id, entry.receivedAt, entry.gateway, entry.verdict, entry.orderNo, entry.merchantId, entry.replays, entry.reason]),
      ),
    );
    return EXIT.ok;
  },
};

const replay: Command = {
  name: "notify replay",
  usage: "<id> | --all --since <time> [--until <time>] [--gateway <id>] [--verdict <v>] [--limit <n>]",
  summary: "run kept notifies again through verification and application (idempotent)",
  optionHelp: [["--all", "every notify matching the filters (--since is required), with a progress bar"], ...FILTER_HELP, ["--limit <n>", "at most this many (default 10000)"]],
  details: "Exit 0 when every replayed notify was accepted; 4 when one was not (its verdict is printed) or could not be replayed.",
  options: { ...FILTER_OPTIONS, all: { type: "boolean" } },
  args: [0, 1],
  async run(context) {
    if (context.values.all !== true) {
      const id = context.args[0];
      if (id === undefined || Object.keys(filterOf(context)).length > 0) throw usageError("notify replay takes one id, or --all with filters");
      const { operations } = await context.paybridge();
      const result = await operations.replay(id);
      if (context.global.json) printJson(context.io, result);
      else context.io.stdout.write(replayFields(result));
      return result.verdict === "accepted" ? EXIT.ok : EXIT.failure;
    }
    if (context.args.length > 0) throw usageError("notify replay --all takes no id");
    const filter = filterOf(context);
    if (filter.since === undefined) throw usageError("notify replay --all needs --since (the first notify to replay)");
    const limit = positiveInteger(context.values, "limit", MAX_LISTED) ?? 10_000;
    const { operations } = await context.paybridge();
    return replayAll(context, operations, filter, limit);
  },
};

const replayFields = (result: ReplayResult): string =>
  fields([["notify", result.id], ["gateway", result.gateway], ["order", result.orderNo], ["verdict", result.verdict], ["reason", result.reason], ["reply", result.replyStatus]]);

async function replayAll(context: CommandContext, operations: PaybridgeHandler, filter: NotifyQuery, limit: number) {
  // Collected first: a replay rewrites its entry's verdict, so paging while replaying would skip or repeat.
  const ids: string[] = [];
  for await (const entry of entries(operations, filter, limit)) ids.push(entry.id);
  const progress = progressBar(context.io, "replaying", !context.global.json);
  const results: ReplayResult[] = [];
  const failures: { id: string; code: string; message: string }[] = [];
  for (const [index, id] of ids.entries()) {
    progress.update(index, ids.length);
    try {
      results.push(await operations.replay(id));
    } catch (error) {
      const { code, message } = describeError(error);
      failures.push({ id, code, message });
    }
  }
  progress.update(ids.length, ids.length);
  progress.end();
  const verdicts = Object.fromEntries(VERDICTS.map((verdict) => [verdict, results.filter((result) => result.verdict === verdict).length]));
  if (context.global.json) printJson(context.io, { replayed: results.length, verdicts, failures, results });
  else {
    context.io.stdout.write(table(["notify", "gateway", "order", "verdict", "reason"], results.map((r) => [r.id, r.gateway, r.orderNo, r.verdict, r.reason])));
    for (const failure of failures) context.io.stdout.write(`could not replay ${failure.id}: ${failure.message} [${failure.code}]\n`);
    context.io.stdout.write(`\n${results.length} replayed: ${VERDICTS.map((verdict) => `${verdicts[verdict]} ${verdict}`).join(", ")}; ${failures.length} could not be replayed\n`);
  }
  return failures.length === 0 && results.every((result) => result.verdict === "accepted") ? EXIT.ok : EXIT.failure;
}

export const NOTIFY_COMMANDS: readonly Command[] = [list, replay];
