/**
 * Everything the server says, collected so a test can prove no secret is in it: every
 * response body the tests receive, every line given to the logger, and every write to
 * stdout / stderr / console while the file runs.
 */
import { inspect } from "node:util";
import { vi } from "vitest";
import type { Logger } from "@paybridge/server-middleware";

export interface LeakWatch {
  readonly logger: Logger;
  /** Every logger call, as text (fields rendered with util.inspect, so errors show message, stack and cause). */
  readonly logLines: string[];
  /** Adds a response body (or anything else the outside world sees) to what is scanned. */
  record(text: string): void;
  /** Every text recorded or captured so far. */
  texts(): string[];
  /** The secrets found, with where; empty when clean. */
  findSecrets(secrets: readonly string[]): string[];
  restore(): void;
}

export function watchForLeaks(): LeakWatch {
  const logLines: string[] = [];
  const recorded: string[] = [];
  const written: string[] = [];
  const render = (level: string, message: string, fields?: unknown) =>
    `${level} ${message} ${fields === undefined ? "" : inspect(fields, { depth: 10, breakLength: Infinity })}`;
  const logger: Logger = {
    info: (message, fields) => void logLines.push(render("info", message, fields)),
    warn: (message, fields) => void logLines.push(render("warn", message, fields)),
    error: (message, fields) => void logLines.push(render("error", message, fields)),
  };

  const spies = [
    spyOnWrite(process.stdout, written),
    spyOnWrite(process.stderr, written),
    ...(["log", "info", "warn", "error", "debug"] as const).map((method) =>
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        written.push(args.map((arg) => (typeof arg === "string" ? arg : inspect(arg, { depth: 10 }))).join(" "));
      }),
    ),
  ];

  const texts = () => [...logLines, ...recorded, ...written];
  return {
    logger,
    logLines,
    record: (text) => void recorded.push(text),
    texts,
    findSecrets(secrets) {
      const found: string[] = [];
      for (const text of texts()) {
        for (const secret of secrets) if (text.includes(secret)) found.push(`${secret} in: ${text.slice(0, 300)}`);
      }
      return found;
    },
    restore: () => spies.forEach((spy) => spy.mockRestore()),
  };
}

/** Captures (and holds back) what is written: an expected log line is not test output. */
function spyOnWrite(stream: NodeJS.WriteStream, into: string[]) {
  return vi.spyOn(stream, "write").mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    into.push(typeof chunk === "string" ? chunk : Buffer.isBuffer(chunk) ? chunk.toString("utf8") : String(chunk));
    const callback = rest.find((arg): arg is () => void => typeof arg === "function");
    callback?.();
    return true;
  }) as typeof stream.write);
}
