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
}

/** Every failure of `pay()`, `resume()` and the launch flow. Cancel is not an error. */
export class PayError extends Error {
  declare readonly code: ErrorCode;
  declare readonly status?: number;
  declare readonly body?: unknown;
  declare readonly bridgeResult?: unknown;

  constructor(code: ErrorCode, message: string, details: PayErrorDetails = {}) {
    super(message, { cause: details.cause });
    Object.assign(this, details, { name: "PayError", code });
  }
}
