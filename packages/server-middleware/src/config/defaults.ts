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
  merchantCacheTtlMs: 5 * 60 * 1000,
  merchantTimeoutMs: 5_000,
} as const satisfies Partial<PaybridgeOptions>;
