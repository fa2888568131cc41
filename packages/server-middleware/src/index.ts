/** @paybridge/server-middleware: the public API. Entry point: it only re-exports. */
export { paybridge, type PaybridgeRouter, type PaybridgeOptions, type ResolveOrderInput } from "./express.js";
export type {
  Payment,
  MerchantSetup,
  MerchantsResolver,
  MerchantTag,
  MerchantOperations,
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
} from "./gateways/contract.js";
export type { OrderRecord, OrderStore, RefundEntry } from "./store/contract.js";
export {
  PaybridgeError,
  InvalidRequestError,
  GatewayError,
  GatewayTimeoutError,
  ConfigError,
  MerchantUnavailableError,
  NotifyRejectedError,
  RefundUnsupportedError,
  StoreFullError,
} from "./errors.js";
export { type SignRule, type Signer, type SignableFields, createSigner, computeSign, verifySign, canonicalString, COMMON_SIGN_RULE } from "./gateways/kit/signing.js";
export { MemoryOrderStore, type MemoryOrderStoreOptions } from "./store/memory.js";
export { RedisOrderStore, type RedisOrderStoreOptions, type RedisCommands, type RedisConnectOptions } from "./store/redis.js";
export * from "./gateways/index.js";
