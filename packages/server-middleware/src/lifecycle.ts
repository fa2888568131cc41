/**
 * What the modules beside the order service (refunds, close, expiry) share with it: the options,
 * the adapters and their HTTP clients, the event emitter, and the way faults are logged. Built
 * once by the router from the same options, so the order service keeps its internals private.
 */
import type { PaybridgeError } from "./errors.js";
import { ConfigError } from "./errors.js";
import type { GatewayAdapter, GatewayHttp } from "./gateways/types.js";
import { createGatewayHttp } from "./http.js";
import type { ResolvedOptions } from "./options.js";
import type { PaybridgeEventMap, PaybridgeEvents } from "./orders.js";

export type GatewayOperation = "create" | "query" | "refund" | "close";

export interface LifecycleDeps {
  readonly options: ResolvedOptions;
  readonly adapters: ReadonlyMap<string, GatewayAdapter>;
  /** How long one caller may hold a refund's send or onRefunded claim before another may take it over: onPaid's lease. */
  readonly leaseMs: number;
  httpFor(id: string): GatewayHttp;
  emit<K extends keyof PaybridgeEventMap>(event: K, ...args: PaybridgeEventMap[K]): void;
  logError(message: string, error: unknown, fields: Readonly<Record<string, string>>): void;
  reportGatewayError(gateway: string, orderNo: string, operation: GatewayOperation, error: PaybridgeError): void;
}

export function lifecycleDeps(options: ResolvedOptions, events: PaybridgeEvents): LifecycleDeps {
  const adapters = new Map(options.gateways.map((adapter) => [adapter.id, adapter]));
  const http = new Map(options.gateways.map((adapter) => [adapter.id, createGatewayHttp(adapter.id, options.timeoutMs, options.maxGatewayResponseBytes)]));
  const logError = (message: string, error: unknown, fields: Readonly<Record<string, string>>): void => {
    const described = error instanceof Error ? { error: error.name, reason: error.message } : { error: typeof error };
    options.logger.error(message, { ...fields, ...described });
  };
  const emit = <K extends keyof PaybridgeEventMap>(event: K, ...args: PaybridgeEventMap[K]): void => {
    try {
      (events.emit as (event: K, ...args: PaybridgeEventMap[K]) => boolean)(event, ...args);
    } catch (error) {
      logError(`a listener of ${event} threw`, error, {});
    }
  };
  return {
    options,
    adapters,
    leaseMs: options.fulfilmentLeaseMs,
    httpFor(id) {
      const client = http.get(id);
      if (!client) throw new ConfigError("gateways", `no HTTP client for gateway "${id}"`);
      return client;
    },
    emit,
    logError,
    reportGatewayError(gateway, orderNo, operation, error) {
      options.logger.warn(`gateway ${operation} failed`, { gateway, orderNo, code: error.code, message: error.message });
      emit("gateway.error", { gateway, orderNo, operation, error });
    },
  };
}
