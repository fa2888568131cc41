/** The help texts: the command list with the global options and exit codes, a group's, a command's. */
import { GLOBAL_HELP, type Command } from "./command.js";

const EXIT_HELP = `Exit codes:
  0  ok
  1  reconcile found mismatches
  2  usage error: unknown command or flag, a bad value (date, amount, order number), a malformed bill
  3  config error: the config file is missing, cannot be loaded, or its options are refused
  4  the operation failed: store or gateway down or refusing, no such order, a failed refund or replay
`;

function options(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(...rows.map(([flag]) => flag.length));
  return rows.map(([flag, text]) => `  ${flag.padEnd(width)}  ${text}\n`).join("");
}

const usageLine = (command: Command): string => `paybridge ${command.name}${command.usage ? ` ${command.usage}` : ""}`;

export function mainHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  return `Usage: paybridge <command> [options]

The operator's tools for paybridge, on the options of paybridge.config.mjs (its default export:
the options the router takes, including its store).

Commands:
${commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join("\n")}

Options of every command:
${options(GLOBAL_HELP)}
${EXIT_HELP}`;
}

export function groupHelp(group: string, commands: readonly Command[]): string {
  const members = commands.filter((command) => command.name.startsWith(`${group} `));
  return `Usage:\n${members.map((command) => `  ${usageLine(command)}\n      ${command.summary}`).join("\n")}\n\n\`paybridge ${group} <command> --help\` for a command's options.\n`;
}

export function commandHelp(command: Command): string {
  const own = command.optionHelp.length > 0 ? `Options:\n${options(command.optionHelp)}\n` : "";
  return `Usage: ${usageLine(command)}

${command.summary[0]?.toUpperCase()}${command.summary.slice(1)}.${command.details ? `\n${command.details}` : ""}

${own}Options of every command:
${options(GLOBAL_HELP)}
${EXIT_HELP}`;
}
