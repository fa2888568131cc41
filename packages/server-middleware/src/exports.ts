/**
 * Everything public that needs no host framework: the adapters, the stores, the errors, the
 * signer and the types. Both entry points re-export it (`.` adds the Express router, `./web` the
 * web-standard handler), so a project without Express imports all it needs from `./web`.
 */
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
  Refund,
  RefundRequest,
  RefundResult,
  CloseResult,
  SweepResult,
  FulfilmentContext,
  CreateRateLimit,
  ReplayResult,
  HealthOptions,
  HealthReport,
  ReconcileRequest,
  ReconcileResult,
  ReconcileTotals,
  Mismatch,
  MismatchKind,
} from "./types.js";
export type { OrderView, OrderQueryResult } from "./types.js";
export type { BillRow, BillColumns, BillFetchInput, BillFile } from "./bills/contract.js";
export { readBillCsv, type BillCsvOptions, type BillEncoding, type BillSource } from "./bills/read-bill-csv.js";
export type { TypedEventEmitter, EventListener } from "./typed-events.js";
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
export type { OrderRecord, OrderStore, PendingCursor, TimeWindow, ListCursor, ListedRefund, RefundEntry, NotifyEntry, NotifyInbox, NotifyQuery, NotifyVerdict } from "./store/contract.js";
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
  RateLimitedError,
  OrderStoreError,
  StoreSchemaError,
  BillFormatError,
  BillFetchError,
} from "./errors.js";
export { reconcileReport, mismatchCsvLine, MISMATCH_CSV_COLUMNS, type ReconcileReport, type ReportOutput } from "./engine/reconcile/report.js";
export { type SignRule, type Signer, type SignableFields, createSigner, computeSign, verifySign, canonicalString, COMMON_SIGN_RULE } from "./gateways/kit/signing.js";
export { MemoryOrderStore, type MemoryOrderStoreOptions } from "./store/memory.js";
export { PostgresOrderStore, type PostgresOrderStoreOptions, type PostgresPool, type PostgresResult, type PGliteDatabase } from "./store/postgres.js";
export { MySqlOrderStore, type MySqlOrderStoreOptions, type MySqlPool, type MySqlConnection } from "./store/mysql.js";
export type { SqlStoreOptions } from "./store/sql-base.js";
export { RedisOrderStore, type RedisOrderStoreOptions, type RedisCommands, type RedisConnectOptions } from "./store/redis.js";
export * from "./gateways/index.js";
