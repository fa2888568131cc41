/**
 * Errors carry what the caller needs: the contract's error code, the HTTP status, the field
 * at fault, and for gateway faults the gateway's own message and code. Never a secret: messages
 * are built from field names, and gateway text is redacted (redact.ts) before it is kept.
 */
import { SERVER_ERROR_STATUS, type ServerErrorCode } from "@paybridge/shared";
import { redactGatewayText, safeGatewayCode } from "./redact.js";

export class PaybridgeError extends Error {
  override readonly name: string = "PaybridgeError";
  readonly code: ServerErrorCode;
  readonly status: number;
  readonly field: string | undefined;
  /** For 429 and 503: seconds a client should wait before it asks again (the Retry-After header). */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ServerErrorCode, message: string, options: { field?: string; cause?: unknown; retryAfterSeconds?: number } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.status = SERVER_ERROR_STATUS[code];
    this.field = options.field;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  toBody(): { error: { code: ServerErrorCode; message: string; field?: string } } {
    return { error: { code: this.code, message: this.message, ...(this.field ? { field: this.field } : {}) } };
  }
}

/** 400: the request (or what resolveOrder returned) breaks a rule; `field` names it. */
export class InvalidRequestError extends PaybridgeError {
  override readonly name = "InvalidRequestError";
  constructor(message: string, field?: string) {
    super("invalid_request", message, field === undefined ? {} : { field });
  }
}

/** 503: the `merchants` function threw, timed out or gave an invalid setup; the cause is logged, never answered. */
export class MerchantUnavailableError extends PaybridgeError {
  override readonly name = "MerchantUnavailableError";
  constructor(cause?: unknown) {
    super("merchant_unavailable", "the merchant is not available just now; try again", cause === undefined ? {} : { cause });
  }
}

/**
 * 502: the gateway answered, but with an error, a bad signature or something unreadable. The
 * message, for the log and the merchant's listeners, may quote the gateway: it is redacted of
 * secrets first. The browser gets a fixed message and the gateway's code only (toBody).
 */
export class GatewayError extends PaybridgeError {
  override readonly name = "GatewayError";
  readonly gateway: string;
  /** The gateway's own error code (fubei `sub_code`, upaas `code`, ...), when it gave one that looks like a code. */
  readonly gatewayCode: string | undefined;
  constructor(gateway: string, message: string, options: { gatewayCode?: string; cause?: unknown } = {}) {
    super("gateway_error", redactGatewayText(message), options.cause === undefined ? {} : { cause: options.cause });
    this.gateway = gateway;
    this.gatewayCode = safeGatewayCode(options.gatewayCode);
  }

  override toBody(): { error: { code: ServerErrorCode; message: string; field?: string } } {
    const code = this.gatewayCode === undefined ? "" : ` (gateway code ${this.gatewayCode})`;
    return { error: { code: this.code, message: `the payment gateway did not accept the request${code}` } };
  }
}

/** 504: the gateway did not answer within the request timeout. */
export class GatewayTimeoutError extends PaybridgeError {
  override readonly name = "GatewayTimeoutError";
  readonly gateway: string;
  constructor(gateway: string, timeoutMs: number) {
    super("gateway_timeout", `${gateway} did not answer within ${timeoutMs} ms`);
    this.gateway = gateway;
  }
}

/** Thrown at start-up (paybridge(), an adapter factory, createSandbox) for a bad option. */
export class ConfigError extends Error {
  override readonly name = "ConfigError";
  readonly option: string;
  constructor(option: string, message: string) {
    super(`paybridge option \`${option}\`: ${message}`);
    this.option = option;
  }
}

/** A notify that fails verification or cannot be read. It changes nothing. */
export class NotifyRejectedError extends Error {
  override readonly name = "NotifyRejectedError";
  constructor(message: string) {
    super(message);
  }
}

/**
 * 400: a bill file that cannot be read as a bill (bills/read-bill-csv.ts). `reason` is in our own
 * words and names the column, never the row's text: a bill holds customers' data.
 */
export class BillFormatError extends PaybridgeError {
  override readonly name = "BillFormatError";
  /** The file's line the fault is on (1 = the file's first line; a quoted field may span lines: its record's first). */
  readonly line: number;
  readonly reason: string;
  constructor(line: number, reason: string, column?: string) {
    super("invalid_request", `bill line ${line}: ${reason}`, column === undefined ? {} : { field: column });
    this.line = line;
    this.reason = reason;
  }
}

/** The order's gateway has no refund API: paybridge never refunds only in its own records. */
export class RefundUnsupportedError extends PaybridgeError {
  override readonly name = "RefundUnsupportedError";
  readonly gateway: string;
  constructor(gateway: string) {
    super("refund_unsupported", `gateway ${gateway} has no refund API in paybridge; refund at the gateway's console`);
    this.gateway = gateway;
  }
}

/**
 * 503: the memory store is at its bound and every order in it is still in progress. The message
 * (for the merchant's log) says how to fix it; the browser gets a fixed text and Retry-After.
 */
export class StoreFullError extends PaybridgeError {
  override readonly name = "StoreFullError";
  constructor(maxOrders: number, retryAfterSeconds = 60) {
    super("unavailable", `the order store holds ${maxOrders} orders, none of them finished; raise maxOrders or use RedisOrderStore`, { retryAfterSeconds });
  }

  override toBody(): { error: { code: ServerErrorCode; message: string; field?: string } } {
    return { error: { code: this.code, message: "the server cannot take new orders right now; try again later" } };
  }
}

/** 429: this client created more orders than the merchant's `createRateLimit` allows; Retry-After says when it may again. */
export class RateLimitedError extends PaybridgeError {
  override readonly name = "RateLimitedError";
  constructor(retryAfterSeconds: number) {
    super("rate_limited", "too many orders created; try again later", { retryAfterSeconds });
  }
}

/**
 * The order store failed: its database could not be reached or refused a statement. Names the
 * store; the HTTP routes answer 500 (a notify: the gateway's retry reply) and log it.
 */
export class OrderStoreError extends Error {
  override readonly name: string = "OrderStoreError";
  /** The store's class name, e.g. `PostgresOrderStore`. */
  readonly store: string;
  constructor(store: string, message: string, options: { cause?: unknown } = {}) {
    super(`${store}: ${message}`, options.cause === undefined ? undefined : { cause: options.cause });
    this.store = store;
  }
}

/** The database's schema is older than this paybridge: run `store.migrate()` or the named migration. */
export class StoreSchemaError extends OrderStoreError {
  override readonly name = "StoreSchemaError";
  /** The first migration the database lacks, e.g. `migrations/postgres/001_orders.sql`. */
  readonly migration: string;
  constructor(store: string, message: string, migration: string) {
    super(store, message);
    this.migration = migration;
  }
}

/**
 * 502: a gateway's bill API kept failing for a day (every try failed): the reconciliation
 * reports nothing rather than take a missing bill for a day without payments. `cause` is the
 * last try's error.
 */
export class BillFetchError extends PaybridgeError {
  override readonly name = "BillFetchError";
  readonly gateway: string;
  readonly attempts: number;
  constructor(gateway: string, date: string, attempts: number, cause: unknown) {
    super("gateway_error", `the bill of ${gateway} for ${date} could not be fetched (${attempts} tries)`, { cause });
    this.gateway = gateway;
    this.attempts = attempts;
  }
}
