/** @paybridge/server-middleware: the public API. Entry point: it only re-exports. */
export { paybridge, type PaybridgeRouter, type PaybridgeOptions, type ResolveOrderInput } from "./express.js";
export type {
  Payment,
  ResolvedOrder,
  Routing,
  RoutingOrder,
  Logger,
  LogFields,
  PaybridgeEventMap,
  PaybridgeEvents,
  PaybridgeOperations,
  GatewayOperation,
  TypedEventEmitter,
  Refund,
  RefundRequest,
  RefundResult,
  CloseResult,
  SweepResult,
  HealthOptions,
  HealthReport,
} from "./types.js";
export type {
  GatewayAdapter,
  GatewayHttp,
  GatewayRequest,
  GatewayResponse,
  CreateOrderInput,
  CreatedOrder,
  NotifyInput,
  NotifyReply,
  VerifiedNotify,
  QueryInput,
  QueryResult,
  RefundInput,
  RefundAnswer,
  RefundQueryInput,
  RefundRules,
  VerifiedRefundNotify,
  CloseInput,
} from "./gateways/types.js";
export type { OrderRecord, OrderStore, RefundEntry } from "./store/contract.js";
export {
  PaybridgeError,
  InvalidRequestError,
  GatewayError,
  GatewayTimeoutError,
  ConfigError,
  NotifyRejectedError,
  RefundUnsupportedError,
  StoreFullError,
} from "./errors.js";
export { type SignRule, type Signer, type SignableFields, createSigner, computeSign, verifySign, canonicalString, COMMON_SIGN_RULE } from "./signing.js";
export { MemoryOrderStore, type MemoryOrderStoreOptions } from "./store/memory.js";
export { RedisOrderStore, type RedisOrderStoreOptions, type RedisCommands, type RedisConnectOptions } from "./store/redis.js";
export * from "./gateways/index.js";
