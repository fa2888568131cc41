/**
 * The contract between the gateway-agnostic core (router, order service, store) and one
 * gateway's adapter. Everything about a gateway — field names, units, lengths, signing
 * settings, error shape, notify reading, reply text, query — lives in that gateway's adapter
 * file; the core only calls this interface.
 */
import type { Channel, PayAction, Scene } from "@paybridge/shared";
import type { BillColumns, BillFetchInput, BillFile, BillRow } from "../bills/contract.js";

/** One outbound HTTP exchange. Provided by the core so timeouts and errors are uniform. */
export interface GatewayRequest {
  url: string;
  /** Default POST. */
  method?: "POST" | "GET";
  headers?: Record<string, string>;
  /** Sent as-is (adapters serialise; signatures are over the exact text sent). */
  body?: string;
}

export interface GatewayResponse {
  status: number;
  headers: Record<string, string>;
  /** The raw response text; adapters parse it. */
  body: string;
}

/**
 * Sends one request. Rejects with GatewayTimeoutError past the configured timeout and with
 * GatewayError when the connection fails. Any HTTP status resolves: the adapter reads it.
 */
export type GatewayHttp = (request: GatewayRequest) => Promise<GatewayResponse>;

export interface CreateOrderInput {
  orderNo: string;
  /** Integer fen; the adapter converts to its gateway's unit at its edge. */
  amountFen: number;
  channel: Channel;
  scene: Scene;
  description?: string;
  attach?: string;
  /** The payer's WeChat openid / Alipay user id, when known. */
  openId?: string;
  /** The WeChat official account or mini-program appid, when the browser gave one. */
  appId?: string;
  /** A mini-program's `wx.login` code, for gateways that resolve the payer themselves (vbao). */
  loginCode?: string;
  /** Absolute URL of POST {mount}/notify/{adapter.id}. */
  notifyUrl: string;
  /** ISO 8601: when the order expires (paybridge closes it then); sent where the gateway takes an expiry. */
  expiresAt?: string;
}

export interface CreatedOrder {
  /** The gateway's own order number. */
  gatewayOrderNo: string;
  action: PayAction;
  /**
   * The gateway says this order is already paid (vbao's "订单已支付成功"): the core confirms
   * it by a query (naming the order, with the equal amount) before it marks it paid.
   */
  alreadyPaid?: boolean;
}

/** A notify exactly as it arrived. The body is the raw bytes: signatures are over them. */
export interface NotifyInput {
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Readonly<Record<string, string | undefined>>;
}

/** What a notify says, once its signature has been verified. */
export interface VerifiedNotify {
  /** The merchant order number (ours). */
  orderNo: string;
  gatewayOrderNo?: string;
  /** Integer fen, converted from the gateway's unit exactly. */
  amountFen: number;
  outcome: "paid" | "failed" | "pending";
  /** ISO 8601, when the gateway says when. */
  paidAt?: string;
}

export interface QueryInput {
  orderNo: string;
  gatewayOrderNo?: string;
}

export interface QueryResult {
  status: "pending" | "paid" | "failed" | "closed";
  /**
   * Integer fen as the gateway's answer states it. The core marks an order paid from a query
   * only when this equals the order's amount: absent means "no match", never "trust it".
   */
  amountFen?: number;
  /** The merchant order number the answer names (ours), when it names one. */
  orderNo?: string;
  /** The gateway's order number the answer names; the answer must name this order by one of the two. */
  gatewayOrderNo?: string;
  paidAt?: string;
}

/** The exact HTTP answer a gateway expects to a notify. */
export interface NotifyReply {
  status: number;
  contentType: string;
  body: string;
}

/** One refund to send. Amounts are integer fen; the adapter converts at its edge. */
export interface RefundInput {
  orderNo: string;
  gatewayOrderNo?: string;
  /** The merchant's refund number: a resend after a timeout carries the same one. */
  refundNo: string;
  amountFen: number;
  /** The order's paid amount (some gateways want it beside the refund amount). */
  orderAmountFen: number;
  reason?: string;
  /** ISO 8601, when the order was paid. */
  paidAt?: string;
  /** Absolute URL of POST {mount}/notify/{adapter.id}, for gateways that send refund notifies. */
  notifyUrl: string;
}

/**
 * What the gateway said about one refund. `failed` only for a definite refusal (the gateway
 * will not refund this); an unreadable or unsigned answer throws GatewayError instead, as the
 * refund may have happened.
 */
export interface RefundAnswer {
  status: "succeeded" | "processing" | "failed";
  /** Our refund number, as the answer names it (must equal the one asked about). */
  refundNo?: string;
  gatewayRefundNo?: string;
  /** Integer fen, as the answer states it (must equal the refund's amount when present). */
  amountFen?: number;
  /** The gateway's reason for a refusal: a code or short text. */
  failure?: string;
}

export interface RefundQueryInput {
  orderNo: string;
  gatewayOrderNo?: string;
  refundNo: string;
  gatewayRefundNo?: string;
}

/** A refund notify, verified as a payment notify is. */
export interface VerifiedRefundNotify {
  /** The merchant order number the refund belongs to. */
  orderNo: string;
  refundNo: string;
  amountFen: number;
  status: "succeeded" | "failed" | "processing";
  gatewayRefundNo?: string;
}

export interface CloseInput {
  orderNo: string;
  gatewayOrderNo?: string;
}

/** Gateway rules a refund must keep, checked before anything is sent. */
export interface RefundRules {
  /** At most this many refunds per order (failed ones not counted). */
  maxRefunds?: number;
  /** Only within this many days of the payment. */
  windowDays?: number;
  /** The longest refund number the gateway carries (the core allows 64); a longer one is refused before anything is reserved. */
  maxRefundNoLength?: number;
}

export interface GatewayAdapter {
  /** The id used in routing and in the notify path (`upaas`, ...). */
  readonly id: string;
  /** Which scenes each channel supports at this gateway; the first is the default scene. */
  readonly supports: Readonly<Partial<Record<Channel, readonly Scene[]>>>;
  /**
   * Validates the input against the gateway's document (required fields, lengths; throws
   * InvalidRequestError naming the field before anything is sent), signs, sends, verifies the
   * response's signature where it carries one, and reads it into an action. Gateway errors
   * throw GatewayError with the gateway's message.
   */
  createOrder(input: CreateOrderInput, http: GatewayHttp): Promise<CreatedOrder>;
  /** Verifies (constant-time) and reads a notify; throws NotifyRejectedError otherwise. */
  verifyNotify(input: NotifyInput): VerifiedNotify;
  readonly notifyReply: { readonly success: NotifyReply; readonly failure: NotifyReply };
  /** Asks the gateway for an order's state, where it has a query API. */
  queryOrder?(input: QueryInput, http: GatewayHttp): Promise<QueryResult>;
  /**
   * Sends a refund, where the gateway has a refund API. Without it a refund answers
   * refund_unsupported. An InvalidRequestError thrown before any request was made means the
   * refund was never sent: the core releases its reservation.
   */
  refundOrder?(input: RefundInput, http: GatewayHttp): Promise<RefundAnswer>;
  /** Asks about a refund; `not_found` when the gateway has no refund by that number. */
  queryRefund?(input: RefundQueryInput, http: GatewayHttp): Promise<RefundAnswer | { status: "not_found" }>;
  readonly refundRules?: RefundRules;
  /**
   * Reads a notify that is about a refund, verified as verifyNotify verifies; null when the
   * notify is not a refund notify (then verifyNotify reads it). Throws NotifyRejectedError.
   */
  verifyRefundNotify?(input: NotifyInput): VerifiedRefundNotify | null;
  /** Closes an unpaid order at the gateway; throws GatewayError when it refuses (e.g. paid already). */
  closeOrder?(input: CloseInput, http: GatewayHttp): Promise<void>;
  /**
   * Fetches a day's bill from the gateway's bill API, where it has one (page by page; a failed
   * page throws, never ends the rows early). Rows of other merchants are the adapter's to drop.
   */
  fetchBill?(input: BillFetchInput, http: GatewayHttp): AsyncIterable<BillRow>;
  /**
   * Downloads a day's bill FILE from the gateway's bill API, where it hands out a file (vbao):
   * the engine reads it with the bill reader (src/bills/). A failed download throws.
   */
  fetchBillFile?(input: BillFetchInput, http: GatewayHttp): Promise<BillFile>;
  /** The columns of the bill file the gateway's console exports, where known (docs/gateways.md says which are evidenced). */
  readonly billColumns?: BillColumns;
}
