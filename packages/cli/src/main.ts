/**
 * The command line: finds the command by its words, parses its options with node:util's
 * parseArgs (strict: an unknown flag is a usage error), runs it, prints an error as one line,
 * and always releases the config's store. Returns the exit code (src/exit-codes.ts).
 */
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import { GLOBAL_OPTIONS, type Command } from "./command.js";
import { loadConfig, type Paybridge } from "./config.js";
import { describeError, EXIT, usageError, type ExitCode } from "./exit-codes.js";
import { commandHelp, groupHelp, mainHelp } from "./help.js";
import type { CliIo, GlobalOptions } from "./io.js";
import { NOTIFY_COMMANDS } from "./notify-commands.js";
import { ORDER_COMMANDS } from "./order-commands.js";
import { RECONCILE_COMMAND } from "./reconcile-command.js";
import { SWEEP_COMMAND } from "./sweep-command.js";

export const COMMANDS: readonly Command[] = [RECONCILE_COMMAND, ...ORDER_COMMANDS, ...NOTIFY_COMMANDS, SWEEP_COMMAND];
const GROUPS = new Set(COMMANDS.map((command) => command.name.split(" ")[0] as string).filter((word) => COMMANDS.some((command) => command.name.startsWith(`${word} `))));

/** How the config is loaded: tests hand in a fake. */
export type LoadPaybridge = (configPath: string | undefined, cwd: string) => Promise<Paybridge>;

export async function main(argv: readonly string[], io: CliIo, load: LoadPaybridge = loadConfig): Promise<ExitCode> {
  let verbose = argv.includes("--verbose");
  let json = argv.includes("--json");
  let loaded: Promise<Paybridge> | undefined;
  try {
    // A first, lenient pass finds the command words wherever the global options stand.
    const first = parseArgs({ args: [...argv], options: GLOBAL_OPTIONS, strict: false, allowPositionals: true });
    const [word, second] = first.positionals;
    if (first.values.version === true && word === undefined) {
      io.stdout.write(`${version()}\n`);
      return EXIT.ok;
    }
    if (word === undefined) {
      (first.values.help === true ? io.stdout : io.stderr).write(mainHelp(COMMANDS));
      return first.values.help === true ? EXIT.ok : EXIT.usage;
    }
    const command = COMMANDS.find((candidate) => candidate.name === `${word} ${second}`) ?? COMMANDS.find((candidate) => candidate.name === word);
    if (!command) {
      if (GROUPS.has(word) && first.values.help === true) {
        io.stdout.write(groupHelp(word, COMMANDS));
        return EXIT.ok;
      }
      const known = GROUPS.has(word) ? `unknown ${word} command ${JSON.stringify(second ?? "")}` : `unknown command ${JSON.stringify(word)}`;
      throw usageError(`${known} (paybridge --help lists the commands)`);
    }
    if (first.values.help === true) {
      io.stdout.write(commandHelp(command));
      return EXIT.ok;
    }
    const parsed = strictParse(argv, command);
    const values = parsed.values as Record<string, string | boolean | undefined>;
    const global: GlobalOptions = {
      config: values.config as string | undefined,
      json: values.json === true,
      merchant: values.merchant as string | undefined,
      verbose: values.verbose === true,
    };
    ({ verbose, json } = global);
    const args = parsed.positionals.slice(command.name.split(" ").length);
    const [least, most] = command.args;
    if (args.length < least || args.length > most) throw usageError(`usage: paybridge ${command.name} ${command.usage}`.trimEnd());
    return await command.run({
      io,
      global,
      args,
      values,
      paybridge: () => (loaded ??= load(global.config, io.cwd).then((paybridge) => forMerchant(paybridge, global.merchant))),
    });
  } catch (error) {
    return report(io, error, { verbose, json });
  } finally {
    if (loaded) await dispose(io, loaded, verbose);
  }
}

/** --merchant only where the config has merchants: a single shop would silently ignore it. */
function forMerchant(paybridge: Paybridge, merchant: string | undefined): Paybridge {
  if (merchant !== undefined && !paybridge.merchants) throw usageError("--merchant is for a config with `merchants`; this one has a single shop");
  return paybridge;
}

function strictParse(argv: readonly string[], command: Command) {
  try {
    return parseArgs({ args: [...argv], options: { ...GLOBAL_OPTIONS, ...command.options }, strict: true, allowPositionals: true });
  } catch (error) {
    // parseArgs names the flag; its advice about `--` is for positionals, not what went wrong here.
    const message = error instanceof Error ? (error.message.split(". ")[0] ?? error.message) : String(error);
    throw usageError(`${message} (paybridge ${command.name} --help lists its options)`);
  }
}

function report(io: CliIo, error: unknown, mode: { verbose: boolean; json: boolean }): ExitCode {
  const { exitCode, code, message } = describeError(error);
  io.stderr.write(`paybridge: ${message} [${code}]\n`);
  if (mode.verbose) io.stderr.write(`${stackOf(error)}\n`);
  if (mode.json) io.stdout.write(`${JSON.stringify({ error: { code, message, exitCode } }, null, 2)}\n`);
  return exitCode;
}

function stackOf(error: unknown): string {
  const lines: string[] = [];
  for (let cause = error, depth = 0; cause !== undefined && depth < 5; cause = (cause as { cause?: unknown }).cause, depth += 1) {
    lines.push(cause instanceof Error ? (cause.stack ?? `${cause.name}: ${cause.message}`) : String(cause));
  }
  return lines.join("\ncaused by: ");
}

/** The store's connections are closed whatever happened; a failure to close is said, never thrown. */
async function dispose(io: CliIo, loaded: Promise<Paybridge>, verbose: boolean): Promise<void> {
  try {
    await (await loaded).dispose();
  } catch (error) {
    // A config that failed to load has nothing to close (its error was reported).
    if (!(await loaded.then(() => true, () => false))) return;
    io.stderr.write(`paybridge: the store did not close cleanly [store_error]\n`);
    if (verbose) io.stderr.write(`${stackOf(error)}\n`);
  }
}

function version(): string {
  const manifest = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string };
  return manifest.version;
}
