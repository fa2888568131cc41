/** Types of the paybridge HTTP contract, shared by the server middleware and the browser client. */

export const CHANNELS = ["wechat", "alipay", "unionpay"] as const;
/** The wallet the payer uses. */
export type Channel = (typeof CHANNELS)[number];

export const SCENES = ["jsapi", "mini", "h5"] as const;
/** Where payment is launched: an in-app browser (JSAPI), a mini-program, or a plain H5 page. */
export type Scene = (typeof SCENES)[number];

export const ORDER_STATUSES = ["pending", "paid", "failed", "closed", "partially_refunded", "refunded"] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** The statuses of an order whose payment happened: refunded (wholly or partly) still means paid. */
export const PAID_STATUSES = ["paid", "partially_refunded", "refunded"] as const;
export type PaidStatus = (typeof PAID_STATUSES)[number];

export function isPaidStatus(status: unknown): status is PaidStatus {
  return status === "paid" || status === "partially_refunded" || status === "refunded";
}

/** Error codes the server answers with, and the HTTP status of each. */
export const SERVER_ERROR_STATUS = {
  invalid_request: 400,
  order_not_found: 404,
  order_closed: 409,
  gateway_error: 502,
  gateway_timeout: 504,
  /** The order's gateway has no refund API: paybridge never refunds only locally. */
  refund_unsupported: 501,
  /** The refund breaks a rule: order not paid, amount above what is left, a gateway limit. */
  refund_not_allowed: 409,
  /** The refundNo is already used for another amount. */
  refund_conflict: 409,
  /** This client created too many orders lately (the merchant's `createRateLimit`); see Retry-After. */
  rate_limited: 429,
  /** The server cannot take a new order now (its order store is full); see Retry-After. */
  unavailable: 503,
  internal: 500,
  /** Several merchants: the order's merchant could not be loaded just now (its setup threw or timed out); try again. */
  merchant_unavailable: 503,
} as const;
export type ServerErrorCode = keyof typeof SERVER_ERROR_STATUS;

/** Error codes only the client produces. */
export const CLIENT_ERROR_CODES = [
  "network_error",
  "bridge_unavailable",
  "bridge_failed",
  "unsupported_channel",
  "open_in_browser", // the wallet cannot pay inside this app (Alipay inside WeChat): guide the payer to a browser
] as const;
export type ClientErrorCode = (typeof CLIENT_ERROR_CODES)[number];

export type ErrorCode = ServerErrorCode | ClientErrorCode;

/** The body of every error response. */
export interface ErrorBody {
  error: { code: ServerErrorCode; message: string; field?: string };
}

/** The parameters WeixinJSBridge `getBrandWCPayRequest` and `wx.requestPayment` take. */
export interface WechatPayParams {
  appId: string;
  /** Seconds since the epoch, 10 digits, as a string. */
  timeStamp: string;
  nonceStr: string;
  /** Always `package` here, whatever a gateway calls it (xiangma sends `packages`). */
  package: string;
  signType: string;
  paySign: string;
  /** Gateways may add fields of their own (fubei's `sign_params`); they are passed through. */
  [extra: string]: string | number | boolean | null;
}

/** What the browser does to launch payment. */
export type PayAction =
  | { type: "wechat"; params: WechatPayParams }
  | { type: "alipay"; tradeNO: string }
  | { type: "redirect"; url: string };

/** POST {endpoint}/orders */
export interface CreateOrderRequest {
  orderNo: string;
  channel?: Channel | undefined;
  scene?: Scene | undefined;
  openId?: string | undefined;
  appId?: string | undefined;
}

/** 201 (created) or 200 (re-posted pending order, or already paid) from POST {endpoint}/orders. */
export interface CreateOrderResponse {
  orderNo: string;
  status: OrderStatus;
  gateway: string;
  gatewayOrderNo?: string;
  amountFen: number;
  channel: Channel;
  /** Absent once the order is paid. */
  action?: PayAction;
  /** Pass to GET {endpoint}/orders/:orderNo?token=… to read the status. */
  statusToken: string;
}

/**
 * The request header that carries the status token on GET {endpoint}/orders/:orderNo. The
 * client sends it here (not in the URL, which access logs keep); `?token=` stays for links.
 */
export const STATUS_TOKEN_HEADER = "x-paybridge-token";

/** GET {endpoint}/orders/:orderNo?token=statusToken */
export interface OrderStatusResponse {
  orderNo: string;
  status: OrderStatus;
  amountFen: number;
  /** ISO 8601. */
  paidAt?: string;
  gatewayOrderNo?: string;
  /** Fen refunded so far (refunds that succeeded); present once a refund succeeded. */
  refundedFen?: number;
}

export function isChannel(value: unknown): value is Channel {
  return typeof value === "string" && (CHANNELS as readonly string[]).includes(value);
}

export function isScene(value: unknown): value is Scene {
  return typeof value === "string" && (SCENES as readonly string[]).includes(value);
}
