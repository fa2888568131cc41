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
} from "./gateways/types.js";
export type { OrderRecord, OrderStore } from "./store/types.js";
export {
  PaybridgeError,
  InvalidRequestError,
  GatewayError,
  GatewayTimeoutError,
  ConfigError,
  NotifyRejectedError,
} from "./errors.js";
export { type SignRule, type Signer, type SignableFields, createSigner, computeSign, verifySign, canonicalString, COMMON_SIGN_RULE } from "./signing.js";
export { MemoryOrderStore } from "./store/memory.js";
export { RedisOrderStore, type RedisOrderStoreOptions, type RedisCommands, type RedisConnectOptions } from "./store/redis.js";
export * from "./gateways/index.js";
