/**
 * What a command is: its words, usage, help, the options node:util's parseArgs reads for it, how
 * many arguments it takes, and what it runs. Every command also takes the global options.
 */
import type { ParseArgsConfig } from "node:util";
import type { Paybridge } from "./config.js";
import type { ExitCode } from "./exit-codes.js";
import type { CliIo, GlobalOptions } from "./io.js";

export type OptionSpecs = NonNullable<ParseArgsConfig["options"]>;
export type OptionValues = Readonly<Record<string, string | boolean | undefined>>;

export interface CommandContext {
  readonly io: CliIo;
  readonly global: GlobalOptions;
  /** The positional arguments after the command's words. */
  readonly args: readonly string[];
  readonly values: OptionValues;
  /** The config's operations, loaded on first use (help never needs a config). */
  paybridge(): Promise<Paybridge>;
}

export interface Command {
  /** Its words, e.g. `order show`. */
  readonly name: string;
  /** What follows the words in the usage line, e.g. `<orderNo>`. */
  readonly usage: string;
  readonly summary: string;
  /** `[flag, what it does]` for the help text. */
  readonly optionHelp: readonly (readonly [string, string])[];
  /** More help: what it prints, its exit codes. */
  readonly details?: string;
  readonly options: OptionSpecs;
  /** Positional arguments: at least, at most. */
  readonly args: readonly [number, number];
  run(context: CommandContext): Promise<ExitCode>;
}

/** The options every command takes (and the help lists once). */
export const GLOBAL_OPTIONS = {
  config: { type: "string" },
  json: { type: "boolean" },
  merchant: { type: "string" },
  verbose: { type: "boolean" },
  help: { type: "boolean", short: "h" },
  version: { type: "boolean" },
} as const satisfies OptionSpecs;

export const GLOBAL_HELP: readonly (readonly [string, string])[] = [
  ["--config <file>", "the config file (default ./paybridge.config.mjs, from the working directory)"],
  ["--json", "print one JSON document instead of text (no progress bar)"],
  ["--merchant <id>", "whose order or day, when the config has `merchants`"],
  ["--verbose", "on an error, print its stack too"],
  ["-h, --help", "this help; `paybridge <command> --help` for a command's"],
  ["--version", "the package's version"],
];
