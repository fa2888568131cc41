import type { ErrorCode } from "@paybridge/shared";

/** What a PayError carries besides its code: the server's answer or the wallet's raw result. */
export interface PayErrorDetails {
  /** HTTP status of the server's error answer. */
  status?: number;
  /** The server's error body (the interface's answer in the launch flow; the action the client cannot launch). */
  body?: unknown;
  /** The raw result a bridge returned (`err_msg`, `resultCode`, `errMsg`, …). */
  bridgeResult?: unknown;
  cause?: unknown;
  /** Where the page runs (`EnvironmentKind`), on a refusal to pay here. */
  environment?: string;
}

/** Every failure of `pay()`, `resume()` and the launch flow. Cancel is not an error. */
export class PayError extends Error {
  declare readonly code: ErrorCode;
  declare readonly status?: number;
  declare readonly body?: unknown;
  declare readonly bridgeResult?: unknown;
  declare readonly cause?: unknown;
  declare readonly environment?: string;

  constructor(code: ErrorCode, message: string, details: PayErrorDetails = {}) {
    super(message); // `cause` is assigned below: Error's options argument is ES2022
    Object.assign(this, details, { name: "PayError", code });
  }
}
