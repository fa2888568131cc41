/**
 * The merchant's logger as given: pino, winston, console, or anything with info/warn/error.
 * They disagree on argument order — pino takes `(fields, message)` and reads a leading string
 * as the message with the rest as format arguments (so `(message, fields)` silently drops the
 * fields); winston and console take `(message, fields)`. paybridge calls each its own way.
 */
import type { LogFields, Logger } from "../types.js";

type Level = "info" | "warn" | "error";
type AnyLogger = Record<Level, (...args: unknown[]) => unknown> & Record<string, unknown>;

/**
 * pino by its shape: every pino logger has `bindings()` and a `levels` table (winston has
 * `levels` but no `bindings`; console has neither).
 */
export function takesFieldsFirst(logger: object): boolean {
  const candidate = logger as Record<string, unknown>;
  return typeof candidate.bindings === "function" && typeof candidate.levels === "object" && candidate.levels !== null;
}

/** A Logger paybridge can call as `(message, fields)`, passing each call on in the order the merchant's logger reads. */
export function toLogger(given: Logger): Logger {
  const logger = given as unknown as AnyLogger;
  const fieldsFirst = takesFieldsFirst(logger);
  const level =
    (name: Level) =>
    (message: string, fields?: LogFields): void => {
      if (fieldsFirst) logger[name]({ ...fields }, message);
      else if (fields === undefined) logger[name](message);
      else logger[name](message, fields);
    };
  return { info: level("info"), warn: level("warn"), error: level("error") };
}

/** One JSON line per warning or error on stderr; info dropped. */
export const defaultLogger: Logger = {
  info: () => {},
  warn: (message, fields) => writeLine("warn", message, fields),
  error: (message, fields) => writeLine("error", message, fields),
};

function writeLine(level: string, message: string, fields: LogFields | undefined): void {
  // The Error itself stays out of the line: its name and message are fields already.
  const { err: _err, ...rest } = fields ?? {};
  // The line's own level, time and message win over fields of those names (a gateway's `message`).
  process.stderr.write(`${JSON.stringify({ ...rest, level, time: new Date().toISOString(), message })}\n`);
}
