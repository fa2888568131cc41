/**
 * Where the command writes: plain text or one JSON document to stdout, errors and the progress
 * bar to stderr. Tests hand in their own; the bin hands in the process's.
 */
export interface CliIo {
  readonly stdout: { write(text: string): unknown };
  readonly stderr: { write(text: string): unknown; readonly isTTY?: boolean | undefined; readonly columns?: number | undefined };
  readonly cwd: string;
}

/** The options every command takes. */
export interface GlobalOptions {
  config: string | undefined;
  json: boolean;
  merchant: string | undefined;
  verbose: boolean;
}

export function printJson(io: CliIo, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
