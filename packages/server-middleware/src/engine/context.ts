/**
 * The engine's one context, built once from the validated options: the adapters and their
 * outbound clients, the store's compare-and-set loop, the status tokens, the events, and the
 * way faults are logged. Every service takes it in its constructor, so none builds its own.
 */
import { EventEmitter } from "node:events";
import type { ResolvedOptions } from "../config/options.js";
import { ConfigError, type PaybridgeError } from "../errors.js";
import type { GatewayAdapter, GatewayHttp } from "../gateways/contract.js";
import type { OrderRecord } from "../store/contract.js";
import type { GatewayOperation, PaybridgeEventMap, PaybridgeEvents } from "../types.js";
import { createGatewayClient } from "./gateway-client.js";
import { createStatusTokens, type StatusTokens } from "./status-tokens.js";
import { Telemetry } from "./telemetry.js";
import { transition, type RecordFields, type Transition } from "./transition.js";

/** With several merchants: whose engine this is, and the process-wide emitter it emits on. */
export interface EngineScope {
  readonly merchantId: string;
  readonly events: PaybridgeEvents;
}

export interface EngineContext {
  readonly options: ResolvedOptions;
  /** The merchant this engine serves; undefined in a single-shop setup. */
  readonly merchantId: string | undefined;
  /** Where a gateway posts its notifies for this engine's orders. */
  notifyUrl(gatewayId: string): string;
  readonly adapters: ReadonlyMap<string, GatewayAdapter>;
  readonly events: PaybridgeEvents;
  readonly tokens: StatusTokens;
  /** Metrics and traces (src/engine/telemetry.ts); the adapters and onPaid above are already measured. */
  readonly telemetry: Telemetry;
  /** The outbound client of one configured gateway. */
  gatewayClient(id: string): GatewayHttp;
  /** The one compare-and-set loop (src/engine/transition.ts) on this engine's store. */
  transition(orderNo: string, change: (current: OrderRecord) => Partial<RecordFields> | undefined, from?: OrderRecord): Promise<Transition>;
  /** Emits to the merchant's listeners; one that throws is logged and disturbs nothing. */
  emit<K extends keyof PaybridgeEventMap>(event: K, ...args: PaybridgeEventMap[K]): void;
  /** An unexpected fault: name and message as fields, the Error itself under `err`. */
  logError(message: string, error: unknown, fields: Readonly<Record<string, string>>): void;
  /** A gateway call that failed: a warning and a `gateway.error` event. */
  reportGatewayError(gateway: string, orderNo: string, operation: GatewayOperation, error: PaybridgeError): void;
}

export function createContext(resolved: ResolvedOptions, scope?: EngineScope): EngineContext {
  const telemetry = new Telemetry();
  const options: ResolvedOptions = { ...resolved, onPaid: telemetry.onPaid(resolved.onPaid) };
  const adapters = new Map(options.gateways.map((adapter) => [adapter.id, telemetry.calls.instrument(adapter)]));
  const clients = new Map(options.gateways.map((adapter) => [adapter.id, createGatewayClient(adapter.id, options.timeoutMs, options.maxGatewayResponseBytes)]));
  const events = scope?.events ?? (new EventEmitter() as PaybridgeEvents);
  // Every event of a merchant's engine names the merchant.
  const tag = scope ? { merchantId: scope.merchantId } : undefined;
  const { store, logger } = options;
  const logError = (message: string, error: unknown, fields: Readonly<Record<string, string>>): void => {
    // Name and message only as fields: a stack is for the merchant's own tools, under `err`.
    const described = error instanceof Error ? { error: error.name, reason: error.message } : { error: typeof error };
    logger.error(message, { ...fields, ...described, err: error });
  };
  const emit = <K extends keyof PaybridgeEventMap>(event: K, ...args: PaybridgeEventMap[K]): void => {
    telemetry.observe(event, ...args);
    try {
      // Node's typings cannot relate a generic K to its own argument list; the signature above does.
      const [first, ...rest] = args;
      const tagged = (tag ? [{ ...first, ...tag }, ...rest] : args) as PaybridgeEventMap[K];
      (events.emit as (event: K, ...args: PaybridgeEventMap[K]) => boolean)(event, ...tagged);
    } catch (error) {
      logError(`a listener of ${event} threw`, error, {});
    }
  };
  const notifyBase = `${options.publicUrl}/notify/`;
  const merchantSegment = scope ? `/${scope.merchantId}` : "";
  return {
    options,
    merchantId: scope?.merchantId,
    notifyUrl: (gatewayId) => `${notifyBase}${gatewayId}${merchantSegment}`,
    adapters,
    events,
    tokens: createStatusTokens(options.statusTokenSecret, options.statusTokenTtlMs, scope?.merchantId),
    telemetry,
    gatewayClient(id) {
      const client = clients.get(id);
      if (!client) throw new ConfigError("gateways", `no HTTP client for gateway "${id}"`);
      return client;
    },
    transition: (orderNo, change, from) => transition(store, orderNo, change, from),
    emit,
    logError,
    reportGatewayError(gateway, orderNo, operation, error) {
      // The gateway's (redacted) text as `reason`, as logError names it: `message` is the line's own.
      logger.warn(`gateway ${operation} failed`, { gateway, orderNo, code: error.code, reason: error.message });
      emit("gateway.error", { gateway, orderNo, operation, error });
    },
  };
}
