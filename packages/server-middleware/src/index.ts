/** @paybridge/server-middleware: the public API. */
export { paybridge, type PaybridgeRouter } from "./router.js";
export type {
  PaybridgeOptions,
  Payment,
  ResolveOrderInput,
  ResolvedOrder,
  Routing,
  RoutingOrder,
  Logger,
  LogFields,
} from "./options.js";
export type { PaybridgeEventMap, PaybridgeEvents } from "./orders.js";
export { RefundUnsupportedError, type Refund, type RefundRequest, type RefundResult } from "./refunds.js";
export type { CloseResult } from "./close.js";
export type { SweepResult } from "./expiry.js";
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
export type { OrderRecord, OrderStore, RefundEntry } from "./store/types.js";
export { StoreFullError } from "./store/retention.js";
export {
  PaybridgeError,
  InvalidRequestError,
  GatewayError,
  GatewayTimeoutError,
  ConfigError,
  NotifyRejectedError,
} from "./errors.js";
export { type SignRule, type Signer, type SignableFields, createSigner, computeSign, verifySign, canonicalString, COMMON_SIGN_RULE } from "./gateways/kit/signing.js";
export { MemoryOrderStore, type MemoryOrderStoreOptions } from "./store/memory.js";
export { RedisOrderStore, type RedisOrderStoreOptions, type RedisCommands, type RedisConnectOptions } from "./store/redis.js";
export * from "./gateways/index.js";
