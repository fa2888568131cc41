/**
 * The command's exit codes and the one line an error prints. Cron and scripts act on the code;
 * the line is ours — a code and our words — never a secret, a gateway's raw text or a stack
 * (unless --verbose).
 */

export const EXIT = {
  ok: 0,
  /** reconcile found mismatches: cron alerts on it. */
  mismatches: 1,
  /** Unknown command or flag, a bad value (a date, an amount, an order number), a malformed bill. */
  usage: 2,
  /** The config file is missing, cannot be loaded, or its options are refused. */
  config: 3,
  /** The operation failed: the store or a gateway is down or refused, no such order, a refund or replay that did not succeed. */
  failure: 4,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** An error the command raises itself: its exit code, a short code for scripts, our message. */
export class CliError extends Error {
  override readonly name = "CliError";
  readonly exitCode: ExitCode;
  readonly code: string;
  constructor(exitCode: ExitCode, code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.exitCode = exitCode;
    this.code = code;
  }
}

export const usageError = (message: string): CliError => new CliError(EXIT.usage, "usage", message);

/** What the command says about an error, and the exit code it ends with. */
export interface Described {
  exitCode: ExitCode;
  code: string;
  message: string;
}

const MAX_MESSAGE = 300;
const named = (error: unknown, name: string): boolean => error instanceof Error && error.name === name;

/**
 * By name and code, not `instanceof`: the config may load its own copy of
 * @paybridge/server-middleware, whose classes are not ours.
 */
export function describeError(error: unknown): Described {
  if (error instanceof CliError) return { exitCode: error.exitCode, code: error.code, message: error.message };
  if (named(error, "ConfigError")) return { exitCode: EXIT.config, code: "config_invalid", message: oneLine((error as Error).message) };
  const code = (error as { code?: unknown } | null)?.code;
  if (error instanceof Error && typeof code === "string" && typeof (error as { status?: unknown }).status === "number") {
    // A PaybridgeError. A gateway's message may quote the gateway: say only what toBody says.
    const message = named(error, "GatewayError") ? gatewayMessage(error) : oneLine(error.message);
    return { exitCode: code === "invalid_request" ? EXIT.usage : EXIT.failure, code, message };
  }
  // The store names itself and the operation; its driver's reason is the store's own words.
  if (named(error, "OrderStoreError") || named(error, "StoreSchemaError")) return { exitCode: EXIT.failure, code: "store_error", message: oneLine((error as Error).message) };
  const name = error instanceof Error ? error.name : typeof error;
  return { exitCode: EXIT.failure, code: "internal", message: `unexpected ${name} (run again with --verbose for details)` };
}

function gatewayMessage(error: Error): string {
  const body = (error as { toBody?: () => { error: { message: string } } }).toBody?.();
  return body ? body.error.message : "the payment gateway did not accept the request";
}

function oneLine(text: string): string {
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, " ").trim();
  return line.length > MAX_MESSAGE ? `${line.slice(0, MAX_MESSAGE)}…` : line;
}
