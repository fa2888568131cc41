/** An order record as the order service writes one, for the store tests. */
import type { OrderRecord } from "../../src/store/contract.js";

let orderSeq = 0;

/** A pending order with every field set; a fresh order number unless one is given. */
export function newOrder(overrides: Partial<Omit<OrderRecord, "version">> = {}): Omit<OrderRecord, "version"> {
  orderSeq += 1;
  return {
    orderNo: `T${process.pid}-${orderSeq}`,
    status: "pending",
    amountFen: 1999,
    gateway: "test-gateway",
    channel: "wechat",
    scene: "jsapi",
    action: {
      type: "wechat",
      params: { appId: "wx1", timeStamp: "1505107369", nonceStr: "n", package: "prepay_id=p", signType: "RSA", paySign: "s" },
    },
    gatewayOrderNo: "G-1",
    description: "两杯咖啡",
    attach: "cart=7",
    openId: "o-1",
    createdAt: "2026-11-22T02:00:00.000Z",
    fulfilment: "none",
    ...overrides,
  };
}

/**
 * An order with every field of OrderRecord set (Required: a field added to OrderRecord must be
 * added here), refunds and nested action included, amounts past 32 bits.
 */
export function fullOrder(overrides: Partial<Omit<OrderRecord, "version">> = {}): Required<Omit<OrderRecord, "version">> {
  const { orderNo } = newOrder();
  return {
    orderNo,
    status: "partially_refunded",
    amountFen: 9_007_199_254_740_991,
    gateway: "test-gateway",
    channel: "wechat",
    scene: "jsapi",
    action: {
      type: "wechat",
      params: { appId: "wx1", timeStamp: "1505107369", nonceStr: "n", package: "prepay_id=p", signType: "RSA", paySign: "s", sign_params: "{\"a\":1}", extra: 7, flag: true, none: null },
    },
    gatewayOrderNo: "G-1",
    description: "两杯咖啡 ☕",
    attach: "cart=7&note=\"x\"\\y",
    openId: "o-1",
    createdAt: "2026-11-22T02:00:00.000Z",
    paidAt: "2026-11-22T02:01:00.123Z",
    fulfilment: "done",
    fulfilmentLeaseUntil: 1_795_000_000_000,
    fulfilmentClaim: "c.1",
    lastQueriedAt: 1_795_000_000_001,
    lastCloseAttemptAt: 1_795_000_000_002,
    refunds: [
      { refundNo: "R1", amountFen: 4_294_967_296, status: "succeeded", reason: "坏了", requestedAt: "2026-11-22T02:02:00.000Z", attempts: 2, sendLeaseUntil: 3, gatewayRefundNo: "GR1", finishedAt: "2026-11-22T02:03:00.000Z", failure: "f", fulfilment: "done", fulfilmentLeaseUntil: 4, fulfilmentClaim: "c.2" },
      { refundNo: "R2", amountFen: 1, status: "processing", requestedAt: "2026-11-22T02:04:00.000Z", attempts: 1, sendLeaseUntil: 5, fulfilment: "none" },
      { refundNo: "R3", amountFen: 2, status: "failed", requestedAt: "2026-11-22T02:05:00.000Z", attempts: 1, finishedAt: "2026-11-22T02:06:00.000Z", failure: "NOT_ENOUGH", fulfilment: "none" },
    ],
    ...overrides,
  };
}
