/** Every option's default, written once: the options' docs, validation and the engine read them here. */
import type { PaybridgeOptions } from "../types.js";

export const DEFAULTS = {
  timeoutMs: 10_000,
  queryIntervalMs: 5_000,
  defaultChannel: "wechat",
  bodyLimit: 16 * 1024,
  statusTokenTtlMs: 24 * 60 * 60 * 1000,
  fulfilmentLeaseMs: 60_000,
  /** A real gateway answer is a few KiB; past this the request fails with 502. */
  maxGatewayResponseBytes: 1024 * 1024,
  expireAfterMs: 2 * 60 * 60 * 1000,
  sweepIntervalMs: 0,
  sweepConcurrency: 8,
  sweepTimeLimitMs: 60_000,
  notifyRetentionMs: 30 * 24 * 60 * 60 * 1000,
  merchantCacheTtlMs: 5 * 60 * 1000,
  merchantTimeoutMs: 5_000,
} as const satisfies Partial<PaybridgeOptions>;

/** `createRateLimit`'s defaults: 30 create requests per client per minute. */
export const CREATE_RATE_LIMIT_DEFAULTS = { max: 30, windowMs: 60_000 } as const;

/**
 * The shortest `refundSendLeaseMs`, and its default: a send is a refund query and a refund call,
 * each up to timeoutMs, and a second for the store writes around them.
 */
export const minRefundSendLeaseMs = (timeoutMs: number): number => 2 * timeoutMs + 1_000;
